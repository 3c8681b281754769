package dev.walnut.dst;

import static dev.walnut.dst.StoreFixture.expected;
import static dev.walnut.dst.StoreFixture.put;
import static dev.walnut.dst.StoreFixture.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.DamageAction;
import dev.walnut.DamageKind;
import dev.walnut.DamageSite;
import dev.walnut.Durability;
import dev.walnut.RecoveryPolicy;
import dev.walnut.RecoveryReport;
import dev.walnut.WalCorruptionException;
import dev.walnut.WalDamageException;
import dev.walnut.Walnut;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Named scenarios, each the shape of a real bug another store shipped, replayed against Walnut on
 * the simulated storage. Each names the store and the failure it copies.
 */
class RealWorldBugScenariosTest {

    private static final int SYNCED = 20;
    private static final int VALUE_BYTES = 150;

    /** SYNCED durable puts, then one more (MANUAL: flushed, never synced) crossing a 4 KiB page boundary. */
    private static StoreFixture.Rec writeWithUnsyncedLastRecordAcrossAPage(StoreFixture fx) throws IOException {
        Walnut db = fx.open();
        for (int i = 0; i < SYNCED; i++) {
            put(db, i, VALUE_BYTES, Durability.SYNC);
        }
        put(db, SYNCED, 1500, Durability.MANUAL);
        db.flush(); // out of the store's buffer into the page cache, where the torn write strikes
        fx.crash(db, CrashMode.PROCESS_KILL);
        List<StoreFixture.Rec> records = fx.records(fx.lastSegmentWithRecords());
        StoreFixture.Rec last = records.get(records.size() - 1);
        assertTrue(last.offsetBytes() < 4096 && last.endBytes() > 4096 + 512, "the last record must span the page"
                + " boundary: " + last);
        return last;
    }

    private static RecoveryReport assertTornTailDroppingOnlyTheLastRecord(StoreFixture fx, long tornOffset)
            throws IOException {
        try (Walnut db = fx.open()) {
            RecoveryReport report = db.recoveryReport();
            assertEquals(1, report.damage().size(), report.describe());
            DamageSite site = report.damage().get(0);
            assertEquals(DamageKind.TORN_TAIL, site.kind(), report.describe());
            assertEquals(DamageAction.DROPPED, site.action(), report.describe());
            assertEquals(tornOffset, site.offsetBytes(), report.describe());
            assertEquals(expected(0, SYNCED, VALUE_BYTES), state(db), report.describe());
            return report;
        }
    }

    /**
     * ext4/XFS under a torn 4 KiB write (LevelDB issue 320, etcd's torn-WAL fixes): the second page
     * of the last record never reached the disk, so one sector in it reads as zeros.
     */
    @Test
    void tornWriteAtAPageBoundaryLeavingAZeroedSectorInTheLastRecordIsATornTail() throws IOException {
        StoreFixture fx = new StoreFixture(101, 1 << 20);
        StoreFixture.Rec last = writeWithUnsyncedLastRecordAcrossAPage(fx);
        String seg = fx.lastSegmentWithRecords();
        byte[] bytes = fx.file(seg);
        Arrays.fill(bytes, 4096, 4096 + 512, (byte) 0);
        fx.setFile(seg, bytes);
        assertTornTailDroppingOnlyTheLastRecord(fx, last.offsetBytes());
    }

