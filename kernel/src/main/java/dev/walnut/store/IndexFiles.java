package dev.walnut.store;

import dev.walnut.format.BatchCodec;
import dev.walnut.format.IndexFile;
import dev.walnut.format.IndexFileReader;
import dev.walnut.format.IndexFileWriter;
import dev.walnut.format.MalformedIndexException;
import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import dev.walnut.format.ValueCell;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import dev.walnut.log.ReadMeter;
import dev.walnut.log.SegmentReader;
import dev.walnut.log.ValueFiles;
import dev.walnut.recovery.IndexSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * Index files (hint files) of the store's data files: read at open into the {@link ReplayIndex}
 * instead of replaying the records they cover, and written for each segment once it is sealed and
 * for each compacted base. They are derived data: written as {@code <name>.tmp}, synced, renamed;
 * one that is missing or damaged is reported and its data file replayed, never trusted or fatal.
 */
public final class IndexFiles implements IndexSource {

    private final WalStorage storage;
    private final ReplayIndex sink;
    private final ValueFiles files;
    private final int windowBytes;
    /** Index files found present but unusable: the store deletes them so they are written anew. */
    private final java.util.List<String> unusable = new java.util.ArrayList<>();

    public IndexFiles(WalStorage storage, ReplayIndex sink, ValueFiles files, int windowBytes) {
        this.storage = storage;
        this.sink = sink;
        this.files = files;
        this.windowBytes = Math.max(windowBytes, IndexFileReader.WINDOW_BYTES_MIN);
    }

    @Override
    public Result load(String dataFileName, boolean base, SegmentHeader header, long dataFileSizeBytes,
                       long expectedEndBytes, long expectedLastSequence, boolean required) throws IOException {
        String name = IndexFile.nameFor(dataFileName);
        if (!storage.exists(name)) {
            return required ? new Result(false, name + " missing, though " + dev.walnut.format.Manifest.NAME
                    + " says it was written; replayed " + dataFileName, 0, 0) : Result.ABSENT;
        }
        try (WalFile file = storage.open(name)) {
            IndexFile.Summary summary = IndexFileReader.verify(file, name, new IndexFile.Expected(base,
                    header.segmentNumber(), header.salt(), dataFileSizeBytes), windowBytes);
            IndexFile.Header h = summary.header();
            if (h.coveredEndBytes() != expectedEndBytes || h.lastSequence() != expectedLastSequence) {
                unusable.add(name);
                return new Result(false, name + " covers another extent: coveredEndBytes=" + h.coveredEndBytes()
                        + " lastSequence=" + h.lastSequence() + " expected " + expectedEndBytes + " and "
                        + expectedLastSequence + "; replayed " + dataFileName, 0, summary.fileBytes());
            }
            int slot = files.open(dataFileName);
            // Room for its keys up front, so loading never rehashes (a rehash reads every key again
            // from its slab, in table order: a cache miss a key). Keys that repeat an earlier file's
            // make the table larger than needed; toBase() gives that back.
            sink.reserve(summary.entryCount() - summary.deleteCount());
            sink.beginRun();
            try {
                long entries = IndexFileReader.read(file, name, summary, windowBytes, new Apply(slot));
                return new Result(true, null, entries, 2 * summary.fileBytes());
            } catch (MalformedIndexException e) {
                // Verified a moment ago, damaged now: some entries are applied and cannot be taken back.
                throw new IOException("index file changed while it was read: " + e.getMessage(), e);
            } finally {
                sink.endRun();
            }
        } catch (MalformedIndexException e) {
            unusable.add(name);
            return new Result(false, e.getMessage() + "; replayed " + dataFileName, 0, 0);
        }
    }

    /** Index files this open found present but could not use. */
    public java.util.List<String> unusable() {
        return java.util.List.copyOf(unusable);
    }

