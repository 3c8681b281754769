package dev.walnut.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Crash-and-reopen against the peers: for each scenario and engine, one child JVM writes the
 * workload and halts without closing, and a fresh child JVM reopens the store, verifies a sample
 * and reports its open time and memory. Every engine gets the same data, batches, JVM flags and
 * durability (nothing synced until one fsync at the end, then a halt).
 */
public final class PeerHarness {

    static final long CHILD_TIMEOUT_MINUTES = 15;
    /** The engine with no log to replay; run on the first scenario only. */
    static final String NO_REPLAY_ENGINE = "mvstore";

    /** One shape of data: {@code records} puts of 16-byte keys over {@code keySpace} keys. */
    public record Scenario(String name, long records, long keySpace, int valueBytes, int batch) {
    }

    /** One engine's crash-and-reopen figures; memory in KiB, -1 where unknown. */
    public record Row(Scenario scenario, String engine, long writeMs, long logFileBytes, long replayedBytes,
                      double openMs, long hwmKiB, long rssAnonKiB, long rssBeforeOpenKiB, String describe) {
    }

    private final Path root;
    private final long seed;
    private final int sample;
    private final List<String> childJvmArgs;

    public PeerHarness(Path root, long seed, int sample, List<String> childJvmArgs) {
        this.root = root;
        this.seed = seed;
        this.sample = sample;
        List<String> args = new ArrayList<>(childJvmArgs);
        args.addAll(LmdbStore.JVM_ARGS); // every child gets the same flags, whichever engine it opens
        this.childJvmArgs = List.copyOf(args);
    }

    public List<Row> run(List<Scenario> scenarios, List<String> engines) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        Scenario first = scenarios.get(0);
        Map<String, String> idle = child("reopen", PeerMain.JVM_ONLY, root.resolve("idle"), first);
        rows.add(new Row(first, PeerMain.JVM_ONLY, 0, 0, 0, 0, parseLong(idle, "hwmKiB"),
                parseLong(idle, "rssAnonKiB"), -1, "a JVM that opens nothing"));
        for (Scenario scenario : scenarios) {
            for (String engine : engines) {
                if (engine.equals(NO_REPLAY_ENGINE) && scenario != first) {
                    continue; // replays nothing: one point is its whole curve, and its writes are slow
                }
                rows.add(runOne(scenario, engine));
                System.out.println("[peers] " + rows.get(rows.size() - 1));
            }
        }
        return rows;
    }

    private Row runOne(Scenario scenario, String engine) throws IOException, InterruptedException {
        Path dir = root.resolve("peers").resolve(scenario.name()).resolve(engine);
        LogFiles.deleteTree(dir);
        Files.createDirectories(dir);
        Map<String, String> written = child("write", engine, dir, scenario);
        long logFileBytes = replayableBytes(engine, dir);
        Map<String, String> reopened = child("reopen", engine, dir, scenario);
        long replayed = parseLong(reopened, "replayedBytes");
        Row row = new Row(scenario, engine, parseLong(written, "writeMs"), logFileBytes,
                replayed >= 0 ? replayed : logFileBytes, Double.parseDouble(reopened.get("openMs")),
                parseLong(reopened, "hwmKiB"), parseLong(reopened, "rssAnonKiB"),
                parseLong(reopened, "rssBeforeOpenKiB"), written.get("describe"));
        LogFiles.deleteTree(dir);
        return row;
    }

    /** The bytes the engine's open has to replay: WAL files for RocksDB, .jdb files for JE, none for MVStore and LMDB. */
    static long replayableBytes(String engine, Path dir) throws IOException {
        String suffix = switch (engine) {
            case "walnut" -> ".log";
            case "rocksdb", "rocksdb-avoidflush", "rocksdb-defaults" -> ".log";
            case "je" -> ".jdb";
            default -> null;
        };
        if (suffix == null) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(suffix)).toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }

    private Map<String, String> child(String command, String engine, Path dir, Scenario s)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(childJvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PeerMain.class.getName(), command, engine,
                dir.toString(), Long.toString(s.records()), Long.toString(s.keySpace()),
                Integer.toString(s.valueBytes()), Integer.toString(s.batch()), Long.toString(seed),
                Integer.toString(sample)));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        String resultLine = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(PeerMain.RESULT_PREFIX)) {
                    resultLine = line;
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        if (!process.waitFor(CHILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("child timed out: command=" + command + " engine=" + engine);
        }
        if (process.exitValue() != 0 || resultLine == null) {
            throw new IOException("child failed: command=" + command + " engine=" + engine + " exit="
                    + process.exitValue() + " result=" + resultLine + "\n" + output);
        }
        Map<String, String> fields = new HashMap<>();
        for (String kv : resultLine.substring(PeerMain.RESULT_PREFIX.length()).split(" ")) {
            int eq = kv.indexOf('=');
            fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return fields;
    }

    private static long parseLong(Map<String, String> fields, String key) {
        String v = fields.get(key);
        return v == null ? -1 : Long.parseLong(v);
    }
}