    /**
     * Zeros after a torn sector followed by non-zero bytes (the pattern that made etcd's "zeroed
     * tail" check wrong): the zeroed span is in the middle, valid-looking bytes follow it.
     */
    @Test
    void zerosAfterATornSectorFollowedByNonZeroBytesAreATornTailNotAnEnd() throws IOException {
        StoreFixture fx = new StoreFixture(102, 1 << 20);
        StoreFixture.Rec last = writeWithUnsyncedLastRecordAcrossAPage(fx);
        String seg = fx.lastSegmentWithRecords();
        byte[] bytes = fx.file(seg);
        Arrays.fill(bytes, last.offsetBytes() + 40, last.offsetBytes() + 40 + 512, (byte) 0);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3000);
        for (int i = bytes.length; i < longer.length; i++) {
            longer[i] = (byte) (i * 13 + 7);
        }
        fx.setFile(seg, longer);
        assertTornTailDroppingOnlyTheLastRecord(fx, last.offsetBytes());
    }

    /**
     * The log is reused after an incomplete record (LevelDB's "log reuse" corruption, RocksDB
     * #1034): writes acknowledged after the reopen must survive the next power loss, and the torn
     * record must not come back.
     */
    @Test
    void writesAcknowledgedAfterReopeningOverAnIncompleteRecordSurviveTheNextPowerLoss() throws IOException {
        StoreFixture fx = new StoreFixture(103, 1 << 20);
        StoreFixture.Rec last = writeWithUnsyncedLastRecordAcrossAPage(fx);
        String seg = fx.lastSegmentWithRecords();
        fx.setFile(seg, Arrays.copyOf(fx.file(seg), last.offsetBytes() + 700));
        Walnut reopened = fx.open();
        assertEquals(DamageKind.TORN_TAIL, reopened.recoveryReport().damage().get(0).kind());
        for (int i = 1000; i < 1030; i++) {
            put(reopened, i, VALUE_BYTES, Durability.SYNC);
        }
        fx.crash(reopened, CrashMode.POWER_LOSS_UNSYNCED_LOST);
        try (Walnut db = fx.open()) {
            Map<String, String> expected = expected(0, SYNCED, VALUE_BYTES);
            expected.putAll(expected(1000, 30, VALUE_BYTES));
            assertEquals(expected, state(db), db.recoveryReport().describe());
            assertNull(db.get(StoreFixture.bytes(StoreFixture.key(SYNCED))));
        }
    }

    /**
     * An older segment ends in an incomplete record while the next segment is replayed (RocksDB's
     * kPointInTimeRecovery hole, #6288): that is corruption, never a hole silently skipped.
     */
    @Test
    void olderSegmentEndingInAnIncompleteRecordBeforeTheNextSegmentIsCorruption() throws IOException {
        StoreFixture fx = new StoreFixture(104, 4096);
        try (Walnut db = fx.open()) {
            for (int i = 0; i < 60; i++) {
                put(db, i, VALUE_BYTES, Durability.SYNC);
            }
        }
        List<String> segments = fx.segments();
        assertTrue(segments.size() >= 3, "rotation must have made segments: " + segments);
        String older = segments.get(0);
        List<StoreFixture.Rec> records = fx.records(older);
        StoreFixture.Rec last = records.get(records.size() - 1);
        fx.setFile(older, Arrays.copyOf(fx.file(older), last.offsetBytes() + 5));
        WalCorruptionException e = assertThrows(WalCorruptionException.class, fx::open);
        assertEquals(older, e.site().file(), e.getMessage());
        assertEquals(last.offsetBytes(), e.site().offsetBytes(), e.getMessage());
        try (Walnut db = fx.open(RecoveryPolicy.SALVAGE)) {
            assertTrue(db.recoveryReport().hasCorruption(), db.recoveryReport().describe());
            assertEquals(59, db.size(), "salvage keeps every record but the damaged one\n"
                    + db.recoveryReport().describe());
        }
    }

    /**
     * Truncation exactly at a record boundary in a completed segment (a copy, or a filesystem that
     * lost the last extent): the file looks clean, but its successor declares a longer segment.
     */
    @Test
    void truncationExactlyAtARecordBoundaryInACompletedSegmentIsCorruption() throws IOException {
        StoreFixture fx = new StoreFixture(105, 4096);
        try (Walnut db = fx.open()) {
            for (int i = 0; i < 60; i++) {
                put(db, i, VALUE_BYTES, Durability.SYNC);
            }
        }
        String completed = fx.segments().get(0);
        List<StoreFixture.Rec> records = fx.records(completed);
        StoreFixture.Rec cut = records.get(records.size() - 3);
        fx.setFile(completed, Arrays.copyOf(fx.file(completed), cut.endBytes()));
        WalCorruptionException e = assertThrows(WalCorruptionException.class, fx::open);
        assertEquals(completed, e.site().file(), e.getMessage());
        assertEquals(cut.endBytes(), e.site().offsetBytes(), e.getMessage());
    }

    /**
     * A read error during recovery (PostgreSQL's and MySQL's "EIO read treated as end of log"):
     * the open must fail with the I/O error, never classify it as damage or end, and change nothing.
     */
    @Test
    void readErrorDuringRecoveryFailsTheOpenChangesNothingAndALaterOpenLosesNothing() throws IOException {
        StoreFixture fx = new StoreFixture(106, 4096);
        try (Walnut db = fx.open()) {
            for (int i = 0; i < 60; i++) {
                put(db, i, VALUE_BYTES, Durability.SYNC);
            }
        }
        for (int skip = 0; skip < 6; skip++) {
            String before = fx.storage.digest();
            fx.storage.faults().arm(FaultKind.READ_ERROR, skip);
            IOException e = assertThrows(IOException.class, fx::open, "skip=" + skip);
            assertFalse(e instanceof WalDamageException, "a read error is not damage: " + e);
            assertTrue(e.getMessage().contains("EIO"), e.getMessage());
            assertEquals(before, fx.storage.digest(), "a failed open must not change the directory");
        }
        try (Walnut db = fx.open()) {
            assertTrue(db.recoveryReport().clean(), db.recoveryReport().describe());
            assertEquals(expected(0, 60, VALUE_BYTES), state(db));
        }
    }

    /**
     * Segment headers created without a directory sync (and the MANIFEST switch of compaction),
     * reading as zeros or missing after a power loss (the ext4 zero-length-file bug behind many
     * "empty CURRENT/MANIFEST" reports in LevelDB and RocksDB): a crash at every I/O call of
     * rotation and of compaction, then a power loss, must recover every acknowledged write.
     */
    @Test
    void powerLossAtEveryIoCallOfRotationAndCompactionLosesNoAcknowledgedWrite() throws IOException {
        for (int skip = 0; skip < 40; skip++) {
            StoreFixture fx = new StoreFixture(200 + skip, 4096);
            Map<String, String> acknowledged = new java.util.TreeMap<>();
            int crashAt = skip;
            boolean crashed = fx.runOrCrash(db -> {
                for (int i = 0; i < 30; i++) {
                    put(db, i, VALUE_BYTES, Durability.SYNC);
                    acknowledged.put(StoreFixture.key(i), StoreFixture.value(i, VALUE_BYTES));
                }
                fx.storage.faults().arm(FaultKind.CRASH_AT_IO, crashAt);
                for (int i = 30; i < 60; i++) {
                    if (i == 45) {
                        db.compact();
                    }
                    put(db, i, VALUE_BYTES, Durability.SYNC);
                    acknowledged.put(StoreFixture.key(i), StoreFixture.value(i, VALUE_BYTES));
                }
            }, CrashMode.POWER_LOSS);
            assertTrue(crashed, "skip=" + skip + " must strike inside the work");
            try (Walnut db = fx.open()) {
                Map<String, String> actual = state(db);
                for (Map.Entry<String, String> e : acknowledged.entrySet()) {
                    assertEquals(e.getValue(), actual.get(e.getKey()), "skip=" + skip + " key=" + e.getKey() + "\n"
                            + db.recoveryReport().describe());
                }
            }
        }
    }

    /** A MANIFEST that reads as zeros is corruption (it is only ever replaced atomically), not an empty store. */
    @Test
    void manifestReadingAsZerosFailsTheOpenInsteadOfOpeningAnEmptyStore() throws IOException {
        StoreFixture fx = new StoreFixture(107, 4096);
        try (Walnut db = fx.open()) {
            for (int i = 0; i < 40; i++) {
                put(db, i, VALUE_BYTES, Durability.SYNC);
            }
            db.compact();
        }
        assertTrue(fx.storage.exists("MANIFEST"));
        fx.setFile("MANIFEST", new byte[fx.file("MANIFEST").length]);
        assertInstanceOf(WalCorruptionException.class, assertThrows(IOException.class, fx::open));
    }

    /**
     * A crash during recovery, while it creates the new segment, then a second crash (the double
     * fault behind etcd's "wal: crc mismatch" after restart loops): every durable write survives.
     */
    @Test
    void crashAtEveryIoCallOfRecoveryThenASecondPowerLossLosesNoDurableWrite() throws IOException {
        for (int skip = 0; skip < 30; skip++) {
            StoreFixture fx = new StoreFixture(300 + skip, 4096);
            Walnut first = fx.open();
            for (int i = 0; i < 40; i++) {
                put(first, i, VALUE_BYTES, Durability.SYNC);
            }
            fx.crash(first, CrashMode.POWER_LOSS);
            fx.storage.faults().arm(FaultKind.CRASH_AT_IO, skip);
            try {
                Walnut second = fx.open();
                fx.storage.faults().disarm(FaultKind.CRASH_AT_IO);
                put(second, 100, VALUE_BYTES, Durability.SYNC);
                fx.crash(second, CrashMode.POWER_LOSS);
            } catch (SimulatedCrash expected) {
                fx.storage.crash(CrashMode.POWER_LOSS); // died inside recovery, then the power went
            }
            try (Walnut db = fx.open()) {
                StoreFixture.assertHolds(expected(0, 40, VALUE_BYTES), db);
            }
        }
    }
}