    /**
     * Writes the index file of every sealed segment from {@code firstLive} on that has none: each
     * segment below the newest, up to where its successor says it ends. Returns how many it wrote.
     *
     * @param stop checked between segments: the store is closing
     */
    public static int writeMissing(WalStorage storage, long firstLive, int windowBytes,
                                   java.util.function.BooleanSupplier stop) throws IOException {
        java.util.List<String> names = storage.list();
        java.util.TreeSet<Long> segments = new java.util.TreeSet<>();
        for (String name : names) {
            long number = RecordFormat.segmentNumberOf(name);
            if (number >= firstLive && number > 0) {
                segments.add(number);
            }
        }
        int written = 0;
        for (long number : segments) {
            Long successor = segments.higher(number);
            String name = RecordFormat.segmentName(number);
            if (successor == null || stop.getAsBoolean() || names.contains(IndexFile.nameFor(name))) {
                continue;
            }
            SegmentHeader next = headerOf(storage, RecordFormat.segmentName(successor));
            if (next == null || next.predecessorSegment() != number) {
                continue; // a chain this store did not write whole: recovery replays it, and so must the next open
            }
            writeForSegment(storage, name, next.predecessorEndBytes(), windowBytes);
            written++;
        }
        return written;
    }

    /** The header of a successor segment, or null if it is too short or does not decode. */
    private static SegmentHeader headerOf(WalStorage storage, String name) throws IOException {
        try (WalFile file = storage.open(name)) {
            if (file.sizeBytes() < RecordFormat.SEGMENT_HEADER_BYTES) {
                return null;
            }
            SegmentHeader.Decoded decoded = decodeHeader(file, name);
            return decoded.valid() ? decoded.header() : null;
        }
    }

    /** The data file's header; one that does not decode means nothing can be indexed. */
    private static SegmentHeader validHeader(WalFile file, String name) throws IOException {
        SegmentHeader.Decoded decoded = decodeHeader(file, name);
        if (!decoded.valid()) {
            throw new IOException("cannot index " + name + ": " + decoded.problem());
        }
        return decoded.header();
    }

