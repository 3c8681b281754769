package dev.walnut.dst;

import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The long-run simulator: {@code java -jar dst/target/walnut-dst.jar --seeds 1..100000} runs the
 * seeds in order and prints a summary (runs, crashes, faults by kind, violations by kind) and, for
 * every violation, the one command that replays its seed. Exit status 1 if any seed failed.
 *
 * <p>Options: {@code --seeds A..B} (or one seed), {@code --verbose} (print every step),
 * {@code --progress N} (a line every N seeds), {@code --stop-after N} (stop after N violations),
 * {@code --mitigate-known-bugs} (make the storage durable after every open: looked past
 * {@link KnownKernelBugs#UNSYNCED_TAIL_DECLARED_DURABLE} before the kernel fixed it).
 */
public final class Simulator {

    static final int PROGRESS_EVERY_DEFAULT = 1000;
    static final int VIOLATIONS_PRINTED_MAX = 200;

    private final PrintStream out;
    private final Map<FaultKind, Long> faults = new EnumMap<>(FaultKind.class);
    private final Map<String, Long> violationsByKind = new TreeMap<>();
    private final Map<String, Long> firstSeedByKind = new TreeMap<>();
    private long runs;
    private long steps;
    private long crashes;
    private long reopens;
    private long expectedCorruptions;
    private RunResult.Reads reads = new RunResult.Reads(0, 0, 0);
    private RunResult.Indexes indexes = RunResult.Indexes.NONE;
    private long violations;

    Simulator(PrintStream out) {
        this.out = out;
        for (FaultKind kind : FaultKind.values()) {
            faults.put(kind, 0L);
        }
    }

    public static void main(String[] args) {
        long from = 1;
        long to = 100;
        boolean verbose = false;
        long progressEvery = PROGRESS_EVERY_DEFAULT;
        long stopAfter = Long.MAX_VALUE;
        boolean mitigate = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> {
                    String[] range = args[++i].split("\\.\\.");
                    from = Long.parseLong(range[0]);
                    to = range.length > 1 ? Long.parseLong(range[1]) : from;
                }
                case "--verbose" -> verbose = true;
                case "--mitigate-known-bugs" -> mitigate = true;
                case "--progress" -> progressEvery = Long.parseLong(args[++i]);
                case "--stop-after" -> stopAfter = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: java -jar walnut-dst.jar [--seeds A..B] [--verbose] [--progress N]"
                            + " [--stop-after N] [--mitigate-known-bugs]; unknown argument=" + args[i]);
                    System.exit(2);
                }
            }
        }
        quietKernelLogging();
        Simulator simulator = new Simulator(System.out);
        long startNanos = System.nanoTime();
        for (long seed = from; seed <= to && simulator.violations < stopAfter; seed++) {
            if (verbose) {
                System.out.println("seed=" + seed);
            }
            simulator.add(SeedRunner.run(seed, verbose, mitigate), verbose);
            if (progressEvery > 0 && (seed - from + 1) % progressEvery == 0) {
                System.out.println("progress: seeds=" + from + ".." + seed + " violations=" + simulator.violations
                        + " elapsedS=" + (System.nanoTime() - startNanos) / 1_000_000_000L);
            }
        }
        simulator.summary(from, (System.nanoTime() - startNanos) / 1_000_000L);
        System.exit(simulator.violations == 0 ? 0 : 1);
    }

    /** The kernel logs every damaged recovery as a warning: millions of lines in a long run. */
    static void quietKernelLogging() {
        java.util.logging.Logger.getLogger("dev.walnut").setLevel(java.util.logging.Level.OFF);
    }

    void add(RunResult result, boolean verbose) {
        runs++;
        steps += result.steps();
        crashes += result.crashes();
        reopens += result.reopens();
        expectedCorruptions += result.expectedCorruptions();
        reads = reads.plus(result.reads());
        indexes = indexes.plus(result.indexes());
        result.faults().forEach((k, v) -> faults.merge(k, v, Long::sum));
        if (!result.passed()) {
            violations++;
            String kind = result.violation().kind();
            violationsByKind.merge(kind, 1L, Long::sum);
            firstSeedByKind.putIfAbsent(kind, result.seed());
            if (violations <= VIOLATIONS_PRINTED_MAX || verbose) {
                String message = result.violation().getMessage();
                out.println("VIOLATION seed=" + result.seed() + " kind=" + kind + " message="
                        + (verbose ? message : message.lines().findFirst().orElse("")));
                out.println("  replay: " + result.replayCommand());
            }
        }
        if (verbose) {
            out.println("seed=" + result.seed() + " steps=" + result.steps() + " crashes=" + result.crashes()
                    + " " + String.format("traceHash=%016x traceEvents=%d", result.traceHash(), result.traceEvents())
                    + (result.passed() ? " passed" : " FAILED"));
        }
    }

    void summary(long firstSeed, long elapsedMs) {
        out.println("summary: runs=" + runs + " seeds=" + firstSeed + ".." + (firstSeed + runs - 1) + " steps=" + steps
                + " crashes=" + crashes + " reopens=" + reopens + " expectedCorruptionsVerified=" + expectedCorruptions
                + " violations=" + violations + " elapsedMs=" + elapsedMs);
        out.println("reads under faults (the read oracle): checked=" + reads.checked() + " rottedValuesRefused="
                + reads.rotRefusals() + " failedOnInjectedReadErrors=" + reads.readErrors());
        out.println("index files: written=" + indexes.written() + " writesFailedOnInjectedFaults="
                + indexes.writesFailed() + " damagedReportedRebuilt=" + indexes.damageReported()
                + " opensOverDamageHiddenByIndex=" + indexes.hiddenDamageOpens() + " hiddenDamageRefusedAtRead="
                + indexes.hiddenDamageRefusals());
        out.println("faults injected by kind:");
        faults.forEach((k, v) -> out.println(String.format("  %-18s %d", k, v)));
        if (!violationsByKind.isEmpty()) {
            out.println("violations by kind (first seed):");
            violationsByKind.forEach((k, v) -> out.println("  " + k + " count=" + v + " firstSeed=" + firstSeedByKind.get(k)
                    + " replay: java -jar dst/target/walnut-dst.jar --seeds " + firstSeedByKind.get(k) + " --verbose"));
        }
    }

    long violations() {
        return violations;
    }
}
