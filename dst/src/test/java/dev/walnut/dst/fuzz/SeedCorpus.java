package dev.walnut.dst.fuzz;

import dev.walnut.LogFixture;
import dev.walnut.format.BatchCodec;
import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.Manifest;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.ValueCell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Writes the seed corpus of {@link OpenFuzzTest}: clean real stores and minimal reproductions of
 * the recovery bugs (items 9, 10, 11, 13) and of what the fuzzer found. Rerun after a format change:
 * {@code java -cp <dst test classpath> dev.walnut.dst.fuzz.SeedCorpus dst/src/test/resources}.
 */
public final class SeedCorpus {

    static final long SEED = 0x5eed_c0deL;
    static final int GIB = 1 << 30;

    private SeedCorpus() {
    }

    public static void main(String[] args) throws IOException, MalformedRecordException {
        Path inputs = Path.of(args[0]).resolve("dev/walnut/dst/fuzz/OpenFuzzTestInputs");
        writeRawFiles(inputs.resolve("rawFiles"));
        writeMutatedStore(inputs.resolve("mutatedStore"));
        writeMutatedManifestAndBase(inputs.resolve("mutatedManifestAndBase"));
    }

    private static void writeRawFiles(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] partialHeader = new byte[20];
        random.nextBytes(partialHeader);
        write(dir, "item10-headerless-segment-0", Map.of(RecordFormat.segmentName(0), partialHeader));
        write(dir, "item10-empty-segment-0", Map.of(RecordFormat.segmentName(0), new byte[0]));
        write(dir, "item10-headerless-segment-1", Map.of(RecordFormat.segmentName(1), new byte[63]));
        write(dir, "item13-lz4-record-declares-1gib-body", Map.of(RecordFormat.segmentName(1),
                LogFixture.segmentDeclaringABody(GIB, GIB)));
        byte[] manifest = new Manifest(1, 10, 1).encode().array();
        write(dir, "item9-manifest-and-one-byte-base", Map.of(Manifest.NAME, manifest, Manifest.baseName(1),
                new byte[] {0x57}));
        write(dir, "item11-manifest-naming-a-missing-base", Map.of(Manifest.NAME, manifest));
        // Found by the fuzzer: salvage rebuilt the manifest from base-2 and started segment 1 below it.
        write(dir, "found-salvage-next-segment-below-first-live", Map.of(Manifest.NAME, new byte[0],
                Manifest.baseName(2), new byte[0]));
        write(dir, "real-crashed-log", RealStores.CRASHED_LOG);
        write(dir, "real-compacted-store", RealStores.COMPACTED);
    }

    private static void writeMutatedStore(Path dir) throws IOException, MalformedRecordException {
        List<String> names = List.copyOf(RealStores.CRASHED_LOG.keySet());
        int last = names.size() - 1;
        byte[] lastSegment = RealStores.CRASHED_LOG.get(names.get(last));
        Files.createDirectories(dir);
        Files.write(dir.resolve("real-crashed-log"), new byte[] {0});
        Files.write(dir.resolve("real-closed-log"), new byte[] {1});
        Files.write(dir.resolve("flip-in-first-segment"), ops(0, Mutator.op(Mutator.XOR, 0, 2000, 0x10)));
        Files.write(dir.resolve("torn-last-segment"), ops(0, Mutator.op(Mutator.TRUNCATE, last, lastSegment.length - 30, 0)));
        int[] cell = firstCompressedCell(RealStores.CRASHED_LOG.get(names.get(0)));
        // Item 13 inside a real store: the header allows 1 GiB, and a resealed record's LZ4 cell declares a value
        // of 1 GiB - 1 (varint FF FF FF FF 03: the raw 0x0103 lands its 03 as the fifth byte, then -1 the first four).
        Files.write(dir.resolve("item13-sealed-record-declares-1gib-body"), ops(0,
                Mutator.op(Mutator.WRITE_U32, 0, 56, 3), Mutator.op(Mutator.SEAL_SEGMENT_HEADER, 0, 0, 0),
                Mutator.op(Mutator.WRITE_U32, 0, cell[1] + 4, 0x0103),
                Mutator.op(Mutator.WRITE_U32, 0, cell[1], 2),
                Mutator.op(Mutator.SEAL_RECORD, 0, cell[0], 0)));
    }

    private static void writeMutatedManifestAndBase(Path dir) throws IOException {
        // Targets in name order: MANIFEST is 0, the base is 1.
        Files.createDirectories(dir);
        Files.write(dir.resolve("real-compacted-store"), new byte[0]);
        Files.write(dir.resolve("item9-base-truncated-to-one-byte"), ops(-1, Mutator.op(Mutator.TRUNCATE, 1, 1, 0)));
        Files.write(dir.resolve("item9-base-record-flipped"), ops(-1, Mutator.op(Mutator.XOR, 1, 200, 0x04)));
        Files.write(dir.resolve("item11-base-deleted"), ops(-1, Mutator.op(Mutator.DELETE, 1, 0, 0)));
        Files.write(dir.resolve("manifest-first-live-rewritten-and-sealed"), ops(-1,
                Mutator.op(Mutator.WRITE_U32, 0, 32, 1), Mutator.op(Mutator.SEAL_MANIFEST, 0, 0, 0)));
    }

    /** The offsets of the first record holding an LZ4 value cell, and of that cell's valueLength varint. */
    private static int[] firstCompressedCell(byte[] segment) throws MalformedRecordException {
        ByteBuffer b = ByteBuffer.wrap(segment).order(ByteOrder.LITTLE_ENDIAN);
        int[] found = {-1, -1};
        for (int at = RecordFormat.SEGMENT_HEADER_BYTES; at + RecordFormat.RECORD_HEADER_BYTES < segment.length
                && found[0] < 0; at += RecordFormat.RECORD_HEADER_BYTES + b.getInt(at)) {
            int bodyStart = at + RecordFormat.RECORD_HEADER_BYTES + RecordFormat.PREAMBLE_BYTES;
            int bodyEnd = at + RecordFormat.RECORD_HEADER_BYTES + b.getInt(at);
            int record = at;
            ByteBuffer body = ByteBuffer.wrap(segment, bodyStart, bodyEnd - bodyStart);
            BatchCodec.decode(body, Integer.MAX_VALUE, new BatchCodec.OpSink() {
                @Override
                public void put(byte[] key, ByteBuffer in, int cellStart, int cellBytes, int valueLength) {
                    if (found[0] < 0 && (in.get(cellStart) & ValueCell.FLAG_LZ4) != 0) {
                        found[0] = record;
                        found[1] = cellStart + 1;
                    }
                }

                @Override
                public void delete(byte[] key) {
                }
            });
        }
        if (found[0] < 0) {
            throw new IllegalStateException("the real store holds no compressed value");
        }
        return found;
    }

    /** A first byte (none if negative) followed by ops. */
    private static byte[] ops(int first, byte[]... ops) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (first >= 0) {
            out.write(first);
        }
        for (byte[] op : ops) {
            out.writeBytes(op);
        }
        return out.toByteArray();
    }

    private static void write(Path dir, String name, Map<String, byte[]> files) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), StoreImage.encode(new TreeMap<>(files)));
    }
}
