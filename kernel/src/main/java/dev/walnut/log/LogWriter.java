package dev.walnut.log;

import static dev.walnut.format.RecordFormat.SEGMENT_HEADER_BYTES;

import dev.walnut.WriteBatch;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Appends records to the active segment and rotates segments. Not thread-safe: the store
 * serialises calls. Records go to a bounded user-space buffer ({@link AppendBuffer}) and reach the
 * file with one {@code append} (one write syscall) per {@link #flush}: at once for a group that
 * syncs ({@code appendAll(batches, true)}), else when {@link #PENDING_BYTES_MAX} bytes are pending,
 * or at the next sync, sync point, rotation or seal. Per sync: one fsync.
 *
 * <p>Order of durability, which recovery relies on: a segment's header is synced, and the directory
 * after its creation, before any record is appended; a segment is synced whole before its successor
 * is created; a clean close appends a seal record and syncs.
 */
public final class LogWriter implements AutoCloseable {

    private static final List<WriteBatch.Op> NO_OPS = List.of();

    private final WalStorage storage;
    private final RecordCodec codec;
    private final long segmentBytes;
    private final SplittableRandom random;

    // Volatile: the background syncer compares segment numbers while the writer rotates.
    private volatile WalFile file;
    private volatile SegmentHeader header;
    /** Serialises fsyncs: the writer's own and the background syncer's. */
    private final java.util.concurrent.locks.ReentrantLock syncLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile IOException syncFailure;
    private long endBytes;
    private long durableBytes;
    private volatile long nextSequence;
    // Volatile: stats() reads them from other threads; only the leader writes them.
    private volatile int segmentsCreated;
    private final java.util.concurrent.atomic.AtomicLong fsyncs = new java.util.concurrent.atomic.AtomicLong();
    private volatile long bytesWritten;
    /**
     * Unsynced records (BACKGROUND, MANUAL) wait in user space until this many bytes are pending:
     * the most a process kill can lose of acknowledged writes beyond what the file holds. 64 KiB
     * amortises the write syscall over ~450 puts of 100 B: WriteBench (one thread, 100 B) measured
     * 256 KiB no faster, and pwrite fell from 14% of the writer's samples to 1.4%.
     */
    public static final int PENDING_BYTES_MAX = 64 * 1024;

    /** Starts at the bound; a group larger than it grows the buffer up to the largest group. */
    private final AppendBuffer pending = new AppendBuffer(PENDING_BYTES_MAX);

    private final ValueFiles files;
    private final CellLocations cells = new CellLocations();
    /** The active segment's slot in {@link #files}. */
    private int slot;

    private LogWriter(WalStorage storage, RecordCodec codec, long segmentBytes, SplittableRandom random,
                      ValueFiles files) {
        this.files = files;
        this.storage = storage;
        this.codec = codec;
        this.segmentBytes = segmentBytes;
        this.random = random;
    }

    /**
     * Starts a new segment after the one that validly ends at {@code predecessorEndBytes}. Recovery
     * never writes into an existing segment: the new header records where its predecessor ended.
     *
     * @param segmentNumber       the new segment's number, above every number ever used
     * @param predecessorSegment  0 for a new log
     * @param predecessorCut      true when a point-in-time recovery cut the predecessor at corruption
     */
    public static LogWriter start(WalStorage storage, RecordCodec codec, long segmentBytes, SplittableRandom random,
                                  ValueFiles files, long segmentNumber, long predecessorSegment, long predecessorEndBytes,
                                  boolean predecessorCut, long firstSequence) throws IOException {
        // Recovery may have replayed records that reached only the page cache (the process died
        // before their fsync). The new header declares where the predecessor ends, and a segment
        // must be durable whole before its successor exists, or a power loss would leave the
        // successor pointing past the predecessor's end.
        if (predecessorSegment != 0) {
            try (WalFile predecessor = storage.open(RecordFormat.segmentName(predecessorSegment))) {
                predecessor.sync();
            }
        }
        LogWriter writer = new LogWriter(storage, codec, segmentBytes, random, files);
        writer.nextSequence = firstSequence;
        writer.createSegment(segmentNumber, predecessorSegment, predecessorEndBytes,
                predecessorCut ? RecordFormat.SEGMENT_FLAG_PREDECESSOR_CUT : 0);
        return writer;
    }

    private void createSegment(long number, long predecessor, long predecessorEnd, int flags) throws IOException {
        SegmentHeader next = new SegmentHeader(flags, number, random.nextLong(), nextSequence, predecessor,
                predecessor == 0 ? 0 : predecessorEnd, codec.maxRecordBytes());
        String name = RecordFormat.segmentName(number);
        WalFile created = storage.create(name);
        try {
            created.append(next.encode());
            created.sync();
            storage.syncDirectory();
            // Gets read the values through a handle of their own: it outlives the writer's, which
            // rotation closes, until no reader can reach the segment.
            slot = files.open(name);
            pending.reset(slot, SEGMENT_HEADER_BYTES);
            files.attachPending(slot, pending);
        } catch (IOException | RuntimeException e) {
            created.close();
            throw e;
        }
        file = created;
        header = next;
        bytesWritten += SEGMENT_HEADER_BYTES;
        fsyncs.addAndGet(2); // the header, then the directory
        endBytes = SEGMENT_HEADER_BYTES;
        durableBytes = SEGMENT_HEADER_BYTES;
        segmentsCreated++;
    }

    /** Encodes one record into the pending buffer; its cells are added to {@link #cells()}. */
    private long appendRecord(List<WriteBatch.Op> ops, int flags) {
        long sequence = nextSequence;
        // syncedThrough is what is durable now, never more: a pending record claims nothing about itself.
        ByteBuffer record = codec.encode(ops, flags, sequence, durableBytes, header.salt(), endBytes);
        int bytes = record.remaining();
        addCells(endBytes);
        pending.add(record);
        endBytes += bytes;
        bytesWritten += bytes;
        nextSequence++;
        return sequence;
    }

    /**
     * Appends one record per batch. With {@code flushNow} (a group that will sync) they reach the
     * file at once with everything pending before them, in a single {@code append}: a commit group
     * costs one write syscall, whatever its size. Without it they may stay pending (readable through
     * {@link ValueFiles}) until {@link #PENDING_BYTES_MAX} bytes are pending. If the append fails,
     * nothing of the group is acknowledged and the caller must stop writing (the file's end is unknown).
     *
     * @return the sequence number of the first record; the others follow densely
     */
    public long appendAll(List<List<WriteBatch.Op>> batches, boolean flushNow) throws IOException {
        long first = nextSequence;
        cells.clear();
        for (List<WriteBatch.Op> batch : batches) {
            appendRecord(batch, 0);
        }
        if (flushNow || pending.pendingBytes() >= PENDING_BYTES_MAX) {
            flush();
        }
        return first;
    }

    /**
     * Writes the pending records to the file with one {@code append} and no fsync: they then survive
     * a process kill, not a power loss. If it fails, the caller must stop writing (the file's end is unknown).
     */
    public void flush() throws IOException {
        pending.flush(file);
    }

    /** Bytes of records appended but not yet written to the file. */
    public int pendingBytes() {
        return pending.pendingBytes();
    }

    private void addCells(long recordOffsetBytes) {
        for (int c = 0; c < codec.cellCount(); c++) {
            cells.add(ValueFiles.location(slot, recordOffsetBytes + codec.cellOffset(c)), codec.cellBytes(c));
        }
    }

    /** Where the value cells of the records last appended are: one per put, in op order. */
    public CellLocations cells() {
        return cells;
    }

    /** Makes every appended record durable: one append of the pending records, then one fsync. */
    public void sync() throws IOException {
        flush();
        if (durableBytes == endBytes) {
            return;
        }
        syncLock.lock();
        try {
            // A failed fsync may have dropped dirty pages, and a later fsync can then succeed: after
            // one failure, no sync may report anything durable again.
            checkNoFailedSync();
            file.sync();
            fsyncs.incrementAndGet();
        } catch (IOException e) {
            syncFailure = e;
            throw e;
        } finally {
            syncLock.unlock();
        }
        durableBytes = endBytes;
    }

    /**
     * Where the log ends now, in which file: what a sync outside the writer's turn will make
     * durable. Called in the writer's turn: writes the pending records first (one append, no fsync),
     * so the concurrent fsync covers them.
     */
    public SyncPoint syncPoint() throws IOException {
        flush();
        return new SyncPoint(file, header.segmentNumber(), endBytes);
    }

    /** A file and the end of what was appended to it when the point was taken. */
    public record SyncPoint(WalFile file, long segmentNumber, long endBytes) {
    }

    /**
     * Syncs {@code point}'s file from another thread while the writer goes on appending: fsyncs are
     * serialised with the writer's own, and a failure is remembered so that no later sync reports
     * success. If a rotation closed the file meanwhile, the rotation synced it whole first.
     *
     * @return true if the point is durable now
     */
    public boolean syncConcurrently(SyncPoint point) throws IOException {
        syncLock.lock();
        try {
            checkNoFailedSync();
            if (point.segmentNumber() != header.segmentNumber()) {
                return true; // rotated: the predecessor was synced whole before its successor existed
            }
            try {
                point.file().sync();
            } catch (IOException e) {
                if (point.segmentNumber() != header.segmentNumber()) {
                    // A rotation closed the file under us; it had synced the file whole before.
                    return true;
                }
                throw e;
            }
            fsyncs.incrementAndGet();
            return true;
        } catch (IOException e) {
            syncFailure = e;
            throw e;
        } finally {
            syncLock.unlock();
        }
    }

    /** In the writer's turn, after {@link #syncConcurrently}: the point's bytes may be declared durable. */
    public void markDurable(SyncPoint point) {
        if (point.segmentNumber() == header.segmentNumber() && point.endBytes() > durableBytes) {
            durableBytes = point.endBytes();
        }
    }

    private void checkNoFailedSync() throws IOException {
        if (syncFailure != null) {
            throw new IOException("an earlier fsync failed; nothing written since can be proven durable: "
                    + syncFailure.getMessage(), syncFailure);
        }
    }

    /** fsyncs issued: one per {@link #sync()} that had data, one per segment created. */
    public long fsyncs() {
        return fsyncs.get();
    }

    /** Bytes appended since start, segment headers included. */
    public long bytesWritten() {
        return bytesWritten;
    }

    public boolean rotationDue() {
        return endBytes >= segmentBytes;
    }

    /** Flushes and syncs the active segment whole, then starts its successor. */
    public void rotate() throws IOException {
        sync();
        WalFile previous = file;
        createSegment(header.segmentNumber() + 1, header.segmentNumber(), endBytes, 0);
        previous.close();
    }

    /** Appends a seal record (proof of a clean close) and syncs. */
    public void seal() throws IOException {
        sync();
        cells.clear();
        appendRecord(NO_OPS, RecordFormat.FLAG_SEAL);
        sync();
    }

    public long segmentNumber() {
        return header.segmentNumber();
    }

    public long endBytes() {
        return endBytes;
    }

    public long lastSequence() {
        return nextSequence - 1;
    }

    public int segmentsCreated() {
        return segmentsCreated;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
