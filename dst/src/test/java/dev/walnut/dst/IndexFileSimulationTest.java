package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.Durability;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator's index-file (hint-file) actions, each over a range of seeds: writing them under
 * every injected fault, damaging them between runs, and damage in a data file its intact index
 * file hides from the open. Each test also proves its situation happened (the run's figures).
 */
class IndexFileSimulationTest {

    private static final int SEEDS = 40;
    private static final int KEYS = 6;
    /** Puts before the first index write: enough 4 KiB segments to rotate several times. */
    private static final int PUTS = 30;
    private static final List<FaultKind> WRITE_FAULTS = List.of(FaultKind.CRASH_AT_IO, FaultKind.APPEND_FAILURE,
            FaultKind.SYNC_FAILURE, FaultKind.DISK_FULL, FaultKind.READ_ERROR);

    @Test
    void writingIndexFilesUnderEveryInjectedFaultPoisonsNothingAndLosesNothing() {
        RunResult.Indexes total = RunResult.Indexes.NONE;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulationRun run = filledRun(seed);
            FaultKind kind = WRITE_FAULTS.get((int) (seed % WRITE_FAULTS.size()));
            run.faults().arm(kind, (int) (seed / WRITE_FAULTS.size()));
            run.writeIndexFiles();
            run.faults().disarm(kind);
            run.put("after", 100, Durability.SYNC); // refused if the failure had poisoned the store
            run.crash(CrashMode.POWER_LOSS);
            run.writeIndexFiles();
            run.reopen();
            total = total.plus(run.indexes());
        }
        assertTrue(total.written() > 0, "no index file was written: " + total);
        assertTrue(total.writesFailed() > 0, "no injected fault failed an index write: " + total);
    }

    @Test
    void aDamagedIndexFileIsReportedAndTheExactStateComesBack() {
        RunResult.Indexes total = RunResult.Indexes.NONE;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulationRun run = filledRun(seed);
            run.writeIndexFiles();
            run.compact();
            for (int i = 0; i < PUTS; i++) {
                run.put("k" + (i % KEYS), 200, Durability.SYNC);
            }
            run.writeIndexFiles();
            for (int i = 0; i < 3; i++) {
                run.damageIndexFile();
            }
            run.crash(CrashMode.POWER_LOSS);
            total = total.plus(run.indexes());
        }
        assertTrue(total.damageReported() > 0, "no damaged index file was reported: " + total);
    }

    /**
     * A bit flips in the compacted base, whose index file survives: the open reads the index file
     * and succeeds, and a get of the damaged value is refused, never answered wrong. Seeded
     * BIT_FLIP at the power loss, aimed at the base (the third file with synced bytes by name).
     */
    @Test
    void damageInAnIndexedBaseIsRefusedWhenItsValueIsReadNotAtOpen() {
        RunResult.Indexes total = RunResult.Indexes.NONE;
        long corruptionsAtOpen = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulationRun run = filledRun(seed);
            run.compact();
            assertTrue(run.storage().names().stream().anyMatch(n -> n.startsWith("base-") && n.endsWith(".idx")),
                    "compaction wrote no base index file: " + run.storage().names());
            run.faults().arm(FaultKind.BIT_FLIP, 2); // MANIFEST, base-*.idx, then base-*.log
            run.crash(CrashMode.POWER_LOSS);
            assertTrue(run.finished(), "the flip in the base did not end the run: " + run.steps());
            corruptionsAtOpen += run.expectedCorruptions();
            total = total.plus(run.indexes());
        }
        assertTrue(total.hiddenDamageOpens() > 0, "no open read a damaged base from its index file: " + total);
        assertTrue(total.hiddenDamageRefusals() > 0, "no get refused a damaged value: " + total);
        assertTrue(corruptionsAtOpen > 0, "a flip in the base's header never failed the open");
    }

    /** The index actions draw from the seed alone: a run repeats its trace and its index figures. */
    @Test
    void theSameSeedRunsTheIndexActionsToTheSameTrace() {
        RunResult a = SeedRunner.run(497, false, false);
        RunResult b = SeedRunner.run(497, false, false);
        assertEquals(a.traceHash(), b.traceHash());
        assertEquals(a.indexes(), b.indexes());
        assertNull(a.violation(), () -> String.valueOf(a.violation()));
        assertTrue(a.indexes().written() > 0, "seed 497 wrote no index file: " + a.indexes());
    }

    private static SimulationRun filledRun(long seed) {
        Simulator.quietKernelLogging();
        SimulationRun run = new SimulationRun(seed, SimulationRun.optionsFor(0).toBuilder().segmentBytes(4096)
                .build(), false);
        run.start();
        for (int i = 0; i < PUTS; i++) {
            run.put("k" + (i % KEYS), 200 + (int) (seed * 7 + i) % 300, Durability.SYNC);
        }
        return run;
    }
}
