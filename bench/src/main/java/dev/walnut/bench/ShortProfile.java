package dev.walnut.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs one profile end to end and writes {@code latest.md} (plus the JMH JSON files) into the
 * output directory:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.walnut.bench.ShortProfile [short|long|smoke] [OUT_DIR] [DATA_DIR]
 * </pre>
 */
public final class ShortProfile {

    static final List<String> PEER_ENGINES = List.of("walnut", "rocksdb", "rocksdb-avoidflush", "rocksdb-defaults",
            "je", "mvstore", "lmdb");
    /** The same flags for every child JVM of the peers harness, so RSS figures compare. */
    static final List<String> CHILD_JVM_ARGS = List.of("-Xmx4g");

    private ShortProfile() {
    }

    public static void main(String[] args) throws Exception {
        Profile profile = Profile.valueOf((args.length > 0 ? args[0] : "short").toUpperCase(Locale.ROOT));
        Path out = Path.of(args.length > 1 ? args[1] : "bench/results");
        Path data = Path.of(args.length > 2 ? args[2] : LogFiles.ROOT_DEFAULT);
        Path written = run(profile, out, data);
        System.out.println("results: " + written.toAbsolutePath());
    }

    /** Runs {@code profile}; returns the markdown file written. */
    public static Path run(Profile profile, Path out, Path data) throws IOException, RunnerException,
            InterruptedException {
        Files.createDirectories(out);
        System.setProperty(LogFiles.ROOT_PROPERTY, data.toString());
        Instant start = Instant.now();
        Report report = new Report(profile, start, data);
        report.recovery(runRecovery(profile, out, data));
        report.peers(new PeerHarness(data, Dataset.SEED_DEFAULT, profile.verifySample, CHILD_JVM_ARGS)
                .run(profile.peerScenarios, PEER_ENGINES));
        report.writes(runWrites(profile, out, data));
        report.reads(runReads(profile, out, data));
        report.heap(heapPerEntry(profile.heapEntries(), data));
        report.footer(Instant.now());
        Path md = out.resolve("latest.md");
        Files.writeString(md, report.markdown(), StandardCharsets.UTF_8);
        return md;
    }

