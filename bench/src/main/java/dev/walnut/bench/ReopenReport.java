package dev.walnut.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The markdown and CSV of {@link ReopenProfile}: issue 12's table (ratios peer / Walnut, median
 * of the per-round ratios with min-max), each goal against today's figure, and the absolute
 * figures behind every ratio. A ratio pairs the peer's and Walnut's reopen of the same round.
 */
final class ReopenReport {

    private static final double MIB = 1024.0 * 1024.0;
    static final Map<String, String> NAMES = Map.of("walnut", "Walnut", "rocksdb-defaults", "RocksDB defaults",
            "rocksdb", "RocksDB, whole WAL", "rocksdb-avoidflush", "RocksDB, whole WAL, avoid flush",
            "mvstore", "H2 MVStore", "lmdb", "LMDB", "je", "JE, no checkpoints");

    private final ReopenProfile.Size size;
    private final ReopenProfile.Plan plan;
    private final List<PeerHarness.Row> rows;
    private final Map<String, String> heap;
    private final List<String> childJvmArgs;

    ReopenReport(ReopenProfile.Plan plan, List<PeerHarness.Row> rows, Map<String, String> heap,
                 List<String> childJvmArgs) {
        this.plan = plan;
        this.size = plan.size();
        this.rows = List.copyOf(rows);
        this.heap = heap;
        this.childJvmArgs = childJvmArgs;
    }

