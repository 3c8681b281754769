package dev.walnut.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.walnut.WriteBatch;
import dev.walnut.log.ReadMeter;
import dev.walnut.log.SegmentReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The record format round-trips every batch and detects every single-bit flip. */
class RecordFormatProperties {

    static final long SALT = 0x5EED_CAFE_F00DL;
    static final int MAX_RECORD_BYTES = 1 << 20;
    static final long SEQUENCE = 17;

    @Provide
    Arbitrary<List<WriteBatch.Op>> batches() {
        Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
        // Repetitive values too, so LZ4 compression is exercised, not only skipped.
        Arbitrary<byte[]> values = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.integers().between(0, 2000).map(n -> new byte[n]));
        Arbitrary<WriteBatch.Op> op = Combinators.combine(Arbitraries.of(true, false), keys, values)
                .as((isPut, k, v) -> isPut ? new WriteBatch.Op(RecordFormat.OP_PUT, k, v)
                        : new WriteBatch.Op(RecordFormat.OP_DELETE, k, null));
        return op.list().ofMinSize(1).ofMaxSize(20);
    }

    /** A segment image: a 64-byte header area, then one record at offset 64. */
    private static byte[] segmentWith(List<WriteBatch.Op> ops, boolean compress) {
        ByteBuffer record = new RecordCodec(MAX_RECORD_BYTES, compress)
                .encode(ops, 0, SEQUENCE, RecordFormat.SEGMENT_HEADER_BYTES, SALT, RecordFormat.SEGMENT_HEADER_BYTES);
        byte[] image = new byte[RecordFormat.SEGMENT_HEADER_BYTES + record.remaining()];
        record.get(image, RecordFormat.SEGMENT_HEADER_BYTES, record.remaining());
        return image;
    }

    private static SegmentReader reader(byte[] image) {
        SegmentHeader header = new SegmentHeader(0, 1, SALT, SEQUENCE, 0, 0);
        return new SegmentReader(new ByteArrayWalFile(image), "test.log", header, image.length, 4096,
                new RecordCodec(MAX_RECORD_BYTES, false), new ReadMeter());
    }

    @Property(tries = 300)
    void encodeThenDecodeReturnsTheSameBatch(@ForAll("batches") List<WriteBatch.Op> ops, @ForAll boolean compress)
            throws IOException, MalformedRecordException {
        byte[] image = segmentWith(ops, compress);
        try (SegmentReader reader = reader(image)) {
            assertEquals(SegmentReader.Step.RECORD, reader.next(), reader.problem());
            assertEquals(SEQUENCE, reader.sequence());
            List<WriteBatch.Op> decoded = new ArrayList<>();
            BatchCodec.decode(reader.body(), RecordFormat.RECORD_BYTES_DEFAULT, new BatchCodec.OpSink() {
                @Override
                public void put(byte[] key, java.nio.ByteBuffer body, int cellStart, int cellBytes, int valueLength)
                        throws MalformedRecordException {
                    decoded.add(new WriteBatch.Op(RecordFormat.OP_PUT, key, ValueCell.valueIn(body, cellStart)));
                }

                @Override
                public void delete(byte[] key) {
                    decoded.add(new WriteBatch.Op(RecordFormat.OP_DELETE, key, null));
                }
            });
            assertEquals(ops.size(), decoded.size());
            for (int i = 0; i < ops.size(); i++) {
                assertEquals(ops.get(i).kind(), decoded.get(i).kind());
                assertArrayEquals(ops.get(i).key(), decoded.get(i).key());
                assertArrayEquals(ops.get(i).value(), decoded.get(i).value());
            }
            assertEquals(SegmentReader.Step.END, reader.next());
        }
    }

    @Property(tries = 1000)
    void everySingleBitFlipInARecordIsDetected(@ForAll("batches") List<WriteBatch.Op> ops, @ForAll boolean compress,
                                               @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where)
            throws IOException {
        byte[] image = segmentWith(ops, compress);
        int recordBits = (image.length - RecordFormat.SEGMENT_HEADER_BYTES) * 8;
        int bit = where % recordBits;
        image[RecordFormat.SEGMENT_HEADER_BYTES + bit / 8] ^= (byte) (1 << (bit % 8));
        try (SegmentReader reader = reader(image)) {
            assertNotEquals(SegmentReader.Step.RECORD, reader.next(), "bit " + bit + " flipped undetected");
        }
    }
}
