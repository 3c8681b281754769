package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record whose checksums pass but one of whose value cells declares a value its stored bytes
 * cannot produce: damage, classified like any other, and nothing is allocated from the declared length.
 */
class DeclaredBodyLengthTest {

    static final int GIB = 1 << 30;

    @TempDir
    Path root;

    private Path store() throws IOException {
        Path dir = root.resolve("store");
        Files.createDirectories(dir);
        byte[] segment = LogFixture.segmentDeclaringABody(GIB, GIB);
        assertEquals(LogFixture.DECLARING_SEGMENT_BYTES, segment.length);
        Files.write(dir.resolve(RecordFormat.segmentName(1)), segment);
        return dir;
    }

    @Test
    void compressedValueDeclaringALengthItsStoredBytesCannotProduceIsCorruption() throws IOException {
        Path dir = store();
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL)).close());
        assertEquals(RecordFormat.segmentName(1), e.file());
        assertEquals(RecordFormat.SEGMENT_HEADER_BYTES, e.offsetBytes(), e.getMessage());
        assertTrue(e.getMessage().contains("valueLength=" + GIB), e.getMessage());
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
