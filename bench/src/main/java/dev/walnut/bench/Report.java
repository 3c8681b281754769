package dev.walnut.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** Turns one run's results into the markdown of {@code latest.md}: medians first, then ratios. */
final class Report {

    private static final double MIB = 1024.0 * 1024.0;
    private final StringBuilder md = new StringBuilder();
    private final Profile profile;
    private final Instant start;
    private final Path data;

    Report(Profile profile, Instant start, Path data) {
        this.profile = profile;
        this.start = start;
        this.data = data;
        md.append("# Walnut benchmark results (profile ").append(profile.name().toLowerCase(Locale.ROOT))
                .append(")\n\n");
    }

    /** Recovery: Walnut's open() against the physical limit and the naive parser, same files. */
    void recovery(Collection<RunResult> results) throws IOException {
        Map<String, RunResult> byKey = new HashMap<>();
        for (RunResult r : results) {
            String method = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            byKey.put(method + "/" + r.getParams().getParam("recordBytes") + "/" + r.getParams().getParam("logMiB"), r);
        }
        md.append("## Recovery: open() against the physical limit (JMH single-shot, warm page cache)\n\n");
        md.append("| record B | log MiB | records | Walnut open ms | Walnut MB/s | Walnut records/s | alloc B/record")
                .append(" | peak buffer B | physical ms | physical MB/s | naive ms | naive MB/s")
                .append(" | **Walnut / physical** | **Walnut / naive** |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String logMiB : profile.logMiB) {
            for (String recordBytes : profile.recordBytes) {
                recoveryRow(byKey, recordBytes, logMiB);
            }
        }
        md.append("\nMB/s = log bytes (MiB-based: 1 MB/s here = 1 MiB/s) / median time. ")
                .append("Ratios are throughput ratios (physical time / Walnut time): 1.00 would be the limit. ")
                .append("'alloc B/record' is JMH -prof gc's gc.alloc.rate.norm divided by records.\n\n");
    }

