package dev.walnut.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The markdown of {@link YcsbRunner}: load, then each workload and thread count, Walnut against RocksDB. */
final class YcsbReport {

    /** Records of the issue's YCSB figures; a run below is marked as a small run. */
    static final long ISSUE_RECORDS = 1_000_000;

    private YcsbReport() {
    }

    static String markdown(YcsbRunner.Plan plan, List<YcsbRunner.Run> runs, String loadAtStart, String loadAtEnd,
                           long seconds) {
        StringBuilder md = new StringBuilder("# YCSB 0.17.0: Walnut against RocksDB (defaults)\n\n");
        if (plan.records() < ISSUE_RECORDS) {
            md.append(String.format(Locale.ROOT, "**SMALL RUN (%,d records, %,d operations per run): it proves the "
                    + "command works end to end; these are not issue 12's figures (1M records).**\n\n",
                    plan.records(), plan.operations()));
        }
        md.append("## Load\n\n| engine | load ops/s | VmHWM MiB of the loading JVM | non-OK returns |\n|---|---:|---:|---:|\n");
        for (YcsbRunner.Run r : runs) {
            if (r.load()) {
                md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %d |\n", ReopenReport.NAMES.get(r.engine()),
                        r.opsPerSec(), r.hwmKiB() / 1024.0, r.errors()));
            }
        }
        md.append("\n## Workloads\n\n| workload | threads | Walnut ops/s | RocksDB ops/s | **Walnut / RocksDB** | goal | ")
                .append("Walnut open ms | RocksDB open ms | **Walnut open / RocksDB open** (goal <= 1) | ")
                .append("Walnut VmHWM MiB | RocksDB VmHWM MiB | **Walnut RSS / RocksDB RSS** (goal <= 2) | non-OK W / R |\n")
                .append("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String workload : plan.workloads()) {
            for (int threads : plan.threads()) {
                row(md, find(runs, "walnut", workload, threads), find(runs, "rocksdb-defaults", workload, threads));
            }
        }
        md.append("\nEach run is its own JVM, which opens the loaded store (open ms: the binding's first `init()`), ")
                .append("runs the workload and closes it; VmHWM is that JVM's peak RSS. Workloads run in the order above ")
                .append("on the same stores (E's inserts grow them); the engines' order alternates from run to run. ")
                .append("Goals (issue 12): throughput >= 1 on A, B, C, F and >= 0.8 on E.\n\n");
        latencies(md, runs);
        md.append(String.format(Locale.ROOT, "---\n%,d records (YCSB defaults: 10 fields of 100 B), %,d operations "
                        + "per run, child JVMs -Xmx%s, Walnut durability MANUAL (RocksDB sync=false), load with %d thread. "
                        + "Run %d s, commit %s, load average (1/5/15 min) at start %s, at end %s on %d cores "
                        + "(a shared machine: read ratios). JDK %s.\n", plan.records(), plan.operations(), plan.heap(),
                YcsbRunner.LOAD_THREADS, seconds, System.getenv().getOrDefault("WALNUT_COMMIT", "?"), loadAtStart,
                loadAtEnd, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        return md.toString();
    }

    private static void row(StringBuilder md, YcsbRunner.Run w, YcsbRunner.Run r) {
        if (w == null || r == null) {
            return;
        }
        double bar = w.workload().equals("e") ? 0.8 : 1.0;
        double ratio = w.opsPerSec() / r.opsPerSec();
        md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.2f | >= %.1f: %s | %.0f | %.0f | %.2f | %.0f | %.0f | %.2f | %d / %d |\n",
                w.workload().toUpperCase(Locale.ROOT), w.threads(), w.opsPerSec(), r.opsPerSec(), ratio, bar,
                ratio >= bar ? "met" : "**missed**", w.openMs(), r.openMs(), w.openMs() / r.openMs(),
                w.hwmKiB() / 1024.0, r.hwmKiB() / 1024.0, w.hwmKiB() / (double) r.hwmKiB(), w.errors(), r.errors()));
    }

    private static void latencies(StringBuilder md, List<YcsbRunner.Run> runs) {
        md.append("## Average latency per operation, us\n\n| workload | threads | engine | per operation |\n|---|---:|---|---|\n");
        for (YcsbRunner.Run r : runs) {
            if (r.load()) {
                continue;
            }
            StringBuilder ops = new StringBuilder();
            for (Map.Entry<String, Double> e : new TreeMap<>(r.latencyUs()).entrySet()) {
                ops.append(e.getKey()).append(String.format(Locale.ROOT, " %.0f; ", e.getValue()));
            }
            md.append("| ").append(r.workload().toUpperCase(Locale.ROOT)).append(" | ").append(r.threads()).append(" | ")
                    .append(ReopenReport.NAMES.get(r.engine())).append(" | ").append(ops).append("|\n");
        }
        md.append('\n');
    }

    private static YcsbRunner.Run find(List<YcsbRunner.Run> runs, String engine, String workload, int threads) {
        return runs.stream().filter(r -> !r.load() && r.engine().equals(engine) && r.workload().equals(workload)
                && r.threads() == threads).findFirst().orElse(null);
    }
}
