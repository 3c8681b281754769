package dev.walnut;

import static dev.walnut.LogFixture.key;
import static dev.walnut.LogFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.LogFixture.RecordAt;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import dev.walnut.format.UnsupportedFormatException;
import dev.walnut.io.FileChannelWalStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damage to bytes that were durable: classified as corruption, and each policy does what it promises. */
class CorruptionRecoveryTest {

    static final int RECORDS = 60;
    /** Enough records for several 4 KiB segments. */
    static final int MANY = 400;

    @TempDir
    Path root;

    private static WalnutOptions options(RecoveryPolicy policy) {
        return LogFixture.small(policy);
    }

    private static WalnutOptions smallSegments(RecoveryPolicy policy) {
        // No automatic compaction: these tests inspect the damaged segments it would retire.
        return options(policy).toBuilder().segmentBytes(4096).compactionRatio(0).build();
    }

    /** A single-segment crash image with a bit flipped in the payload of record {@code index}. */
    private RecordAt flipInRecord(Path dir, int index) throws IOException {
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt r = LogFixture.records(seg).get(index);
        LogFixture.flipBit(seg, r.offsetBytes() + 14, 5);
        return r;
    }

    @Test
    void bitFlipInAMiddleRecordFollowedByRecordsProvingItDurableFailsTheDefaultOpen() throws IOException {
        Path dir = LogFixture.writeAndCrash(root, RECORDS, options(RecoveryPolicy.TOLERATE_TORN_TAIL));
        RecordAt damaged = flipInRecord(dir, RECORDS / 2);
        String before = LogFixture.digest(dir);
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, options(RecoveryPolicy.TOLERATE_TORN_TAIL)).close());
        assertEquals(damaged.offsetBytes(), e.offsetBytes());
        assertEquals("wal-0000000001.log", e.file());
        assertTrue(e.getMessage().contains("claims syncedThrough="), e.getMessage());
        assertTrue(e.getMessage().contains("payload checksum mismatch: expected="), e.getMessage());
        assertEquals(before, LogFixture.digest(dir), "a failed open must change no file");
        assertThrows(WalCorruptionException.class, () -> Walnut.open(dir, options(RecoveryPolicy.STRICT)).close());
    }

    @Test
    void salvageSkipsTheCorruptRecordKeepsEveryLaterOneAndModifiesNoSourceFile() throws IOException {
        Path dir = LogFixture.writeAndCrash(root, RECORDS, options(RecoveryPolicy.TOLERATE_TORN_TAIL));
        RecordAt damaged = flipInRecord(dir, RECORDS / 2);
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        byte[] sourceBefore = Files.readAllBytes(seg);
        try (Walnut db = Walnut.open(dir, options(RecoveryPolicy.SALVAGE))) {
            RecoveryReport report = db.recoveryReport();
            assertEquals(1, report.damage().size(), report.describe());
            DamageSite site = report.damage().get(0);
            assertEquals(DamageKind.CORRUPTION, site.kind());
            assertEquals(DamageAction.SKIPPED, site.action());
            assertEquals(damaged.offsetBytes(), site.offsetBytes());
            assertEquals(damaged.lengthBytes(), site.lengthBytes());
            for (int i = 0; i < RECORDS; i++) {
                assertArrayEquals(i == RECORDS / 2 ? null : value(i), db.get(key(i)), "record " + i);
            }
        }
        assertArrayEquals(sourceBefore, Files.readAllBytes(seg));
    }

    @Test
    void pointInTimeKeepsThePrefixBeforeTheCorruptionAndQuarantinesLaterSegments() throws IOException {
        Path dir = LogFixture.writeAndCrash(root, MANY, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL));
        List<Path> segments = LogFixture.segments(dir);
        assertTrue(segments.size() >= 4, "needs several segments: " + segments);
        Path second = segments.get(1);
        RecordAt damaged = LogFixture.records(second).get(1);
        LogFixture.flipBit(second, damaged.offsetBytes() + 20, 0);
        long firstLostSequence = damaged.sequence();
        try (Walnut db = Walnut.open(dir, smallSegments(RecoveryPolicy.POINT_IN_TIME))) {
            RecoveryReport report = db.recoveryReport();
            assertEquals(DamageAction.CUT, report.damage().get(0).action(), report.describe());
            assertEquals(DamageKind.CORRUPTION, report.damage().get(0).kind());
            assertEquals(firstLostSequence - 1, report.lastSequence());
            for (int i = 0; i < MANY; i++) {
                assertArrayEquals(i < firstLostSequence - 1 ? value(i) : null, db.get(key(i)), "record " + i);
            }
            db.put(key(9999), value(9999));
        }
        for (Path later : segments.subList(2, segments.size())) {
            assertFalse(Files.exists(later), later + " must be set aside");
            assertTrue(Files.exists(Path.of(later + ".quarantined")), later + " must be quarantined, not deleted");
        }
        // The cut is recorded: the default policy now opens the cut log, with the write made after the cut.
        try (Walnut db = Walnut.open(dir, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL))) {
            assertArrayEquals(value(9999), db.get(key(9999)));
            assertNull(db.get(key((int) firstLostSequence)));
            DamageSite earlier = db.recoveryReport().damage().get(0);
            assertEquals(DamageAction.DROPPED_EARLIER, earlier.action(), db.recoveryReport().describe());
            assertEquals(DamageKind.CORRUPTION, earlier.kind());
        }
    }

    @Test
    void pointInTimeQuarantinesASegmentWhoseDamagedHeaderIsTheCutAndEveryLaterOne() throws IOException {
        Path dir = LogFixture.writeAndCrash(root, MANY, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL));
        List<Path> segments = LogFixture.segments(dir);
        Path second = segments.get(1);
        LogFixture.flipBit(second, 30, 2);
        long survivors = LogFixture.records(segments.get(0)).size();
        try (Walnut db = Walnut.open(dir, smallSegments(RecoveryPolicy.POINT_IN_TIME))) {
            assertEquals(survivors, db.size(), db.recoveryReport().describe());
        }
        for (Path later : segments.subList(1, segments.size())) {
            assertTrue(Files.exists(Path.of(later + ".quarantined")), later + " must be quarantined");
        }
        try (Walnut db = Walnut.open(dir, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL))) {
            assertEquals(survivors, db.size(), db.recoveryReport().describe());
        }
    }

    @Test
    void pointInTimeQuarantinesASegmentWhoseFirstSequenceBreaksTheChainAndKeepsTheWritesAfterTheCut()
            throws IOException {
        Path dir = LogFixture.writeAndCrash(root, MANY, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL));
        List<Path> segments = LogFixture.segments(dir);
        Path second = segments.get(1);
        SegmentHeader h = LogFixture.header(second);
        // A checksum-valid header that lies about its first sequence: the chain breaks at the header.
        LogFixture.overwrite(second, 0, new SegmentHeader(h.flags(), h.segmentNumber(), h.salt(),
                h.firstSequence() + 1000, h.predecessorSegment(), h.predecessorEndBytes(), h.recordBytesMax())
                .encode().array());
        long survivors = LogFixture.records(segments.get(0)).size();
        try (Walnut db = Walnut.open(dir, smallSegments(RecoveryPolicy.POINT_IN_TIME))) {
            assertEquals(DamageAction.CUT, db.recoveryReport().damage().get(0).action(), db.recoveryReport().describe());
            assertEquals(survivors, db.size());
            db.put(key(9999), value(9999));
        }
        for (Path later : segments.subList(1, segments.size())) {
            assertTrue(Files.exists(Path.of(later + ".quarantined")), later + " must be quarantined");
        }
        for (RecoveryPolicy policy : List.of(RecoveryPolicy.POINT_IN_TIME, RecoveryPolicy.TOLERATE_TORN_TAIL)) {
            try (Walnut db = Walnut.open(dir, smallSegments(policy))) {
                assertArrayEquals(value(9999), db.get(key(9999)), policy + "\n" + db.recoveryReport().describe());
                assertEquals(survivors + 1, db.size());
            }
        }
    }

    @Test
    void segmentWithASuccessorEndingShortExactlyOnARecordBoundaryIsCorruption() throws IOException {
        Path dir = LogFixture.writeAndCrash(root, MANY, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL));
        Path first = LogFixture.segments(dir).get(0);
        List<RecordAt> records = LogFixture.records(first);
        RecordAt lastOfFirst = records.get(records.size() - 1);
        LogFixture.truncate(first, lastOfFirst.offsetBytes());
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL)).close());
        assertEquals(lastOfFirst.offsetBytes(), e.offsetBytes());
        assertTrue(e.getMessage().contains("segment ends short"), e.getMessage());
    }

    @Test
    void damageInTheLastRecordOfASegmentWithASuccessorIsCorruption() throws IOException {
        Path dir = LogFixture.writeAndCrash(root, MANY, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL));
        Path first = LogFixture.segments(dir).get(0);
        List<RecordAt> records = LogFixture.records(first);
        RecordAt lastOfFirst = records.get(records.size() - 1);
        LogFixture.overwrite(first, lastOfFirst.offsetBytes(), new byte[12]);
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL)).close());
        assertEquals(lastOfFirst.offsetBytes(), e.offsetBytes());
        assertTrue(e.getMessage().contains("declared by successor segment"), e.getMessage());
    }

    @Test
    void damageBeforeTheSealOfACleanlyClosedSegmentIsCorruption() throws IOException {
        Path dir = root.resolve("clean");
        try (Walnut db = Walnut.open(dir, options(RecoveryPolicy.TOLERATE_TORN_TAIL))) {
            for (int i = 0; i < 5; i++) {
                db.put(key(i), value(i));
            }
        }
        Path seg = LogFixture.segments(dir).get(0);
        List<RecordAt> records = LogFixture.records(seg);
        // Records 0..4, then the seal. Damage the last data record: only the seal proves it durable.
        RecordAt lastData = records.get(records.size() - 2);
        LogFixture.flipBit(seg, lastData.offsetBytes() + lastData.lengthBytes() - 1, 1);
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, options(RecoveryPolicy.TOLERATE_TORN_TAIL)).close());
        assertTrue(e.getMessage().contains("sealed by a clean close"), e.getMessage());
    }

    @Test
    void damagedHeaderOfASegmentWithRecordsIsCorruption() throws IOException {
        Path dir = LogFixture.writeAndCrash(root, MANY, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL));
        Path second = LogFixture.segments(dir).get(1);
        LogFixture.flipBit(second, 30, 2);
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, smallSegments(RecoveryPolicy.TOLERATE_TORN_TAIL)).close());
        assertEquals(second.getFileName().toString(), e.file());
        assertEquals(0, e.offsetBytes());
    }

    @Test
    void aSegmentOfAnotherFormatVersionFailsEveryPolicyAsUnsupportedNeverAsDamage() throws IOException {
        Path dir = LogFixture.writeAndCrash(root, RECORDS, options(RecoveryPolicy.TOLERATE_TORN_TAIL));
        Path seg = LogFixture.segments(dir).get(0);
        byte[] header = LogFixture.read(seg, 0, RecordFormat.SEGMENT_HEADER_BYTES);
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putInt(8, RecordFormat.FORMAT_VERSION + 1);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(header, 0, RecordFormat.SEGMENT_HEADER_BYTES - 4);
        h.putInt(RecordFormat.SEGMENT_HEADER_BYTES - 4, (int) crc.getValue());
        LogFixture.overwrite(seg, 0, header);
        String before = LogFixture.digest(dir);
        for (RecoveryPolicy policy : RecoveryPolicy.values()) {
            UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                    () -> Walnut.open(dir, options(policy)).close(), policy.name());
            assertTrue(e.getMessage().contains("expected=" + RecordFormat.FORMAT_VERSION), e.getMessage());
        }
        assertEquals(before, LogFixture.digest(dir));
    }

    @Test
    void readErrorDuringRecoveryFailsTheOpenWithItAndChangesNoFile() throws IOException {
        Path dir = LogFixture.writeAndCrash(root, RECORDS, options(RecoveryPolicy.TOLERATE_TORN_TAIL));
        Path seg = LogFixture.lastSegmentWithRecords(dir);
        RecordAt middle = LogFixture.records(seg).get(RECORDS / 2);
        String before = LogFixture.digest(dir);
        for (RecoveryPolicy policy : RecoveryPolicy.values()) {
            try (FileChannelWalStorage disk = new FileChannelWalStorage(dir)) {
                FaultyReadStorage faulty = new FaultyReadStorage(disk, seg.getFileName().toString(),
                        middle.offsetBytes());
                IOException e = assertThrows(IOException.class,
                        () -> Walnut.open(faulty, options(policy).toBuilder().readWindowBytes(4096).build()).close());
                assertFalse(e instanceof WalDamageException, policy + ": an I/O error is never damage: " + e);
                assertTrue(e.getMessage().contains("injected read error"), e.getMessage());
            }
        }
        assertEquals(before, LogFixture.digest(dir));
    }

    @Test
    void unfinishedSegmentCreationIsATornTailAndStaysDroppedOnTheNextOpen() throws IOException {
        WalnutOptions options = options(RecoveryPolicy.TOLERATE_TORN_TAIL);
        Path dir = LogFixture.writeAndCrash(root, RECORDS, options);
        // A crash after creating the next segment file but before its header was durable.
        Files.write(dir.resolve("wal-0000000002.log"), new byte[20]);
        try (Walnut db = Walnut.open(dir, options)) {
            DamageSite site = db.recoveryReport().damage().get(0);
            assertEquals(DamageKind.TORN_TAIL, site.kind(), db.recoveryReport().describe());
            assertEquals("wal-0000000002.log", site.file());
            assertEquals(RECORDS, db.size());
            db.put(key(7777), value(7777));
        }
        try (Walnut db = Walnut.open(dir, options)) {
            DamageSite site = db.recoveryReport().damage().get(0);
            assertEquals(DamageAction.DROPPED_EARLIER, site.action(), db.recoveryReport().describe());
            assertEquals(RECORDS + 1, db.size());
            assertArrayEquals(value(7777), db.get(key(7777)));
        }
    }
}
