package dev.walnut.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * YCSB against Walnut and RocksDB: loads {@code records} records into each engine (one JVM per
 * engine), then runs each workload at each thread count against both, one JVM per run (which
 * reopens the loaded store: its open time and peak RSS are recorded), the engines' order
 * alternating from run to run. Writes {@code ycsb.md} and every client's output under {@code raw/}.
 *
 * <pre>
 * java -cp benchmarks.jar dev.walnut.bench.YcsbRunner RECORDS OPS WORKLOADS THREADS HEAP OUT DATA WORKLOAD_DIR
 *   e.g. 1000000 200000 a,b,c,f,e 1,4 8g bench/results/ycsb /tmp/walnut-bench/ycsb bench/ycsb/workloads
 * </pre>
 */
public final class YcsbRunner {

    /** Binding class per engine name, in the order of the first run. */
    static final Map<String, String> BINDINGS = Map.of("walnut", WalnutYcsb.class.getName(),
            "rocksdb-defaults", RocksDbYcsb.class.getName());
    static final List<String> ENGINES = List.of("walnut", "rocksdb-defaults");
    static final long CHILD_TIMEOUT_MINUTES = 60;
    /** Threads of the load phase (YCSB's default is one). */
    static final int LOAD_THREADS = 1;

    /** One phase of one engine: the client's figures and the child JVM's. */
    record Run(String engine, String workload, int threads, boolean load, double opsPerSec, double runtimeMs,
               double openMs, long hwmKiB, Map<String, Double> latencyUs, long errors) {
    }

    /** What one invocation is asked to do. */
    record Plan(long records, long operations, List<String> workloads, List<Integer> threads, String heap,
                Path out, Path data, Path workloadDir) {
    }

    private YcsbRunner() {
    }

    public static void main(String[] args) throws Exception {
        Plan plan = new Plan(Long.parseLong(args[0]), Long.parseLong(args[1]), List.of(args[2].split(",")),
                List.of(args[3].split(",")).stream().map(Integer::valueOf).toList(), args[4], Path.of(args[5]),
                Path.of(args[6]), Path.of(args[7]));
        List<Run> runs = run(plan);
        System.out.println("results: " + plan.out().resolve("ycsb.md").toAbsolutePath() + " (" + runs.size() + " runs)");
    }

    static List<Run> run(Plan plan) throws IOException, InterruptedException {
        Files.createDirectories(plan.out().resolve("raw"));
        String loadAtStart = ReopenProfile.loadAverage();
        long startMs = System.currentTimeMillis();
        List<Run> runs = new ArrayList<>();
        for (String engine : ENGINES) {
            LogFiles.deleteTree(plan.data().resolve(engine));
            runs.add(phase(plan, engine, plan.workloads().get(0), LOAD_THREADS, true));
        }
        int step = 0;
        for (String workload : plan.workloads()) {
            for (int threads : plan.threads()) {
                List<String> order = new ArrayList<>(ENGINES);
                if (step++ % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (String engine : order) {
                    runs.add(phase(plan, engine, workload, threads, false));
                }
            }
        }
        String md = YcsbReport.markdown(plan, runs, loadAtStart, ReopenProfile.loadAverage(),
                (System.currentTimeMillis() - startMs) / 1000);
        Files.writeString(plan.out().resolve("ycsb.md"), md, StandardCharsets.UTF_8);
        return runs;
    }

    private static Run phase(Plan plan, String engine, String workload, int threads, boolean load)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + plan.heap()));
        cmd.addAll(LmdbStore.JVM_ARGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), YcsbChild.class.getName(), engine,
                "-db", BINDINGS.get(engine), "-P", plan.workloadDir().resolve("workload" + workload).toString(),
                "-p", "recordcount=" + plan.records(), "-p", "operationcount=" + plan.operations(),
                "-p", (engine.equals("walnut") ? "walnut" : "rocksdb") + ".dir=" + plan.data().resolve(engine),
                "-threads", Integer.toString(threads), load ? "-load" : "-t"));
        String name = (load ? "load" : "run-" + workload + "-t" + threads) + "-" + engine;
        Path log = plan.out().resolve("raw").resolve(name + ".txt");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("ycsb child timed out: " + name);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("ycsb child failed: name=" + name + " exit=" + process.exitValue() + " log=" + log);
        }
        Run run = parse(engine, workload, threads, load, lines);
        System.out.println("[ycsb] " + run);
        return run;
    }

    /** Reads the client's {@code [SECTION], Metric, value} lines and the child's RESULT line. */
    static Run parse(String engine, String workload, int threads, boolean load, List<String> lines) throws IOException {
        Map<String, Double> overall = new HashMap<>();
        Map<String, Double> latency = new HashMap<>();
        Map<String, String> result = null;
        long errors = 0;
        for (String line : lines) {
            if (line.startsWith(PeerMain.RESULT_PREFIX)) {
                result = PeerHarness.parseResult(line);
                continue;
            }
            String[] parts = line.split(", ");
            if (parts.length != 3 || !parts[0].startsWith("[")) {
                continue;
            }
            String section = parts[0].substring(1, parts[0].length() - 1);
            if (section.equals("OVERALL")) {
                overall.put(parts[1], Double.parseDouble(parts[2]));
            } else if (parts[1].equals("AverageLatency(us)") && !section.startsWith("CLEANUP")) {
                latency.put(section, Double.parseDouble(parts[2]));
            } else if (parts[1].startsWith("Return=") && !parts[1].equals("Return=OK")) {
                errors += Long.parseLong(parts[2]);
            }
        }
        if (result == null || !overall.containsKey("Throughput(ops/sec)")) {
            throw new IOException("ycsb output incomplete: engine=" + engine + " workload=" + workload + " result="
                    + result + " overall=" + overall);
        }
        return new Run(engine, workload, threads, load, overall.get("Throughput(ops/sec)"),
                overall.getOrDefault("RunTime(ms)", Double.NaN), Double.parseDouble(result.get("openMs")),
                Long.parseLong(result.get("hwmKiB")), latency, errors);
    }
}
