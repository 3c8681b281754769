package dev.walnut.store;

import dev.walnut.Cursor;
import dev.walnut.KeyRange;
import dev.walnut.KeyValue;
import dev.walnut.WriteBatch;
import dev.walnut.format.Manifest;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import dev.walnut.log.ValueFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the live state of a snapshot as a compacted base and switches the log to it. Steps, each
 * crash-safe because the manifest is the only switch and it changes atomically:
 * <ol>
 *   <li>(in the writer's turn, by the caller) rotate: segment K starts at sequence S+1, and a
 *       reader is registered at S;
 *   <li>write {@code base-K.log} (segment format, puts of the snapshot, a seal), sync it and the
 *       directory — a crash here leaves an orphan base that no manifest names;
 *   <li>write {@code MANIFEST.tmp} {base=K, baseSequence=S, firstLive=K}, sync, rename over
 *       {@code MANIFEST}, sync the directory — the switch;
 *   <li>delete retired segments (numbered below K) and older bases, sync the directory — a crash
 *       here leaves files recovery ignores and the next compaction deletes.
 * </ol>
 */
public final class Compactor {

    /** Puts per base record are gathered up to this size: big enough to amortise, small for recovery's window. */
    public static final int BASE_RECORD_BYTES_TARGET = 256 * 1024;
    /** The read window for reading the base back into its index file. */
    private static final int INDEX_WINDOW_BYTES = 1024 * 1024;
    /** A put's bytes beside its key and value: kind, key length, cell flags, value length, cell checksum. */
    private static final int OP_FRAMING_BYTES_MAX = 1 + 3 + 1 + 5 + 4;

    private final WalStorage storage;
    private final RecordCodec codec;
    private final SplittableRandom random;

    public Compactor(WalStorage storage, RecordCodec codec, SplittableRandom random) {
        this.storage = storage;
        this.codec = codec;
        this.random = random;
    }

    /** What one compaction did. */
    public record Result(long baseNumber, long baseSequence, long entries, long baseBytes, int retiredFiles) {
    }

    /**
     * Runs steps 2–4 for the state visible at {@code point} in {@code index} (registered by the
     * caller), with segment {@code firstLive} already started at {@code sequence + 1}. Every live
     * entry written to the base is also handed to {@code tap}, in key order; {@code switched} hears
     * the new manifest as soon as it is the one on disk, before the old files are retired.
     */
    public Result compact(MvccIndex index, ReadPoint point, long firstLive, ReplayIndex tap,
                          java.util.function.Consumer<Manifest> switched) throws IOException {
        long sequence = point.sequence();
        String baseName = Manifest.baseName(firstLive);
        if (storage.exists(baseName)) {
            storage.delete(baseName); // an orphan of an earlier attempt that crashed before its switch
        }
        long entries;
        long baseBytes;
        try (WalFile base = storage.create(baseName); Cursor cursor = index.cursor(KeyRange.all(), point, false)) {
            int slot = index.files().open(baseName);
            long[] written;
            tap.beginRun(); // the base is written in key order: folding it needs no sort
            try {
                written = writeBase(base, firstLive, cursor, new Tap(tap, slot));
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause(); // a value the cursor could not read: the compaction fails, the log is untouched
            } finally {
                tap.endRun();
            }
            entries = written[0];
            baseBytes = written[1];
            base.sync();
        }
        // The base's index file lets the next open skip reading every value of the base; it is
        // derived from the base just written, so it is written (and synced) before the MANIFEST names it.
        IndexFiles.writeForBase(storage, baseName, sequence, INDEX_WINDOW_BYTES);
        storage.syncDirectory();
        Manifest next = new Manifest(firstLive, sequence, firstLive, Manifest.FLAG_BASE_INDEXED);
        switchManifest(next);
        // From here the MANIFEST on disk names the new base: the caller must know even if retiring fails.
        switched.accept(next);
        int retired = retireBefore(firstLive, baseName, false);
        return new Result(firstLive, sequence, entries, baseBytes, retired);
    }

    /** Hands the folded index each put with where its cell landed in the base. */
    private record Tap(ReplayIndex folded, int slot) {
        void record(List<WriteBatch.Op> ops, long recordOffset, RecordCodec codec) {
            for (int i = 0; i < ops.size(); i++) {
                WriteBatch.Op op = ops.get(i);
                long location = ValueFiles.location(slot, recordOffset + codec.cellOffset(i));
                folded.putLocated(op.key(), op.value().length, op.value(), location, codec.cellBytes(i));
            }
        }
    }

    private long[] writeBase(WalFile base, long number, Cursor cursor, Tap tap) throws IOException {
        SegmentHeader header = new SegmentHeader(0, number, random.nextLong(), 1, 0, 0, codec.maxRecordBytes());
        base.append(header.encode());
        long offset = RecordFormat.SEGMENT_HEADER_BYTES;
        long sequence = 1;
        long entries = 0;
        List<WriteBatch.Op> ops = new ArrayList<>();
        long opsBytes = 0;
        while (cursor.hasNext()) {
            KeyValue kv = cursor.next();
            long bytes = kv.key().length + kv.value().length + OP_FRAMING_BYTES_MAX;
            // opsBytes bounds the encoded body from above.
            boolean full = opsBytes + bytes > BASE_RECORD_BYTES_TARGET || RecordFormat.RECORD_HEADER_BYTES
                    + RecordFormat.PREAMBLE_BYTES + 5 + opsBytes + bytes > codec.maxRecordBytes();
            if (!ops.isEmpty() && full) {
                offset += appendRecord(base, ops, sequence++, offset, header.salt(), tap);
                ops.clear();
                opsBytes = 0;
            }
            ops.add(new WriteBatch.Op(RecordFormat.OP_PUT, kv.key(), kv.value()));
            opsBytes += bytes;
            entries++;
        }
        if (!ops.isEmpty()) {
            offset += appendRecord(base, ops, sequence++, offset, header.salt(), tap);
        }
        offset += appendRecord(base, List.of(), RecordFormat.FLAG_SEAL, sequence, offset, header.salt());
        return new long[] {entries, offset};
    }

    private int appendRecord(WalFile base, List<WriteBatch.Op> ops, long sequence, long offset, long salt, Tap tap)
            throws IOException {
        int bytes = appendRecord(base, ops, 0, sequence, offset, salt);
        tap.record(ops, offset, codec);
        return bytes;
    }

    private int appendRecord(WalFile base, List<WriteBatch.Op> ops, int flags, long sequence, long offset, long salt)
            throws IOException {
        // Nothing in the base is durable until the end: syncedThrough stays at the header.
        ByteBuffer record = codec.encode(ops, flags, sequence, RecordFormat.SEGMENT_HEADER_BYTES, salt, offset);
        int bytes = record.remaining();
        base.append(record);
        return bytes;
    }

    private void switchManifest(Manifest manifest) throws IOException {
        if (storage.exists(Manifest.TEMP_NAME)) {
            storage.delete(Manifest.TEMP_NAME);
        }
        try (WalFile temp = storage.create(Manifest.TEMP_NAME)) {
            temp.append(manifest.encode());
            temp.sync();
        }
        storage.rename(Manifest.TEMP_NAME, Manifest.NAME);
        storage.syncDirectory();
    }

    /**
     * Deletes segments numbered below {@code firstLive}, every base but {@code keepBase}, and their
     * index files; with {@code tempIndexFiles} (at open, when nothing writes them) also index
     * files a crash left half written.
     */
    public int retireBefore(long firstLive, String keepBase, boolean tempIndexFiles) throws IOException {
        int retired = 0;
        for (String name : storage.list()) {
            boolean temp = name.endsWith(dev.walnut.format.IndexFile.TEMP_SUFFIX);
            // An index file goes with its data file; a temp file is an index write a crash cut short.
            String data = temp ? null : dev.walnut.format.IndexFile.isIndexFileName(name)
                    ? name.substring(0, name.length() - dev.walnut.format.IndexFile.SUFFIX.length()) + ".log" : name;
            long number = data == null ? -1 : RecordFormat.segmentNumberOf(data);
            boolean oldSegment = number >= 0 && number < firstLive;
            boolean oldBase = data != null && data.startsWith("base-") && data.endsWith(".log") && !data.equals(keepBase);
            boolean tempIndex = tempIndexFiles && temp && dev.walnut.format.IndexFile.isIndexFileName(name.substring(0,
                    name.length() - dev.walnut.format.IndexFile.TEMP_SUFFIX.length()));
            if (oldSegment || oldBase || tempIndex) {
                storage.delete(name);
                retired++;
            }
        }
        if (retired > 0) {
            storage.syncDirectory();
        }
        return retired;
    }
}