    private static SegmentHeader.Decoded decodeHeader(WalFile file, String name) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES);
        file.readFully(0, h);
        return SegmentHeader.decode(h.flip(), name);
    }

    /** Index entries into the replay index, their locations in the data file's slot. */
    private final class Apply implements IndexFile.EntrySink {
        private final int slot;

        Apply(int slot) {
            this.slot = slot;
        }

        @Override
        public void put(byte[] key, int valueLength, long cellOffset, int cellLength) {
            sink.putLocated(key, valueLength, null, ValueFiles.location(slot, cellOffset), cellLength);
        }

        @Override
        public void putInline(byte[] key, byte[] value) {
            sink.putLocated(key, value.length, value, -1, 0);
        }

        @Override
        public void delete(byte[] key) {
            sink.delete(key);
        }
    }

    /** Starts the index file of {@code dataFileName}, as its temp file; {@link #commit} puts it in place. */
    public static IndexFileWriter begin(WalStorage storage, String dataFileName, IndexFile.Header header)
            throws IOException {
        String temp = IndexFile.nameFor(dataFileName) + IndexFile.TEMP_SUFFIX;
        if (storage.exists(temp)) {
            storage.delete(temp);
        }
        return new IndexFileWriter(storage.create(temp), header);
    }

    /** Finishes (footer, sync) and renames the index file into place; the caller syncs the directory if it must. */
    public static void commit(WalStorage storage, String dataFileName, IndexFileWriter writer) throws IOException {
        try (writer) {
            writer.finish();
        }
        String name = IndexFile.nameFor(dataFileName);
        storage.rename(name + IndexFile.TEMP_SUFFIX, name);
    }

    /**
     * Writes the index file of a sealed segment by reading its records up to {@code endBytes} (where
     * its successor says it ends): the last operation of each key, in key order.
     *
     * @return entries written
     * @throws IOException on an I/O error, or if a record in the sealed range does not verify (then
     *                     nothing is written and open keeps replaying the segment)
     */
    public static long writeForSegment(WalStorage storage, String segmentName, long endBytes, int windowBytes)
            throws IOException {
        TreeMap<byte[], long[]> last = new TreeMap<>(MvccIndex.KEY_ORDER);
        Map<byte[], byte[]> inline = new TreeMap<>(MvccIndex.KEY_ORDER);
        SegmentHeader header;
        long lastSequence;
        try (WalFile file = storage.open(segmentName)) {
            header = validHeader(file, segmentName);
            lastSequence = collect(file, segmentName, header, endBytes, windowBytes, lastPerKey(last, inline));
        }
        IndexFileWriter writer = begin(storage, segmentName,
                new IndexFile.Header(false, header.segmentNumber(), header.salt(), endBytes, lastSequence));
        try {
            for (Map.Entry<byte[], long[]> e : last.entrySet()) {
                long[] v = e.getValue();
                if (v[0] < 0) {
                    writer.delete(e.getKey());
                } else if (Slabs.inline((int) v[0])) {
                    writer.putInline(e.getKey(), inline.get(e.getKey()));
                } else {
                    writer.put(e.getKey(), (int) v[0], v[1], (int) v[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
        commit(storage, segmentName, writer);
        return last.size();
    }

    /**
     * Writes the index file of a compacted base, read back from the base itself: its records are
     * puts in key order, so the entries stream straight through.
     *
     * @return entries written
     */
    public static long writeForBase(WalStorage storage, String baseName, long baseSequence, int windowBytes)
            throws IOException {
        try (WalFile file = storage.open(baseName)) {
            long size = file.sizeBytes();
            SegmentHeader header = validHeader(file, baseName);
            IndexFileWriter writer = begin(storage, baseName,
                    new IndexFile.Header(true, header.segmentNumber(), header.salt(), size, baseSequence));
            try {
                collect(file, baseName, header, size, windowBytes, new EntryTarget() {
                    @Override
                    public void put(byte[] key, int valueLength, long cellOffset, int cellBytes, byte[] value)
                            throws IOException {
                        if (Slabs.inline(valueLength)) {
                            writer.putInline(key, value);
                        } else {
                            writer.put(key, valueLength, cellOffset, cellBytes);
                        }
                    }

                    @Override
                    public void delete(byte[] key) throws IOException {
                        throw new IOException("a compacted base holds no deletes: " + baseName);
                    }
                });
            } catch (IOException | RuntimeException e) {
                writer.close();
                throw e;
            }
            commit(storage, baseName, writer);
            return writer.entryCount();
        }
    }

    /** Where {@link #collect} puts each operation it reads. */
    private interface EntryTarget {
        /** {@code value} is the value itself when it is short, else null. */
        void put(byte[] key, int valueLength, long cellOffset, int cellBytes, byte[] value) throws IOException;

        void delete(byte[] key) throws IOException;
    }

    /** The last operation per key, kept in key order until the segment is read whole. */
    private static EntryTarget lastPerKey(TreeMap<byte[], long[]> last, Map<byte[], byte[]> inline) {
        return new EntryTarget() {
            @Override
            public void put(byte[] key, int valueLength, long cellOffset, int cellBytes, byte[] value) {
                last.put(key, new long[] {valueLength, cellOffset, cellBytes});
                if (value != null) {
                    inline.put(key, value);
                }
            }

            @Override
            public void delete(byte[] key) {
                last.put(key, new long[] {-1, 0, 0});
            }
        };
    }

    /** Reads every record up to {@code endBytes} into {@code target}; returns the last record's sequence. */
    private static long collect(WalFile file, String name, SegmentHeader header, long endBytes, int windowBytes,
                                EntryTarget target) throws IOException {
        long lastSequence = header.firstSequence() - 1;
        try (SegmentReader reader = new SegmentReader(file, name, header, endBytes, windowBytes,
                new RecordCodec(header.recordBytesMax(), false), new ReadMeter())) {
            while (true) {
                SegmentReader.Step step = reader.next();
                if (step == SegmentReader.Step.END) {
                    return lastSequence;
                }
                if (step != SegmentReader.Step.RECORD) {
                    throw new IOException("cannot index " + name + ": " + reader.problem());
                }
                ByteBuffer body = reader.body();
                long bodyFileOffset = reader.offsetBytes() + RecordFormat.RECORD_HEADER_BYTES + RecordFormat.PREAMBLE_BYTES;
                int bodyPosition = body.position();
                try {
                    BatchCodec.validate(body, header.recordBytesMax());
                    BatchCodec.decode(body, header.recordBytesMax(), new BatchCodec.OpSink() {
                        @Override
                        public void put(byte[] key, ByteBuffer b, int cellStart, int cellBytes, int valueLength)
                                throws MalformedRecordException {
                            try {
                                target.put(key, valueLength, bodyFileOffset + cellStart - bodyPosition, cellBytes,
                                        Slabs.inline(valueLength) ? ValueCell.valueIn(b, cellStart) : null);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }

                        @Override
                        public void delete(byte[] key) {
                            try {
                                target.delete(key);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    });
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                } catch (MalformedRecordException e) {
                    throw new IOException("cannot index " + name + ": " + e.getMessage() + " (offset="
                            + reader.offsetBytes() + ")", e);
                }
                lastSequence = reader.sequence();
            }
        }
    }
}
