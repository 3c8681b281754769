package dev.walnut.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Write-then-reopen against the peers: for each scenario and engine, one child JVM writes the
 * workload and leaves the store as the scenario's {@link Ending} says (by default it halts without
 * closing: a crash after a durable sync), and a fresh child JVM reopens the store, verifies a
 * sample and reports its open time and memory. Every engine gets the same data, batches, JVM
 * flags and durability (nothing synced until one fsync at the end).
 */
public final class PeerHarness {

    static final long CHILD_TIMEOUT_MINUTES = 30;
    /** The engine with no log to replay; {@link #run} runs it on the first scenario only. */
    static final String NO_REPLAY_ENGINE = "mvstore";

    /** How the writing JVM leaves the store. */
    public enum Ending {
        /** One fsync, then {@code Runtime.halt}: a crash after a durable sync. */
        HALT,
        /** The engine's clean close. */
        CLOSE,
        /** The engine's own compaction to completion ({@link KvStore#compact()}), then a clean close. */
        COMPACT
    }

    /** One shape of data: {@code records} puts of 16-byte keys over {@code keySpace} keys. */
    public record Scenario(String name, long records, long keySpace, int valueBytes, int batch, Ending ending) {
        public Scenario(String name, long records, long keySpace, int valueBytes, int batch) {
            this(name, records, keySpace, valueBytes, batch, Ending.HALT);
        }
    }

    /** One engine's write-then-reopen figures; memory in KiB, -1 where unknown; round 0 unless repeated. */
    public record Row(Scenario scenario, String engine, long writeMs, long logFileBytes, long replayedBytes,
                      double openMs, long hwmKiB, long rssAnonKiB, long rssBeforeOpenKiB, String describe, int round) {
    }

    /** What the writing child reported. */
    private record Written(long writeMs, long logFileBytes, String describe) {
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

    /** Each scenario once per engine; the no-replay engine on the first scenario only. */
    public List<Row> run(List<Scenario> scenarios, List<String> engines) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        Scenario first = scenarios.get(0);
        rows.add(idle(first));
        for (Scenario scenario : scenarios) {
            for (String engine : engines) {
                if (engine.equals(NO_REPLAY_ENGINE) && scenario != first) {
                    continue; // replays nothing: one point is its whole curve, and its writes are slow
                }
                Path dir = workDir(scenario, engine);
                LogFiles.deleteTree(dir);
                rows.add(reopen(scenario, engine, dir, write(scenario, engine, dir), 0));
                LogFiles.deleteTree(dir);
                System.out.println("[peers] " + rows.get(rows.size() - 1));
            }
        }
        return rows;
    }

    /**
     * Each scenario written once per engine, then reopened {@code rounds} times, each time from a
     * fresh copy of what the writer left (a reopen may change the store: a flush, a new segment),
     * engines in an order rotated each round so a change in the machine's load spreads over all.
     */
    public List<Row> runRounds(List<Scenario> scenarios, List<String> engines, int rounds)
            throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            Map<String, Written> written = new LinkedHashMap<>();
            for (String engine : engines) {
                Path pristine = pristineDir(scenario, engine);
                LogFiles.deleteTree(pristine);
                written.put(engine, write(scenario, engine, pristine));
                System.out.println("[reopen] wrote " + scenario.name() + " " + engine + " " + written.get(engine));
            }
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < engines.size(); i++) {
                    String engine = engines.get((i + round) % engines.size());
                    Path dir = workDir(scenario, engine);
                    LogFiles.deleteTree(dir);
                    LogFiles.copyTree(pristineDir(scenario, engine), dir);
                    rows.add(reopen(scenario, engine, dir, written.get(engine), round));
                    LogFiles.deleteTree(dir);
                    System.out.println("[reopen] " + rows.get(rows.size() - 1));
                }
            }
            for (String engine : engines) {
                LogFiles.deleteTree(pristineDir(scenario, engine));
            }
        }
        return rows;
    }

    /** A JVM that opens nothing: the base of every RSS figure. */
    public Row idle(Scenario scenario) throws IOException, InterruptedException {
        Map<String, String> idle = child("reopen", PeerMain.JVM_ONLY, root.resolve("idle"), scenario);
        return new Row(scenario, PeerMain.JVM_ONLY, 0, 0, 0, 0, parseLong(idle, "hwmKiB"),
                parseLong(idle, "rssAnonKiB"), -1, "a JVM that opens nothing", 0);
    }

    private Path workDir(Scenario scenario, String engine) {
        return root.resolve("peers").resolve(scenario.name()).resolve(engine);
    }

    private Path pristineDir(Scenario scenario, String engine) {
        return root.resolve("peers").resolve(scenario.name()).resolve(engine + ".pristine");
    }

    private Written write(Scenario scenario, String engine, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Map<String, String> written = child("write", engine, dir, scenario);
        return new Written(parseLong(written, "writeMs"), replayableBytes(engine, dir), written.get("describe"));
    }

    private Row reopen(Scenario scenario, String engine, Path dir, Written written, int round)
            throws IOException, InterruptedException {
        Map<String, String> reopened = child("reopen", engine, dir, scenario);
        long replayed = parseLong(reopened, "replayedBytes");
        return new Row(scenario, engine, written.writeMs(), written.logFileBytes(),
                replayed >= 0 ? replayed : written.logFileBytes(), Double.parseDouble(reopened.get("openMs")),
                parseLong(reopened, "hwmKiB"), parseLong(reopened, "rssAnonKiB"),
                parseLong(reopened, "rssBeforeOpenKiB"), written.describe(), round);
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
                Integer.toString(sample), s.ending().name()));
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
        return parseResult(resultLine);
    }

    /** The fields of a {@code RESULT key=value ...} line. */
    static Map<String, String> parseResult(String resultLine) {
        Map<String, String> fields = new HashMap<>();
        for (String kv : resultLine.substring(PeerMain.RESULT_PREFIX.length()).split(" ")) {
            int eq = kv.indexOf('=');
            fields.put(kv.substring(0, eq), kv.substring(eq + 1).replace(PeerMain.SPACE, ' '));
        }
        return fields;
    }

    private static long parseLong(Map<String, String> fields, String key) {
        String v = fields.get(key);
        return v == null ? -1 : Long.parseLong(v);
    }
}
