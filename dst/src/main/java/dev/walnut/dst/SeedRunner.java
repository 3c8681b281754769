package dev.walnut.dst;

import dev.walnut.Durability;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs one seed: draws the fault profile and the options from it, then a sequence of actions,
 * each chosen by weight. The same seed always makes the same choices.
 */
public final class SeedRunner {

    static final int KEYS = 12;
    static final int STEPS_MIN = 40;
    static final int STEPS_SPREAD = 120;
    static final int VALUE_BYTES_SMALL_MAX = 300;
    static final int VALUE_BYTES_LARGE_MAX = 9000;
    static final int CRASH_AT_IO_SKIP_MAX = 60;
    private static final int LAST_STEPS_KEPT = 40;
    /**
     * Action weights: the first 100 as before format 3; then 6 of reads under faults, 4 of rot; then
     * 4 of writing index files, 2 of damaging one between two runs.
     */
    private static final int ROLLS = 116;

    private SeedRunner() {
    }

    public static RunResult run(long seed, boolean verbose) {
        return run(seed, verbose, false);
    }

    /** With {@code mitigate}, the run looks past the known kernel bugs (see {@link SimulationRun#mitigateKnownBugs}). */
    public static RunResult run(long seed, boolean verbose, boolean mitigate) {
        SplittableRandom r = new SplittableRandom(seed);
        SimulationRun run = new SimulationRun(seed, SimulationRun.optionsFor(seed), verbose).mitigateKnownBugs(mitigate);
        profile(run.faults(), r);
        int steps = STEPS_MIN + r.nextInt(STEPS_SPREAD);
        Violation violation = null;
        int done = 0;
        try {
            run.start();
            for (; done < steps && !run.finished(); done++) {
                step(run, r);
            }
            if (!run.finished()) {
                run.reopen();
            }
        } catch (Violation v) {
            violation = v;
        } catch (RuntimeException | Error e) {
            violation = new Violation("unexpected-exception", e.toString(), e);
        } finally {
            Abandon.store(run.store());
        }
        List<String> all = run.steps();
        return new RunResult(seed, mitigate, done, run.storage().crashes(), run.reopens(), run.expectedCorruptions(),
                run.faults().injected(), run.storage().trace().hash(), run.storage().trace().events(), violation,
                new ArrayList<>(all.subList(Math.max(0, all.size() - LAST_STEPS_KEPT), all.size())), run.reads(),
                run.indexes());
    }

    /** Which faults this seed injects, and how often: each kind on for about a third of the seeds. */
    static void profile(FaultInjector faults, SplittableRandom r) {
        maybe(faults, r, FaultKind.BIT_FLIP, 0.3);
        maybe(faults, r, FaultKind.READ_ERROR, 0.01);
        maybe(faults, r, FaultKind.SHORT_READ, 0.2);
        maybe(faults, r, FaultKind.SYNC_FAILURE, 0.02);
        maybe(faults, r, FaultKind.SYNC_LIE, 0.5);
        maybe(faults, r, FaultKind.APPEND_FAILURE, 0.01);
        maybe(faults, r, FaultKind.DISK_FULL, 0.01);
        maybe(faults, r, FaultKind.DROPPED_TRUNCATE, 0.5);
        maybe(faults, r, FaultKind.MISDIRECTED_WRITE, 0.01);
    }

    private static void maybe(FaultInjector faults, SplittableRandom r, FaultKind kind, double chance) {
        if (r.nextInt(3) == 0) {
            faults.chance(kind, chance);
        }
    }

    private static void step(SimulationRun run, SplittableRandom r) {
        int roll = r.nextInt(ROLLS);
        String key = "k" + r.nextInt(KEYS);
        Durability durability = r.nextInt(4) == 0 ? Durability.MANUAL : Durability.SYNC;
        if (roll < 40) {
            run.put(key, valueBytes(r), durability);
        } else if (roll < 50) {
            run.delete(key, durability);
        } else if (roll < 60) {
            List<Model.Op> ops = new ArrayList<>();
            for (int i = 1 + r.nextInt(5); i > 0; i--) {
                String k = "k" + r.nextInt(KEYS);
                ops.add(r.nextInt(4) == 0 ? new Model.Op(k, null)
                        : new Model.Op(k, "b" + seedish(r) + "-" + "x".repeat(r.nextInt(VALUE_BYTES_SMALL_MAX))));
            }
            run.write(ops, durability);
        } else if (roll < 67) {
            // Sometimes only a flush: unsynced writes leave the store's buffer for the page cache.
            if (r.nextInt(4) == 0) {
                run.flush();
            } else {
                run.sync();
            }
        } else if (roll < 70) {
            run.compact();
        } else if (roll < 73) {
            run.snapshotIsolation(key, valueBytes(r));
        } else if (roll < 77) {
            run.reopen();
        } else if (roll < 87) {
            run.crash(r.nextBoolean() ? CrashMode.POWER_LOSS : CrashMode.PROCESS_KILL);
        } else if (roll < 100) {
            run.faults().arm(FaultKind.CRASH_AT_IO, r.nextInt(CRASH_AT_IO_SKIP_MAX));
        } else if (roll < 106) {
            run.readAll();
        } else if (roll < 110) {
            run.rot();
        } else if (roll < 114) {
            run.writeIndexFiles();
        } else {
            run.damageIndexFile();
        }
    }

    private static long seedish(SplittableRandom r) {
        return r.nextLong() & 0xFFFF_FFFFL;
    }

    private static int valueBytes(SplittableRandom r) {
        return r.nextInt(10) == 0 ? r.nextInt(VALUE_BYTES_LARGE_MAX) : r.nextInt(VALUE_BYTES_SMALL_MAX);
    }
}
