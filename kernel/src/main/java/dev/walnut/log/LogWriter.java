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
 * serialises calls. Costs per record: one {@code append} (one write syscall); per sync: one fsync.
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
    private ByteBuffer group = ByteBuffer.allocateDirect(GROUP_BUFFER_BYTES_INITIAL);

    /** A group's records are gathered into one buffer for one append; it grows up to the largest group. */
    private static final int GROUP_BUFFER_BYTES_INITIAL = 64 * 1024;

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

    /**
     * Appends one record holding {@code ops}; durable only after {@link #sync()}.
     *
     * @return the record's sequence number
     */
    public long append(List<WriteBatch.Op> ops) throws IOException {
        return appendRecord(ops, 0);
    }

    private long appendRecord(List<WriteBatch.Op> ops, int flags) throws IOException {
        long sequence = nextSequence;
        ByteBuffer record = codec.encode(ops, flags, sequence, durableBytes, header.salt(), endBytes);
        int bytes = record.remaining();
        cells.clear();
        addCells(endBytes);
        file.append(record);
        endBytes += bytes;
        bytesWritten += bytes;
        nextSequence++;
        return sequence;
    }

    /**
     * Appends one record per batch with a single {@code append}: a commit group costs one write
     * syscall, whatever its size. If the append fails, nothing of the group is acknowledged and the
     * caller must stop writing (the file's end is unknown).
     *
     * @return the sequence number of the first record; the others follow densely
     */
    public long appendAll(List<List<WriteBatch.Op>> batches) throws IOException {
        if (batches.size() == 1) {
            return append(batches.get(0));
        }
        long first = nextSequence;
        long offset = endBytes;
        group.clear();
        cells.clear();
        for (int i = 0; i < batches.size(); i++) {
            ByteBuffer record = codec.encode(batches.get(i), 0, first + i, durableBytes, header.salt(), offset);
            addCells(offset);
            if (group.remaining() < record.remaining()) {
                group = grow(group, record.remaining());
            }
            offset += record.remaining();
            group.put(record);
        }
        group.flip();
        int bytes = group.remaining();
        file.append(group);
        endBytes += bytes;
        bytesWritten += bytes;
        nextSequence = first + batches.size();
        return first;
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

    private static ByteBuffer grow(ByteBuffer buffer, int more) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(buffer.capacity() * 2, buffer.position() + more));
        buffer.flip();
        return bigger.put(buffer);
    }

    /** Makes every appended record durable: one fsync. */
    public void sync() throws IOException {
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
     * durable. Called in the writer's turn (cheap: no I/O).
     */
    public SyncPoint syncPoint() {
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

    /** Syncs the active segment whole, then starts its successor. */
    public void rotate() throws IOException {
        sync();
        WalFile previous = file;
        createSegment(header.segmentNumber() + 1, header.segmentNumber(), endBytes, 0);
        previous.close();
    }

    /** Appends a seal record (proof of a clean close) and syncs. */
    public void seal() throws IOException {
        sync();
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
