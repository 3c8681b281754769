package dev.walnut;

import static dev.walnut.LogFixture.key;
import static dev.walnut.LogFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.LogFixture.RecordAt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shapes of an unfinished last write: each is a torn tail, dropped, with every synced record kept. */
class TornTailRecoveryTest {

    static final int RECORDS = 50;

    @TempDir
    Path root;

    /** Opens the damaged image under the default policy and checks the outcome. */
    private RecoveryReport openExpectingTornTail(Path dir, long tornOffset, int survivors) throws IOException {
        try (Walnut db = Walnut.open(dir, LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL))) {
            RecoveryReport report = db.recoveryReport();
            assertEquals(1, report.damage().size(), report.describe());
            DamageSite site = report.damage().get(0);
            assertEquals(DamageKind.TORN_TAIL, site.kind(), report.describe());
            assertEquals(DamageAction.DROPPED, site.action());
            assertEquals(tornOffset, site.offsetBytes(), report.describe());
            assertEquals(survivors, report.recordsReplayed());
            for (int i = 0; i < survivors; i++) {
                assertArrayEquals(value(i), db.get(key(i)), "record " + i);
            }
            for (int i = survivors; i < RECORDS; i++) {
                assertNull(db.get(key(i)), "record " + i + " was torn and must not be replayed");
            }
            return report;
        }
    }

    private Path crashed() throws IOException {
        return LogFixture.writeAndCrash(root, RECORDS, LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL));
    }

    private static RecordAt last(Path segment) throws IOException {
        List<RecordAt> records = LogFixture.records(segment);
        return records.get(records.size() - 1);
    }

    @Test
    void headerCutShortAtEndOfFileIsTornTail() throws IOException {
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt last = last(seg);
        LogFixture.truncate(seg, last.offsetBytes() + 5);
        openExpectingTornTail(dir, last.offsetBytes(), RECORDS - 1);
    }

    @Test
    void payloadRunningPastEndOfFileIsTornTail() throws IOException {
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt last = last(seg);
        LogFixture.truncate(seg, last.endBytes() - 3);
        openExpectingTornTail(dir, last.offsetBytes(), RECORDS - 1);
    }

    @Test
    void zeroFilledTailAfterTheLastRecordIsTornTailAndLosesNothing() throws IOException {
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        long end = last(seg).endBytes();
        LogFixture.append(seg, new byte[8192]);
        RecoveryReport report = openExpectingTornTail(dir, end, RECORDS);
        assertTrue(report.damage().get(0).evidence().contains("zeroed record header"), report.describe());
    }

    @Test
    void zeroFilledLastRecordIsTornTail() throws IOException {
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt last = last(seg);
        LogFixture.overwrite(seg, last.offsetBytes(), new byte[last.lengthBytes()]);
        openExpectingTornTail(dir, last.offsetBytes(), RECORDS - 1);
    }

    @Test
    void garbageTailIsTornTail() throws IOException {
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        long end = last(seg).endBytes();
        byte[] garbage = new byte[16 * 1024];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) random.nextInt(256);
        }
        LogFixture.append(seg, garbage);
        openExpectingTornTail(dir, end, RECORDS);
    }

    @Test
    void zeroedHeaderFollowedByNonZeroBytesInTheSameSectorIsTornTail() throws IOException {
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt last = last(seg);
        LogFixture.overwrite(seg, last.offsetBytes(), new byte[12]);
        openExpectingTornTail(dir, last.offsetBytes(), RECORDS - 1);
    }

    @Test
    void bitFlipInTheLastRecordWithNoLaterProofIsTornTail() throws IOException {
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt last = last(seg);
        LogFixture.flipBit(seg, last.offsetBytes() + last.lengthBytes() - 2, 3);
        openExpectingTornTail(dir, last.offsetBytes(), RECORDS - 1);
    }

    @Test
    void recordCopiedFromAnotherSegmentIsRejected() throws IOException {
        Path dir = crashed();
        // The same writes under another seed: byte-identical records at identical offsets, but
        // in a segment with another salt.
        Path other = LogFixture.writeAndCrash(root.resolve("other"), RECORDS,
                LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL).toBuilder().seed(43).build());
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        Path foreignSeg = LogFixture.lastSegmentWithRecords(other);
        RecordAt last = last(seg);
        assertEquals(last, last(foreignSeg));
        byte[] foreign = LogFixture.read(foreignSeg, last.offsetBytes(), last.lengthBytes());
        LogFixture.overwrite(seg, last.offsetBytes(), foreign);
        RecoveryReport report = openExpectingTornTail(dir, last.offsetBytes(), RECORDS - 1);
        assertTrue(report.damage().get(0).evidence().contains("record header checksum mismatch"), report.describe());
    }

    @Test
    void wellFormedRecordMovedToTheWrongOffsetIsRejected() throws IOException {
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt last = last(seg);
        byte[] bytes = LogFixture.read(seg, last.offsetBytes(), last.lengthBytes());
        LogFixture.append(seg, bytes); // a valid record of this segment, one record too far
        openExpectingTornTail(dir, last.endBytes(), RECORDS);
    }

    @Test
    void headerClaimingTwoGibibytesIsClassifiedWithoutAllocating() throws IOException {
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt last = last(seg);
        long salt = LogFixture.header(seg).salt();
        int claimed = Integer.MIN_VALUE; // 0x80000000 = 2 GiB as u32
        int payloadCrc = 0x12345678;
        int headerCrc = new dev.walnut.format.RecordCodec(1 << 20, false)
                .headerChecksum(salt, last.offsetBytes(), claimed, payloadCrc);
        java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(claimed).putInt(payloadCrc).putInt(headerCrc);
        LogFixture.overwrite(seg, last.offsetBytes(), header.array());
        RecoveryReport report = openExpectingTornTail(dir, last.offsetBytes(), RECORDS - 1);
        assertTrue(report.damage().get(0).evidence().contains("record length out of range"), report.describe());
        assertTrue(report.peakBufferBytes() < 4L * 1024 * 1024, "peak=" + report.peakBufferBytes());
    }

    @Test
    void writesAcknowledgedAfterATornTailReopenSurviveTheNextCrash() throws IOException {
        WalnutOptions options = LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL);
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt last = last(seg);
        LogFixture.truncate(seg, last.offsetBytes() + 7);
        Path second = root.resolve("second");
        try (Walnut db = Walnut.open(dir, options)) {
            assertEquals(DamageKind.TORN_TAIL, db.recoveryReport().damage().get(0).kind());
            for (int i = 1000; i < 1100; i++) {
                db.put(key(i), value(i));
            }
            LogFixture.copySegments(dir, second); // crash again, before close
        }
        try (Walnut db = Walnut.open(second, options)) {
            RecoveryReport report = db.recoveryReport();
            for (int i = 1000; i < 1100; i++) {
                assertArrayEquals(value(i), db.get(key(i)), "post-reopen write " + i + " lost\n" + report.describe());
            }
            for (int i = 0; i < RECORDS - 1; i++) {
                assertArrayEquals(value(i), db.get(key(i)));
            }
            assertNull(db.get(key(RECORDS - 1)));
            assertEquals(1, report.damage().size(), report.describe());
            assertEquals(DamageAction.DROPPED_EARLIER, report.damage().get(0).action());
            assertEquals(DamageKind.TORN_TAIL, report.damage().get(0).kind());
        }
    }

    @Test
    void openingTwiceAfterDamageGivesTheSameStateAndDamageSites() throws IOException {
        WalnutOptions options = LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL);
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt last = last(seg);
        LogFixture.overwrite(seg, last.offsetBytes() + 20, new byte[] {1, 2, 3});
        RecoveryReport first;
        RecoveryReport second;
        long firstSize;
        try (Walnut db = Walnut.open(dir, options)) {
            first = db.recoveryReport();
            firstSize = db.size();
        }
        try (Walnut db = Walnut.open(dir, options)) {
            second = db.recoveryReport();
            assertEquals(firstSize, db.size());
            for (int i = 0; i < RECORDS; i++) {
                assertArrayEquals(i < RECORDS - 1 ? value(i) : null, db.get(key(i)));
            }
        }
        // The only record added in between is the seal the first store's close wrote.
        assertEquals(first.lastSequence() + 1, second.lastSequence());
        assertEquals(first.damage().size(), second.damage().size());
        DamageSite a = first.damage().get(0);
        DamageSite b = second.damage().get(0);
        assertEquals(List.of(a.file(), a.offsetBytes(), a.kind()), List.of(b.file(), b.offsetBytes(), b.kind()));
        assertEquals(DamageAction.DROPPED, a.action());
        assertEquals(DamageAction.DROPPED_EARLIER, b.action());
    }

    @Test
    void strictPolicyFailsOnATornTailAndChangesNothing() throws IOException {
        Path dir = crashed();
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        LogFixture.truncate(seg, last(seg).offsetBytes() + 3);
        String before = LogFixture.digest(dir);
        WalDamageException e = assertThrows(WalDamageException.class,
                () -> Walnut.open(dir, LogFixture.small(RecoveryPolicy.STRICT)).close());
        assertEquals(DamageKind.TORN_TAIL, e.site().kind());
        assertTrue(e.getMessage().contains(seg.getFileName().toString()), e.getMessage());
        assertEquals(before, LogFixture.digest(dir));
    }
}