    String markdown(Instant start, Instant end, String loadAtStart, String loadAtEnd) {
        StringBuilder md = new StringBuilder("# Time to ready and memory at reopen (ReopenProfile ")
                .append(size.name().toLowerCase(Locale.ROOT)).append(")\n\n");
        if (size != ReopenProfile.Size.ISSUE) {
            md.append("**").append(size.name()).append(" RUN at ").append(sizes())
                    .append(" records: it proves the profile works end to end. These are not issue 12's figures ")
                    .append("(1M and 2M records: `bench/run-reopen.sh issue`).**\n\n");
        } else if (!plan.records().equals(size.records) || !plan.parts().equals(ReopenProfile.PARTS)) {
            md.append("**PARTIAL RUN: ").append(sizes()).append(" records, parts ").append(plan.parts())
                    .append(" of ").append(ReopenProfile.PARTS).append("; a goal whose part did not run reads 'not measured'.**\n\n");
        }
        goals(md);
        crashTable(md);
        for (String kind : List.of("crash", "overwrite" + ReopenProfile.OVERWRITES, "clean", "compacted")) {
            detail(md, kind);
        }
        heap(md);
        md.append("---\n").append(String.format(Locale.ROOT,
                "Run %s, %d s, commit %s. Load average (1/5/15 min) at start %s, at end %s, on %d cores: the "
                        + "machine is shared, so read ratios (same round, same load), not absolute times. JDK %s. "
                        + "Every child JVM: %s plus LMDB's --add-opens.\n", start, Duration.between(start, end).toSeconds(),
                System.getenv().getOrDefault("WALNUT_COMMIT", "?"), loadAtStart, loadAtEnd,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), childJvmArgs));
        return md.toString();
    }

    private String sizes() {
        return String.join(" and ", plan.records().stream().map(ReopenProfile::count).toList());
    }

    /** Each of issue 12's reopen goals next to today's figure; "missed" is never rounded up. */
    private void goals(StringBuilder md) {
        md.append("## Issue 12's goals against this run\n\n| goal | N | today: median (min-max) | met |\n|---|---|---:|---|\n");
        for (long n : plan.records()) {
            String crash = "crash-" + ReopenProfile.count(n);
            goal(md, "crash-then-reopen: RocksDB defaults open / Walnut open >= 2", n, ratio(crash, "rocksdb-defaults", true), 2);
            goal(md, "crash-then-reopen: MVStore open / Walnut open >= 2", n, ratio(crash, "mvstore", true), 2);
            goal(md, "crash-then-reopen: LMDB open / Walnut open (reported)", n, ratio(crash, "lmdb", true), Double.NaN);
            goal(md, "clean close: LMDB open / Walnut open >= 1", n, ratio("clean-" + ReopenProfile.count(n), "lmdb", true), 1);
            goal(md, "after compaction: LMDB open / Walnut open >= 1", n,
                    ratio("compacted-" + ReopenProfile.count(n), "lmdb", true), 1);
        }
        String base = ReopenProfile.count(plan.baseRecords());
        goal(md, "VmHWM of the reopening JVM: RocksDB defaults / Walnut >= 1", plan.baseRecords(),
                ratio("crash-" + base, "rocksdb-defaults", false), 1);
        Spread overwrite = ratioOf("overwrite" + ReopenProfile.OVERWRITES + "-" + base, "walnut", "crash-" + base,
                "walnut", PeerHarness.Row::openMs);
        md.append(String.format(Locale.ROOT, "| %d overwrites of each key: Walnut open / open of each key once <= 1.5 | %s | %s | %s |\n",
                ReopenProfile.OVERWRITES, base, overwrite.format(), met(overwrite, 1.5, false)));
        String perKey = heap.getOrDefault("heapPerEntryRecovered", "?");
        md.append("| heap per live key (16 B keys, 100 B values) after recovery <= 64 B | ").append(base).append(" | ")
                .append(perKey).append(" B | ").append(perKey.equals("?") ? "?" : Double.parseDouble(perKey) <= 64 ? "met" : "**missed**")
                .append(" |\n\nRatios above 1 favour Walnut (a peer takes longer, or holds more memory). ")
                .append("Each ratio pairs the peer's and Walnut's reopen of the same round.\n\n");
    }

    private static void goal(StringBuilder md, String goal, long n, Spread today, double atLeast) {
        md.append("| ").append(goal).append(" | ").append(ReopenProfile.count(n)).append(" | ").append(today.format())
                .append(" | ").append(Double.isNaN(atLeast) ? "reported" : met(today, atLeast, true)).append(" |\n");
    }

    /** Judged on the median; "met" only when the whole range also clears the bar. */
    private static String met(Spread s, double bar, boolean atLeast) {
        if (s.samples() == 0) {
            return "not measured";
        }
        boolean median = atLeast ? s.median() >= bar : s.median() <= bar;
        boolean all = atLeast ? s.min() >= bar : s.max() <= bar;
        return all ? "met" : median ? "met on the median, not on the range" : "**missed**";
    }

    /** The issue's table: one column per peer, ratios peer / Walnut. */
    private void crashTable(StringBuilder md) {
        List<String> peers = engines("crash-").stream().filter(e -> !e.equals("walnut")).toList();
        md.append("## Crash-then-reopen (issue 12's table)\n\n| figure (ratio = peer / Walnut) |");
        peers.forEach(p -> md.append(' ').append(NAMES.getOrDefault(p, p)).append(" |"));
        md.append("\n|---|").append("---|".repeat(peers.size())).append('\n');
        for (long n : plan.records()) {
            String s = "crash-" + ReopenProfile.count(n);
            md.append("| ").append(ReopenProfile.count(n)).append(": open time ratio |");
            peers.forEach(p -> md.append(' ').append(ratio(s, p, true).format()).append(" |"));
            md.append('\n');
        }
        md.append("| VmHWM of the reopening JVM, MiB, ").append(sizes()).append(" (Walnut: ")
                .append(String.join(" / ", plan.records().stream().map(n -> hwm("crash-" + ReopenProfile.count(n), "walnut")).toList()))
                .append(") |");
        peers.forEach(p -> md.append(' ').append(String.join(" / ", plan.records().stream()
                .map(n -> hwm("crash-" + ReopenProfile.count(n), p)).toList())).append(" |"));
        String first = "crash-" + ReopenProfile.count(plan.baseRecords());
        md.append("\n| write phase s, ").append(ReopenProfile.count(plan.baseRecords()))
                .append(", no fsync at commit (Walnut ").append(writeSeconds(first, "walnut")).append(") |");
        peers.forEach(p -> md.append(' ').append(writeSeconds(first, p)).append(" |"));
        md.append("\n\nWorkload: 16 B keys, 100 B values, a commit every ").append(ReopenProfile.BATCH)
                .append(" puts, nothing synced until one fsync at the end, then Runtime.halt. The reopening JVM times open() ")
                .append("and then verifies ").append(size.verifySample).append(" keys (and as many absent keys). ")
                .append(size.rounds).append(" rounds per figure, each from a fresh copy of what the writer left; median (min-max). ")
                .append("The write phase is one sample per engine.\n\n");
    }

    /** Absolute figures of one kind of scenario, every engine and N. */
    private void detail(StringBuilder md, String kind) {
        List<String> engines = engines(kind + "-");
        if (engines.isEmpty()) {
            return;
        }
        md.append("### ").append(kind).append(": absolute figures\n\n")
                .append("| scenario | engine | open ms | **peer open / Walnut open** | VmHWM MiB | RssAnon MiB | ")
                .append("replayed MiB | write s |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (String scenario : scenarioNames(kind + "-")) {
            for (String engine : engines) {
                List<PeerHarness.Row> r = rowsOf(scenario, engine);
                if (r.isEmpty()) {
                    continue;
                }
                md.append("| ").append(scenario).append(" | ").append(NAMES.getOrDefault(engine, engine)).append(" | ")
                        .append(spread(r, PeerHarness.Row::openMs).formatWhole()).append(" | ")
                        .append(engine.equals("walnut") ? "1" : ratio(scenario, engine, true).format()).append(" | ")
                        .append(spread(r, x -> x.hwmKiB() / 1024.0).formatWhole()).append(" | ")
                        .append(spread(r, x -> x.rssAnonKiB() / 1024.0).formatWhole()).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", r.get(0).replayedBytes() / MIB)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f", r.get(0).writeMs() / 1000.0)).append(" |\n");
            }
        }
        md.append('\n').append(switch (kind) {
            case "clean" -> "The writer closed each store cleanly (LMDB: mdb_env_sync before close under MDB_NOSYNC).";
            case "compacted" -> "The writer ran the engine's own compaction to completion, then closed: "
                    + "Walnut.compact(); RocksDB flush + compactRange(); MVStore compactFile; LMDB has none.";
            case "crash" -> "Idle JVM (opens nothing): " + idleHwm() + " MiB VmHWM.";
            default -> "Walnut only: " + ReopenProfile.OVERWRITES + " puts per key over N keys (the log is "
                    + ReopenProfile.OVERWRITES + "x, the live state that of crash-N), compaction off.";
        }).append(" Engines: ");
        rows.stream().filter(r -> r.scenario().name().startsWith(kind + "-")).map(r -> r.engine() + " = " + r.describe())
                .distinct().forEach(d -> md.append(d).append("; "));
        md.append("\n\n");
    }

    private void heap(StringBuilder md) {
        md.append("## Heap per live key (Walnut)\n\n| entries | raw key+value B | heap B/entry as written | ")
                .append("heap B/entry after recovery |\n|---:|---:|---:|---:|\n| ").append(heap.getOrDefault("entries", "?"))
                .append(" | ").append(heap.getOrDefault("rawBytesPerEntry", "?")).append(" | ")
                .append(heap.getOrDefault("heapPerEntryWritten", "?")).append(" | ")
                .append(heap.getOrDefault("heapPerEntryRecovered", "?"))
                .append(" |\n\nUsed heap after full GCs before and after loading (and reopening), in a forked JVM.\n\n");
    }

    /** Per round, peer / Walnut of the open time ({@code open}) or of VmHWM. */
    Spread ratio(String scenario, String peer, boolean open) {
        return ratioOf(scenario, peer, scenario, "walnut",
                open ? PeerHarness.Row::openMs : r -> (double) r.hwmKiB());
    }

    /** Per round, {@code f} of one scenario's engine over {@code f} of another's. */
    Spread ratioOf(String scenario, String engine, String baseScenario, String baseEngine,
                   java.util.function.ToDoubleFunction<PeerHarness.Row> f) {
        List<Double> ratios = new ArrayList<>();
        for (PeerHarness.Row a : rowsOf(scenario, engine)) {
            for (PeerHarness.Row b : rowsOf(baseScenario, baseEngine)) {
                if (a.round() == b.round()) {
                    ratios.add(f.applyAsDouble(a) / f.applyAsDouble(b));
                }
            }
        }
        return Spread.of(ratios);
    }

    private String hwm(String scenario, String engine) {
        return spread(rowsOf(scenario, engine), r -> r.hwmKiB() / 1024.0).formatWhole();
    }

    private String writeSeconds(String scenario, String engine) {
        List<PeerHarness.Row> r = rowsOf(scenario, engine);
        return r.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f s", r.get(0).writeMs() / 1000.0);
    }

    private String idleHwm() {
        return rows.stream().filter(r -> r.engine().equals(PeerMain.JVM_ONLY)).findFirst()
                .map(r -> String.format(Locale.ROOT, "%.0f", r.hwmKiB() / 1024.0)).orElse("?");
    }

    List<PeerHarness.Row> rowsOf(String scenario, String engine) {
        return rows.stream().filter(r -> r.scenario().name().equals(scenario) && r.engine().equals(engine)).toList();
    }

    private List<String> engines(String scenarioPrefix) {
        Set<String> engines = new LinkedHashSet<>();
        rows.stream().filter(r -> r.scenario().name().startsWith(scenarioPrefix) && !r.engine().equals(PeerMain.JVM_ONLY))
                .forEach(r -> engines.add(r.engine()));
        List<String> ordered = new ArrayList<>(engines);
        ordered.sort((a, b) -> Boolean.compare(!a.equals("walnut"), !b.equals("walnut"))); // Walnut first
        return ordered;
    }

    private List<String> scenarioNames(String prefix) {
        Set<String> names = new LinkedHashSet<>();
        rows.stream().filter(r -> r.scenario().name().startsWith(prefix) && !r.engine().equals(PeerMain.JVM_ONLY))
                .forEach(r -> names.add(r.scenario().name()));
        return new ArrayList<>(names);
    }

    static Spread spread(List<PeerHarness.Row> rows, java.util.function.ToDoubleFunction<PeerHarness.Row> f) {
        return Spread.of(rows.stream().map(r -> f.applyAsDouble(r)).toList());
    }

    /** Every sample, one line each, for whoever wants to compute something else. */
    static String csv(List<PeerHarness.Row> rows) {
        StringBuilder csv = new StringBuilder("scenario,records,keySpace,ending,engine,round,writeMs,logFileBytes,")
                .append("replayedBytes,openMs,hwmKiB,rssAnonKiB,rssBeforeOpenKiB,describe\n");
        for (PeerHarness.Row r : rows) {
            PeerHarness.Scenario s = r.scenario();
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%s,%d,%d,%d,%d,%.3f,%d,%d,%d,\"%s\"\n", s.name(),
                    s.records(), s.keySpace(), s.ending(), r.engine(), r.round(), r.writeMs(), r.logFileBytes(),
                    r.replayedBytes(), r.openMs(), r.hwmKiB(), r.rssAnonKiB(), r.rssBeforeOpenKiB(),
                    String.valueOf(r.describe()).replace('"', '\'')));
        }
        return csv.toString();
    }
}