    private void recoveryRow(Map<String, RunResult> byKey, String recordBytes, String logMiB) throws IOException {
        RunResult open = byKey.get("walnutOpen/" + recordBytes + "/" + logMiB);
        RunResult physical = byKey.get("physicalLimit/" + recordBytes + "/" + logMiB);
        RunResult naive = byKey.get("naiveWholeFile/" + recordBytes + "/" + logMiB);
        LogFiles.Generated log = LogFiles.readManifest(data.resolve("recovery").resolve(
                "r" + recordBytes + "-m" + logMiB + "-s" + Dataset.SEED_DEFAULT));
        if (open == null || log == null) {
            md.append("| ").append(recordBytes).append(" | ").append(logMiB).append(" | (missing) |\n");
            return;
        }
        Properties last = lastRecovery(log.dir());
        double openMs = median(open);
        double mib = log.logBytes() / MIB;
        md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.0f | %.0f | %,.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                recordBytes, logMiB, log.records(), openMs, mib / (openMs / 1000), log.records() / (openMs / 1000),
                allocPerRecord(open, log.records()), last.getProperty("peakBufferBytes", "?"),
                fmt(physical == null ? Double.NaN : median(physical)),
                fmt(physical == null ? Double.NaN : mib / (median(physical) / 1000)),
                fmt(naive == null ? Double.NaN : median(naive)),
                fmt(naive == null ? Double.NaN : mib / (median(naive) / 1000)),
                ratio(physical == null ? Double.NaN : median(physical), openMs),
                ratio(naive == null ? Double.NaN : median(naive), openMs)));
    }

    /** Peers: crash, then reopen in a fresh JVM; Walnut's open time as a ratio of each peer's. */
    void peers(List<PeerHarness.Row> rows) {
        md.append("## Recovery against peers: write, halt without closing, reopen in a fresh JVM\n\n");
        md.append("| scenario | engine | log bytes replayed | open ms | replay MB/s | **peer open / Walnut open** | VmHWM MiB")
                .append(" | RssAnon MiB | write ms |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, Double> walnutOpen = new HashMap<>();
        for (PeerHarness.Row r : rows) {
            if (r.engine().equals("walnut")) {
                walnutOpen.put(r.scenario().name(), r.openMs());
            }
        }
        for (PeerHarness.Row r : rows) {
            boolean idle = r.engine().equals(PeerMain.JVM_ONLY);
            Double w = walnutOpen.get(r.scenario().name());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.0f | %.0f | %s |\n",
                    idle ? "-" : r.scenario().name(), r.engine(), idle ? "-" : String.format(Locale.ROOT, "%,d",
                            r.replayedBytes()), idle ? "-" : fmt(r.openMs()),
                    idle || r.replayedBytes() <= 0 ? "-" : fmt(r.replayedBytes() / MIB / (r.openMs() / 1000)),
                    idle || w == null ? "-" : ratio(r.openMs(), w), r.hwmKiB() / 1024.0, r.rssAnonKiB() / 1024.0,
                    idle ? "-" : Long.toString(r.writeMs())));
        }
        md.append("\nScenarios: `unique-N` = N puts of distinct 16-byte keys with 100-byte values; `overwrite-2M` = ")
                .append("2M puts over 1M keys (log 2x, live state the same; MVStore, which replays nothing, only runs the first scenario). One put per batch, nothing synced until one ")
                .append("fsync at the end, then Runtime.halt. Every child JVM runs with ")
                .append(ShortProfile.CHILD_JVM_ARGS).append("; a sample of keys (and as many absent keys) is ")
                .append("verified after the timed open. 'log bytes replayed': Walnut's RecoveryReport.bytesReplayed, ")
                .append("RocksDB's WAL files, JE's .jdb files; MVStore replays nothing.\n\nEngines: ");
        rows.stream().map(PeerHarness.Row::describe).distinct().forEach(d -> md.append(d).append("; "));
        md.append("\n\n");
    }

    /** Put throughput: Walnut against RocksDB per mode, thread count and value size; writes per fsync. */
    void writes(List<RunResult> results) throws IOException {
        Map<String, Double> ops = new HashMap<>();
        for (RunResult r : results) {
            ops.put(writeKey(r.getParams().getParam("engine"), r.getParams().getParam("mode"),
                    r.getParams().getParam("valueBytes"), r.getParams().getThreads()), median(r));
        }
        md.append("## Writes: puts/s (JMH throughput, one put per operation, 16-byte keys over 100k keys)\n\n");
        md.append("| mode | threads | value B | Walnut puts/s | Walnut writes/fsync | RocksDB puts/s | **Walnut / RocksDB**")
                .append(" | MVStore puts/s | **Walnut / MVStore** | LMDB puts/s | **Walnut / LMDB** |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String mode : List.of("SYNC", "BACKGROUND", "MANUAL")) {
            for (String value : profile.valueBytes()) {
                for (int threads : mode.equals("SYNC") ? profile.syncThreads() : List.of(1)) {
                    writeRow(ops, mode, value, threads);
                }
            }
        }
        md.append("\nRocksDB: SYNC = WriteOptions.sync(true) (its write group shares fsyncs); MANUAL = sync(false). ")
                .append("MVStore has no per-write fsync; its BACKGROUND is its own auto-commit. LMDB: SYNC = its default ")
                .append("durable commit (one writer at a time), MANUAL = MDB_NOSYNC. Walnut writes/fsync is ")
                .append("Stats.writes / Stats.fsyncs over the measurement iterations. Ratios above 1: Walnut faster.\n\n");
    }

    private void writeRow(Map<String, Double> ops, String mode, String value, int threads) throws IOException {
        Double walnut = ops.get(writeKey("walnut", mode, value, threads));
        if (walnut == null) {
            return;
        }
        Double rocks = ops.get(writeKey("rocksdb", mode, value, threads));
        Double mv = ops.get(writeKey("mvstore", mode, value, threads));
        Double lmdb = ops.get(writeKey("lmdb", mode, value, threads));
        Properties stats = new Properties();
        Path file = WriteBench.statsFile(mode, Integer.parseInt(value), threads);
        String perFsync = "-";
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                stats.load(in);
            }
            long fsyncs = Long.parseLong(stats.getProperty("fsyncs"));
            perFsync = fsyncs == 0 ? "no fsync" : String.format(Locale.ROOT, "%.1f",
                    Long.parseLong(stats.getProperty("writes")) / (double) fsyncs);
        }
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %s | %s | %s | %s | %s | %s | %s |\n", mode, threads,
                value, walnut, perFsync, rocks == null ? "-" : fmt(rocks), rocks == null ? "-" : ratio(walnut, rocks),
                mv == null ? "-" : fmt(mv), mv == null ? "-" : ratio(walnut, mv),
                lmdb == null ? "-" : fmt(lmdb), lmdb == null ? "-" : ratio(walnut, lmdb)));
    }

    private static String writeKey(String engine, String mode, String value, int threads) {
        return engine + "/" + mode + "/" + value + "/" + threads;
    }

    /** Point gets and scans on the loaded store, Walnut against each peer. */
    void reads(Collection<RunResult> results) {
        Map<String, Double> ns = new HashMap<>();
        for (RunResult r : results) {
            String b = r.getParams().getBenchmark();
            ns.put(r.getParams().getParam("engine") + "/" + b.substring(b.lastIndexOf('.') + 1), median(r));
        }
        md.append("## Reads: ").append(String.format(Locale.ROOT, "%,d", profile.readKeys()))
                .append(" keys (16 B keys, 100 B values), one thread, JMH average time\n\n")
                .append("| engine | get hit ns | get miss ns | scan entries/s | **peer hit / Walnut hit** | ")
                .append("**peer miss / Walnut miss** | **Walnut scan / peer scan** |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for (String engine : List.of("walnut", "rocksdb", "je", "mvstore", "lmdb")) {
            Double hit = ns.get(engine + "/getHit");
            Double miss = ns.get(engine + "/getMiss");
            Double scan = ns.get(engine + "/scan");
            if (hit == null) {
                continue;
            }
            double scanRate = scan == null ? Double.NaN : ReadBench.SCAN_ENTRIES / (scan / 1e9);
            Double walnutScan = ns.get("walnut/scan");
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %s | %s | %s |\n", engine, hit,
                    miss == null ? "-" : fmt(miss), fmt(scanRate), ratio(hit, ns.get("walnut/getHit")),
                    miss == null ? "-" : ratio(miss, ns.get("walnut/getMiss")),
                    scan == null || walnutScan == null ? "-" : ratio(scan, walnutScan)));
        }
        md.append("\nA scan reads ").append(ReadBench.SCAN_ENTRIES).append(" entries in key order from a random key. ")
                .append("Stores are loaded in batches of ").append(ReadBench.LOAD_BATCH)
                .append(", closed cleanly (RocksDB flushed and compacted first), reopened by each fork ")
                .append("and warmed by one full scan; RocksDB and MVStore get 512 MiB caches, JE its default 60% of the heap, ")
                .append("LMDB reads its memory map (the page cache).\n\n");
    }

    void heap(Map<String, String> fields) {
        md.append("## Memory per live entry (Walnut)\n\n| entries | raw key+value B | heap B/entry as written | ")
                .append("heap B/entry after recovery | **heap / raw** |\n|---:|---:|---:|---:|---:|\n");
        double raw = Double.parseDouble(fields.get("rawBytesPerEntry"));
        double written = Double.parseDouble(fields.get("heapPerEntryWritten"));
        md.append(String.format(Locale.ROOT, "| %,d | %.0f | %.0f | %s | %.2f |\n\n", Long.parseLong(fields.get("entries")),
                raw, written, fields.get("heapPerEntryRecovered"), written / raw));
        md.append("Used heap after full GCs, before and after loading (and before and after reopening), ")
                .append("in a forked JVM with ").append(ShortProfile.CHILD_JVM_ARGS).append(".\n\n");
    }

    void footer(Instant end) {
        md.append("---\n").append(String.format(Locale.ROOT,
                "Run %s, %d min, commit %s. Machine: %s, %d cores, %.0f GiB. JDK: %s %s (%s). Data dir: %s.\n",
                start, Duration.between(start, end).toMinutes(), System.getenv().getOrDefault("WALNUT_COMMIT", "?"), System.getProperty("os.name") + " "
                        + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), totalMemGiB(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                System.getProperty("java.home"), data));
    }

    String markdown() {
        return md.toString();
    }

    private static double median(RunResult r) {
        return r.getPrimaryResult().getStatistics().getPercentile(50);
    }

    private static String allocPerRecord(RunResult r, long records) {
        for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                return String.format(Locale.ROOT, "%.0f", e.getValue().getScore() / records);
            }
        }
        return "?";
    }

    private static Properties lastRecovery(Path dir) throws IOException {
        Properties p = new Properties();
        Path file = dir.resolve(LogFiles.REPORT_NAME);
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        return p;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    /** How many times {@code walnutMs} fits in {@code otherMs}: above 1 means Walnut is faster. */
    static String ratio(double otherMs, double walnutMs) {
        return Double.isNaN(otherMs) ? "-" : String.format(Locale.ROOT, "%.3g", otherMs / walnutMs);
    }

    private static double totalMemGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / MIB;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
