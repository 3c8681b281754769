package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a crash of the simulated storage may and may not leave, and how each fault behaves. */
class SimulatedStorageCrashTest {

    private static final int BLOCK = SimulatedInode.BLOCK_BYTES;
    private static final int SEEDS = 200;

    private static byte[] pattern(int length, int salt) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (1 + (i * 31 + salt) % 251);
        }
        return b;
    }

    private static byte[] read(SimulatedStorage s, String name) throws IOException {
        try (WalFile f = s.open(name)) {
            ByteBuffer b = ByteBuffer.allocate((int) f.sizeBytes());
            f.readFully(0, b);
            return b.array();
        }
    }

    /** Synced bytes always survive; each unsynced block is kept, dropped (zeros) or torn by sector, in any mix. */
    @Test
    void powerLossKeepsSyncedBytesAndKeepsDropsOrTearsEachUnsyncedBlock() throws IOException {
        byte[] synced = pattern(BLOCK + 100, 1);
        byte[] unsynced = pattern(6 * BLOCK, 2);
        Set<String> outcomes = new HashSet<>();
        for (long seed = 0; seed < SEEDS; seed++) {
            SimulatedStorage s = new SimulatedStorage("t", seed);
            try (WalFile f = s.create("f")) {
                f.append(ByteBuffer.wrap(synced));
                f.sync();
                s.syncDirectory();
                f.append(ByteBuffer.wrap(unsynced));
            }
            s.crash(CrashMode.POWER_LOSS);
            byte[] after = read(s, "f");
            assertTrue(after.length >= synced.length, "size=" + after.length);
            assertArrayEquals(synced, Arrays.copyOf(after, synced.length), "seed=" + seed);
            for (int sector = synced.length / 512 + 1; (sector + 1) * 512 <= after.length; sector++) {
                int start = sector * 512;
                byte[] got = Arrays.copyOfRange(after, start, start + 512);
                byte[] written = Arrays.copyOfRange(unsynced, start - synced.length, start - synced.length + 512);
                boolean zeros = Arrays.equals(got, new byte[512]);
                assertTrue(zeros || Arrays.equals(got, written), "sector=" + sector + " is neither zeros nor its data");
                outcomes.add(zeros ? "zeros" : "data");
            }
            outcomes.add(after.length == synced.length ? "size-lost" : "size-kept");
        }
        assertEquals(Set.of("zeros", "data", "size-lost", "size-kept"), outcomes);
    }

    @Test
    void directoryChangesWithoutSyncDirectoryMayBeLostButSyncedOnesStay() throws IOException {
        boolean lost = false;
        boolean kept = false;
        for (long seed = 0; seed < SEEDS; seed++) {
            SimulatedStorage s = new SimulatedStorage("t", seed);
            try (WalFile a = s.create("a")) {
                a.sync();
            }
            s.syncDirectory();
            try (WalFile b = s.create("b")) {
                b.append(ByteBuffer.wrap(pattern(10, 3)));
                b.sync();
            }
            s.crash(CrashMode.POWER_LOSS);
            assertTrue(s.exists("a"));
            lost |= !s.exists("b");
            kept |= s.exists("b");
        }
        assertTrue(lost && kept, "an unsynced create must sometimes survive and sometimes not");
    }

    @Test
    void processKillKeepsEveryVolatileByteButALaterPowerLossMayStillDropThem() throws IOException {
        SimulatedStorage s = new SimulatedStorage("t", 7);
        byte[] data = pattern(3 * BLOCK, 4);
        try (WalFile f = s.create("f")) {
            f.append(ByteBuffer.wrap(data));
        }
        s.crash(CrashMode.PROCESS_KILL);
        assertArrayEquals(data, read(s, "f"));
        s.crash(CrashMode.POWER_LOSS_UNSYNCED_LOST);
        assertFalse(s.exists("f"), "the create was never made durable");
    }

    @Test
    void syncFailureLieLeavesPagesUnwrittenThoughALaterSyncSucceeds() throws IOException {
        SimulatedStorage s = new SimulatedStorage("t", 11);
        byte[] first = pattern(2 * BLOCK, 5);
        try (WalFile f = s.create("f")) {
            s.syncDirectory();
            f.append(ByteBuffer.wrap(first));
            s.faults().arm(FaultKind.SYNC_FAILURE, 0).chance(FaultKind.SYNC_LIE, 1.0);
            assertThrows(IOException.class, f::sync);
            f.append(ByteBuffer.wrap(pattern(BLOCK, 6)));
            f.sync(); // "succeeds"
        }
        CrashReport report = s.crash(CrashMode.POWER_LOSS);
        assertEquals(1, s.faults().injected(FaultKind.SYNC_LIE));
        byte[] after = read(s, "f");
        boolean lostSome = !Arrays.equals(Arrays.copyOf(after, first.length), first);
        assertEquals(lostSome, report.files().get("f").firstDamageBytes() >= 0,
                "damage to promised bytes must be reported exactly when it happened");
    }

    @Test
    void honestSyncRetryAfterAFailureWritesEverything() throws IOException {
        SimulatedStorage s = new SimulatedStorage("t", 12);
        byte[] data = pattern(3 * BLOCK, 7);
        try (WalFile f = s.create("f")) {
            s.syncDirectory();
            f.append(ByteBuffer.wrap(data));
            s.faults().arm(FaultKind.SYNC_FAILURE, 0);
            assertThrows(IOException.class, f::sync);
            f.sync();
        }
        s.crash(CrashMode.POWER_LOSS_UNSYNCED_LOST);
        assertArrayEquals(data, read(s, "f"));
    }

    @Test
    void diskFullWritesAPrefixAndThrows() throws IOException {
        SimulatedStorage s = new SimulatedStorage("t", 13);
        try (WalFile f = s.create("f")) {
            s.faults().arm(FaultKind.DISK_FULL, 0);
            ByteBuffer source = ByteBuffer.wrap(pattern(1000, 8));
            IOException e = assertThrows(IOException.class, () -> f.append(source));
            assertTrue(e.getMessage().contains("ENOSPC"), e.getMessage());
            assertTrue(f.sizeBytes() < 1000);
            assertEquals(f.sizeBytes(), source.position(), "the source advances by what was written");
        }
    }

    @Test
    void readErrorIsAnIoExceptionNamingFileAndOffsetAndShortReadsAreLegal() throws IOException {
        SimulatedStorage s = new SimulatedStorage("t", 14);
        byte[] data = pattern(5000, 9);
        try (WalFile f = s.create("f")) {
            f.append(ByteBuffer.wrap(data));
            s.faults().chance(FaultKind.SHORT_READ, 1.0);
            ByteBuffer b = ByteBuffer.allocate(data.length);
            f.readFully(0, b);
            assertArrayEquals(data, b.array());
            assertTrue(s.faults().injected(FaultKind.SHORT_READ) > 1);
            s.faults().arm(FaultKind.READ_ERROR, 0);
            IOException e = assertThrows(IOException.class, () -> f.read(100, ByteBuffer.allocate(10)));
            assertTrue(e.getMessage().contains("file=sim:/t/f") && e.getMessage().contains("offset=100"),
                    e.getMessage());
        }
    }

    @Test
    void misdirectedWriteDamagesPromisedBytesAndTheCrashReportSaysWhere() throws IOException {
        SimulatedStorage s = new SimulatedStorage("t", 15);
        try (WalFile f = s.create("f")) {
            s.syncDirectory();
            f.append(ByteBuffer.wrap(pattern(2 * BLOCK, 10)));
            f.sync();
            f.append(ByteBuffer.wrap(pattern(BLOCK, 11)));
            s.faults().arm(FaultKind.MISDIRECTED_WRITE, 0);
            f.sync();
        }
        CrashReport report = s.crash(CrashMode.POWER_LOSS);
        assertEquals(1, s.faults().injected(FaultKind.MISDIRECTED_WRITE));
        assertTrue(report.files().get("f").firstDamageBytes() >= 0, "a misdirected write damages promised bytes");
    }

    @Test
    void droppedTruncateLeavesTheOldTailAfterPowerLoss() throws IOException {
        SimulatedStorage s = new SimulatedStorage("t", 16);
        byte[] data = pattern(3 * BLOCK, 12);
        try (WalFile f = s.create("f")) {
            s.syncDirectory();
            f.append(ByteBuffer.wrap(data));
            f.sync();
            s.faults().arm(FaultKind.DROPPED_TRUNCATE, 0);
            f.truncate(100);
            f.sync();
            assertEquals(100, f.sizeBytes(), "the running process sees the truncate");
        }
        s.crash(CrashMode.POWER_LOSS_UNSYNCED_LOST);
        assertEquals(data.length, read(s, "f").length, "the disk never saw it");
    }

    @Test
    void bitFlipStrikesOnlyPromisedBytesAndIsReported() throws IOException {
        SimulatedStorage s = new SimulatedStorage("t", 17);
        try (WalFile f = s.create("f")) {
            s.syncDirectory();
            f.append(ByteBuffer.wrap(pattern(BLOCK, 13)));
            f.sync();
        }
        s.faults().arm(FaultKind.BIT_FLIP, 0);
        CrashReport report = s.crash(CrashMode.POWER_LOSS);
        int at = report.files().get("f").firstDamageBytes();
        assertTrue(at >= 0 && at < BLOCK, "at=" + at);
        assertEquals(1, Integer.bitCount((pattern(BLOCK, 13)[at] ^ read(s, "f")[at]) & 0xFF));
    }

    @Test
    void handlesOfACrashedProcessStopWorkingAndTheLockIsFreed() throws IOException {
        SimulatedStorage s = new SimulatedStorage("t", 18);
        s.lock();
        WalFile f = s.create("f");
        s.crash(CrashMode.PROCESS_KILL);
        assertThrows(SimulatedCrash.class, () -> f.append(ByteBuffer.wrap(new byte[1])));
        s.lock().close();
        assertEquals(List.of("LOCK", "f"), s.list());
    }

    @Test
    void sameSeedGivesTheSameTraceAndAnotherSeedDoesNot() {
        RunResult a = SeedRunner.run(42, false, false);
        RunResult b = SeedRunner.run(42, false, false);
        RunResult c = SeedRunner.run(43, false, false);
        assertEquals(a.traceEvents(), b.traceEvents());
        assertEquals(a.traceHash(), b.traceHash(), "two runs of seed 42 must do the same I/O");
        assertEquals(a.faults(), b.faults());
        assertTrue(a.traceHash() != c.traceHash(), "seeds 42 and 43 did the same I/O: the seed is not used");
    }
}