    /** Heap of the recovery forks: fixed, so a 5M-entry replay does not spend its time growing the heap. */
    static final String[] RECOVERY_JVM_ARGS = {"-Xms6g", "-Xmx6g"};
    /** The 2 GiB log of 100-byte records holds about 21M live keys. */
    static final String[] RECOVERY_LONG_JVM_ARGS = {"-Xms12g", "-Xmx12g"};
    /** Heap of the write and read forks. */
    static final String[] READ_WRITE_JVM_ARGS = {"-Xmx3g", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"};
    /** Logs above this size run without a warmup shot (one shot takes seconds; the JIT is warm after it). */
    static final long SMALL_LOG_MIB_MAX = 64;

    /** Small logs with a warmup shot and the profile's iterations; big logs with fewer shots. */
    private static Collection<RunResult> runRecovery(Profile profile, Path out, Path data) throws RunnerException {
        List<RunResult> results = new ArrayList<>();
        List<String> small = profile.logMiB.stream().filter(m -> Long.parseLong(m) <= SMALL_LOG_MIB_MAX).toList();
        List<String> big = profile.logMiB.stream().filter(m -> Long.parseLong(m) > SMALL_LOG_MIB_MAX).toList();
        if (!small.isEmpty()) {
            results.addAll(new Runner(recoveryOptions(profile, out, data, small, "small",
                    profile.warmupIterations, profile.measurementIterations)).run());
        }
        if (!big.isEmpty()) {
            results.addAll(new Runner(recoveryOptions(profile, out, data, big, "big", 0,
                    profile.bigLogIterations())).run());
        }
        return results;
    }

    private static org.openjdk.jmh.runner.options.Options recoveryOptions(Profile profile, Path out, Path data,
            List<String> logMiB, String name, int warmups, int iterations) {
        return base(profile, data, RecoveryBench.class, out.resolve("recovery-" + name + "-jmh.json"),
                profile == Profile.LONG ? RECOVERY_LONG_JVM_ARGS : RECOVERY_JVM_ARGS)
                .param("recordBytes", profile.recordBytes.toArray(new String[0]))
                .param("logMiB", logMiB.toArray(new String[0]))
                .warmupIterations(warmups)
                .measurementIterations(iterations)
                .addProfiler(GCProfiler.class)
                .build();
    }

    /** SYNC at each thread count for Walnut and RocksDB, then the unsynced modes single-threaded. */
    private static List<RunResult> runWrites(Profile profile, Path out, Path data) throws RunnerException {
        List<RunResult> results = new ArrayList<>();
        String[] values = profile.valueBytes().toArray(new String[0]);
        for (int threads : profile.syncThreads()) {
            results.addAll(new Runner(writeOptions(profile, data, out, "sync-t" + threads, threads, values,
                    new String[]{"walnut", "rocksdb"}, new String[]{"SYNC"})).run());
        }
        results.addAll(new Runner(writeOptions(profile, data, out, "walnut-unsynced", 1, values,
                new String[]{"walnut"}, new String[]{"BACKGROUND", "MANUAL"})).run());
        results.addAll(new Runner(writeOptions(profile, data, out, "rocksdb-unsynced", 1, values,
                new String[]{"rocksdb"}, new String[]{"MANUAL"})).run());
        results.addAll(new Runner(writeOptions(profile, data, out, "mvstore", 1, values,
                new String[]{"mvstore"}, new String[]{"BACKGROUND"})).run());
        results.addAll(new Runner(writeOptions(profile, data, out, "lmdb", 1, values,
                new String[]{"lmdb"}, new String[]{"SYNC", "MANUAL"})).run());
        return results;
    }

    private static org.openjdk.jmh.runner.options.Options writeOptions(Profile profile, Path data, Path out,
            String name, int threads, String[] values, String[] engines, String[] modes) {
        return base(profile, data, WriteBench.class, out.resolve("writes-" + name + "-jmh.json"), READ_WRITE_JVM_ARGS)
                .param("engine", engines).param("mode", modes).param("valueBytes", values)
                .threads(threads)
                .warmupIterations(1).warmupTime(TimeValue.seconds(profile.iterationSeconds()))
                .measurementIterations(profile.tiny ? 1 : 3)
                .measurementTime(TimeValue.seconds(profile.iterationSeconds()))
                .build();
    }

    private static Collection<RunResult> runReads(Profile profile, Path out, Path data) throws RunnerException {
        ChainedOptionsBuilder options = base(profile, data, ReadBench.class, out.resolve("reads-jmh.json"),
                READ_WRITE_JVM_ARGS)
                .param("keys", Long.toString(profile.readKeys()))
                .warmupIterations(1).warmupTime(TimeValue.seconds(profile.iterationSeconds()))
                .measurementIterations(profile.tiny ? 1 : 3)
                .measurementTime(TimeValue.seconds(profile.iterationSeconds()));
        return new Runner(options.build()).run();
    }

    /** Options every run shares; {@code jvmArgs} replace the annotation's (JMH does not merge them). */
    private static ChainedOptionsBuilder base(Profile profile, Path data, Class<?> benchmark, Path json,
                                              String... jvmArgs) {
        List<String> args = new ArrayList<>(List.of(jvmArgs));
        args.add("-D" + LogFiles.ROOT_PROPERTY + "=" + data);
        return new OptionsBuilder()
                .include(benchmark.getName() + "\\.")
                .forks(profile.forks)
                .jvmArgsAppend(args.toArray(new String[0]))
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
    }

    /** Forks {@link HeapPerEntry} so nothing else lives on its heap; returns its RESULT fields. */
    static Map<String, String> heapPerEntry(long entries, Path data) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(CHILD_JVM_ARGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), HeapPerEntry.class.getName(),
                Long.toString(entries), "100", data.resolve("heap").toString()));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, String> fields = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                System.out.println("[heap] " + line);
                if (line.startsWith(PeerMain.RESULT_PREFIX)) {
                    fields.putAll(PeerHarness.parseResult(line));
                }
            }
        }
        if (process.waitFor() != 0 || fields.isEmpty()) {
            throw new IOException("HeapPerEntry failed: exit=" + process.exitValue());
        }
        return fields;
    }
}
