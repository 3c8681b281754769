package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record whose checksums pass but whose preamble declares a body its stored bytes cannot produce:
 * damage, classified like any other, and nothing is allocated from the declared length.
 */
class DeclaredBodyLengthTest {

    static final int GIB = 1 << 30;
    static final long SALT = 0x1234_5678_9abc_def0L;
    /** The 117-byte segment of the report: 64 header + 12 record header + 21 preamble + 20 stored. */
    static final int STORED_BYTES = 20;

    @TempDir
    Path root;

    /** A segment with recordBytesMax = 1 GiB holding one LZ4 record that declares a 1 GiB body. */
    static byte[] segmentDeclaringAGibibyteBody() {
        ByteBuffer out = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES + RecordFormat.RECORD_HEADER_BYTES
                + RecordFormat.PREAMBLE_BYTES + STORED_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new SegmentHeader(0, 1, SALT, 1, 0, 0, GIB).encode());
        int payloadLength = RecordFormat.PREAMBLE_BYTES + STORED_BYTES;
        ByteBuffer payload = ByteBuffer.allocate(payloadLength).order(ByteOrder.LITTLE_ENDIAN);
        payload.put((byte) RecordFormat.FLAG_COMPRESSED).putLong(1).putLong(RecordFormat.SEGMENT_HEADER_BYTES)
                .putInt(GIB);
        // A well-formed LZ4 sequence (a literal and a long match) stands in for the block.
        payload.put((byte) 0x1F).put((byte) 'x').putShort((short) 1);
        while (payload.hasRemaining()) {
            payload.put((byte) 0xFF);
        }
        payload.flip();
        RecordCodec codec = new RecordCodec(RecordFormat.RECORD_BYTES_DEFAULT, false);
        int payloadCrc = codec.payloadChecksum(payload);
        out.putInt(payloadLength).putInt(payloadCrc)
                .putInt(codec.headerChecksum(SALT, RecordFormat.SEGMENT_HEADER_BYTES, payloadLength, payloadCrc))
                .put(payload);
        return out.array();
    }

    private Path store() throws IOException {
        Path dir = root.resolve("store");
        Files.createDirectories(dir);
        byte[] segment = segmentDeclaringAGibibyteBody();
        assertEquals(117, segment.length);
        Files.write(dir.resolve(RecordFormat.segmentName(1)), segment);
        return dir;
    }

    @Test
    void compressedRecordDeclaringABodyItsStoredBytesCannotProduceIsCorruption() throws IOException {
        Path dir = store();
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL)).close());
        assertEquals(RecordFormat.segmentName(1), e.file());
        assertEquals(RecordFormat.SEGMENT_HEADER_BYTES, e.offsetBytes(), e.getMessage());
        assertTrue(e.getMessage().contains("bodyBytes=" + GIB), e.getMessage());
    }

    @Test
    void salvageSkipsTheImpossibleRecordWithoutAllocatingItsDeclaredBody() throws IOException {
        Path dir = store();
        try (Walnut db = Walnut.open(dir, LogFixture.small(RecoveryPolicy.SALVAGE))) {
            RecoveryReport report = db.recoveryReport();
            assertEquals(1, report.damage().size(), report.describe());
            assertEquals(DamageKind.CORRUPTION, report.damage().get(0).kind());
            long bound = db.options().readWindowBytes() + RecordCodec.DIRECT_SCRATCH_BYTES_MAX;
            assertTrue(report.peakBufferBytes() < bound, "peakBufferBytes=" + report.peakBufferBytes()
                    + " bound=" + bound);
        }
    }
}
