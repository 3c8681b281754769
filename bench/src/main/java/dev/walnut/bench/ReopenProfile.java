package dev.walnut.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 12's time-to-ready figures in one command: crash-then-reopen at each N for every engine,
 * clean-close reopen and reopen after compaction, a log of {@link #OVERWRITES} overwrites of
 * each key against one of each key (Walnut), and heap per live key. Every reopen is repeated
 * {@link Size#rounds} times from a copy of what the writer left; the output is
 * {@code reopen.md} (tables, ratios peer / Walnut with min-max), {@code reopen-rows.csv} (every
 * sample) and {@code reopen-chart.png} (time to ready and VmHWM against N, drawn from the rows).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.walnut.bench.ReopenProfile [smoke|small|issue] [OUT_DIR] [DATA_DIR]
 *      [PARTS (crash,overwrite,clean,compacted; default all)] [RECORDS (e.g. 1000000; default the size's)]
 * </pre>
 */
public final class ReopenProfile {

    /** Every engine of the crash-then-reopen table, Walnut first. */
    static final List<String> CRASH_ENGINES = List.of("walnut", "rocksdb-defaults", "rocksdb", "mvstore", "lmdb",
            "je");
    /** Engines whose clean reopen opens an index (the replaying configurations are left out: same open). */
    static final List<String> CLEAN_ENGINES = List.of("walnut", "rocksdb-defaults", "mvstore", "lmdb");
    static final int BATCH = 1000;
    static final int VALUE_BYTES = 100;
    static final int OVERWRITES = 10;
    /** Same flags for every child JVM (the harness adds LMDB's --add-opens), so RSS figures compare. */
    static final List<String> CHILD_JVM_ARGS = List.of("-Xmx4g");

    /**
     * The sizes of one run. {@code ISSUE} is the issue's (1M and 2M records, three rounds, 11,000
     * keys verified per reopen); {@code SMALL} proves the profile end to end in minutes;
     * {@code SMOKE} is CI's.
     */
    enum Size {
        SMOKE(List.of(2_000L), 1, 200),
        SMALL(List.of(100_000L, 200_000L), 3, 11_000),
        ISSUE(List.of(1_000_000L, 2_000_000L), 3, 11_000);

        final List<Long> records;
        final int rounds;
        final int verifySample;

        Size(List<Long> records, int rounds, int verifySample) {
            this.records = records;
            this.rounds = rounds;
            this.verifySample = verifySample;
        }
    }

    /** What one run measured: every row, plus heap per entry's fields. */
    record Result(List<PeerHarness.Row> rows, Map<String, String> heap) {
    }

    /** The parts of the profile, each a family of scenarios. */
    static final List<String> PARTS = List.of("crash", "overwrite", "clean", "compacted");

    /** A run: the size's rounds and sample, its records (or others), the parts asked for. */
    record Plan(Size size, List<Long> records, List<String> parts) {
        Plan {
            records = List.copyOf(records);
            parts = List.copyOf(parts);
            if (records.isEmpty() || !PARTS.containsAll(parts)) {
                throw new IllegalArgumentException("bad plan: records=" + records + " parts=" + parts
                        + " expected parts among " + PARTS);
            }
        }

        Plan(Size size) {
            this(size, size.records, PARTS);
        }

        /** N of the overwrite comparison and of heap per key: the smallest of the run's sizes. */
        long baseRecords() {
            return records.get(0);
        }
    }

    private ReopenProfile() {
    }

    public static void main(String[] args) throws Exception {
        Size size = Size.valueOf((args.length > 0 ? args[0] : "small").toUpperCase(Locale.ROOT));
        Path out = Path.of(args.length > 1 ? args[1] : "bench/results/reopen/" + size.name().toLowerCase(Locale.ROOT));
        Path data = Path.of(args.length > 2 ? args[2] : LogFiles.ROOT_DEFAULT);
        Plan plan = new Plan(size, args.length > 4 ? List.of(args[4].split(",")).stream().map(Long::valueOf).toList()
                : size.records, args.length > 3 ? List.of(args[3].split(",")) : PARTS);
        run(plan, out, data, CRASH_ENGINES, CLEAN_ENGINES);
        System.out.println("results: " + out.resolve("reopen.md").toAbsolutePath());
    }

    /** Runs every part of the profile and writes the markdown, CSV and chart into {@code out}. */
    static Result run(Plan plan, Path out, Path data, List<String> crashEngines, List<String> cleanEngines)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        Instant start = Instant.now();
        String loadAtStart = loadAverage();
        int rounds = plan.size().rounds;
        PeerHarness harness = new PeerHarness(data, Dataset.SEED_DEFAULT, plan.size().verifySample, CHILD_JVM_ARGS);
        List<PeerHarness.Row> rows = new ArrayList<>();
        rows.add(harness.idle(scenario("crash", plan.baseRecords(), 1, PeerHarness.Ending.HALT)));
        if (plan.parts().contains("crash")) {
            rows.addAll(harness.runRounds(scenarios("crash", plan, PeerHarness.Ending.HALT), crashEngines, rounds));
        }
        if (plan.parts().contains("overwrite")) {
            rows.addAll(harness.runRounds(List.of(scenario("overwrite" + OVERWRITES, plan.baseRecords(), OVERWRITES,
                    PeerHarness.Ending.HALT)), List.of("walnut"), rounds));
        }
        if (plan.parts().contains("clean")) {
            rows.addAll(harness.runRounds(scenarios("clean", plan, PeerHarness.Ending.CLOSE), cleanEngines, rounds));
        }
        if (plan.parts().contains("compacted")) {
            rows.addAll(harness.runRounds(scenarios("compacted", plan, PeerHarness.Ending.COMPACT), cleanEngines,
                    rounds));
        }
        Map<String, String> heap = ShortProfile.heapPerEntry(plan.baseRecords(), data);
        ReopenReport report = new ReopenReport(plan, rows, heap, CHILD_JVM_ARGS);
        Files.writeString(out.resolve("reopen.md"), report.markdown(start, Instant.now(), loadAtStart, loadAverage()),
                StandardCharsets.UTF_8);
        Files.writeString(out.resolve("reopen-rows.csv"), ReopenReport.csv(rows), StandardCharsets.UTF_8);
        ReopenChart.write(rows, out.resolve("reopen-chart.png"));
        return new Result(rows, heap);
    }

    private static List<PeerHarness.Scenario> scenarios(String kind, Plan plan, PeerHarness.Ending ending) {
        return plan.records().stream().map(n -> scenario(kind, n, 1, ending)).toList();
    }

    /** {@code keys * overwrites} puts over {@code keys} keys, 16 B keys, 100 B values, a commit every BATCH. */
    static PeerHarness.Scenario scenario(String kind, long keys, int overwrites, PeerHarness.Ending ending) {
        return new PeerHarness.Scenario(kind + "-" + count(keys), keys * overwrites, keys, VALUE_BYTES, BATCH, ending);
    }

    /** 2000 -> "2k", 1000000 -> "1M", 1500000 -> "1500k". */
    static String count(long n) {
        if (n % 1_000_000 == 0) {
            return n / 1_000_000 + "M";
        }
        return n % 1000 == 0 ? n / 1000 + "k" : Long.toString(n);
    }

    /** The 1/5/15-minute load averages, so a reader knows how busy the shared machine was. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "?";
        }
    }
}
