package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * CI's share of the long-run simulator: a fixed range of seeds with every fault kind on for some
 * of them. Any violation but a known kernel bug fails the build and prints the replay command.
 */
class SimulationSeedsTest {

    /** About 40 s on the 2-core CI machine; the long run covers 100 000 seeds (README.md, "Deterministic simulation"). */
    static final long SEEDS_FROM = 1;
    static final long SEEDS_TO = 2500;

    @Test
    void fixedSeedsRunWithoutViolationsButKnownKernelBugs() {
        Simulator.quietKernelLogging();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Simulator simulator = new Simulator(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        long unknown = 0;
        StringBuilder failures = new StringBuilder();
        for (long seed = SEEDS_FROM; seed <= SEEDS_TO; seed++) {
            RunResult result = SeedRunner.run(seed, false, false);
            simulator.add(result, false);
            if (!result.passed() && !KnownKernelBugs.isKnown(result.violation())) {
                unknown++;
                failures.append(result.violation().getMessage()).append("\n  replay: ")
                        .append(result.replayCommand()).append('\n');
            }
        }
        simulator.summary(SEEDS_FROM, 0);
        System.out.println(buffer.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> !l.startsWith("VIOLATION") && !l.startsWith("  replay")).reduce("", (a, b) -> a + b + "\n"));
        assertEquals(0, unknown, failures.toString());
        String summary = buffer.toString(StandardCharsets.UTF_8);
        for (FaultKind kind : FaultKind.values()) {
            if (kind != FaultKind.DROPPED_TRUNCATE) { // the kernel never truncates
                assertTrue(!summary.contains(String.format("  %-18s 0%n", kind)), "no fault of kind=" + kind
                        + " was injected: the range must exercise every kind\n" + summary);
            }
        }
    }

    @Test
    void aSeedReplaysToTheSameTraceAndOutcome() {
        for (long seed : new long[] {2, 175, 409, 525}) {
            RunResult a = SeedRunner.run(seed, false, false);
            RunResult b = SeedRunner.run(seed, false, false);
            assertEquals(a.traceHash(), b.traceHash(), "seed=" + seed);
            assertEquals(a.traceEvents(), b.traceEvents(), "seed=" + seed);
            assertEquals(a.passed(), b.passed(), "seed=" + seed);
            assertEquals(a.lastSteps(), b.lastSteps(), "seed=" + seed);
        }
    }
}
