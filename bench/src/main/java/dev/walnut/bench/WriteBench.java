package dev.walnut.bench;

import dev.walnut.Durability;
import dev.walnut.Stats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Put throughput: one put per operation, keys cycling over {@link #KEY_SPACE} so the live state
 * (and heap) stays bounded while the log grows; the thread count comes from the runner
 * ({@code -t}). {@code mode}: SYNC (durable on return; Walnut shares fsyncs by group commit,
 * RocksDB by its write group), BACKGROUND (Walnut syncs every syncIntervalMs; MVStore's
 * auto-commit), MANUAL (in the OS page cache on return; RocksDB with sync off). Walnut's fsyncs
 * and writes over the measurement iterations go to a properties file for the report.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class WriteBench {

    static final long KEY_SPACE = 100_000;

    @Param({"walnut", "rocksdb", "mvstore", "lmdb"})
    public String engine;

    @Param({"SYNC", "BACKGROUND", "MANUAL"})
    public String mode;

    @Param({"100", "4096"})
    public int valueBytes;

    private Path dir;
    private KvStore store;
    private boolean sync;
    private Dataset data;
    private byte[][] values;
    private final AtomicLong nextPut = new AtomicLong();
    private Stats atStart;
    private long fsyncs;
    private long writes;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory(Files.createDirectories(LogFiles.root()), "write-" + engine + "-");
        Durability durability = Durability.valueOf(mode);
        sync = durability == Durability.SYNC;
        store = KvStore.open(engine, dir, new KvStore.Settings(KEY_SPACE * 200L, durability, true));
        data = new Dataset(Dataset.SEED_DEFAULT, Dataset.KEY_BYTES_DEFAULT, valueBytes);
        values = new byte[64][];
        for (int i = 0; i < values.length; i++) {
            values[i] = data.value(i);
        }
    }

    @Benchmark
    public void put(ThreadSlot slot) throws IOException {
        long i = nextPut.getAndIncrement();
        slot.keys[0] = data.key(i % KEY_SPACE);
        slot.values[0] = values[(int) (i & 63)];
        store.write(slot.keys, slot.values, 1, sync);
    }

    /** One writer thread's scratch arrays. */
    @State(Scope.Thread)
    public static class ThreadSlot {
        final byte[][] keys = new byte[1][];
        final byte[][] values = new byte[1][];
    }

    @Setup(Level.Iteration)
    public void iterationStart(IterationParams iteration) {
        atStart = iteration.getType() == IterationType.MEASUREMENT && store instanceof WalnutStore w ? w.stats() : null;
    }

    @TearDown(Level.Iteration)
    public void iterationEnd() {
        if (atStart != null) {
            Stats now = ((WalnutStore) store).stats();
            fsyncs += now.fsyncs() - atStart.fsyncs();
            writes += now.writes() - atStart.writes();
        }
    }

    @TearDown(Level.Trial)
    public void close(BenchmarkParams params) throws IOException {
        store.close();
        LogFiles.deleteTree(dir);
        if (!engine.equals("walnut")) {
            return;
        }
        Properties p = new Properties();
        p.setProperty("fsyncs", Long.toString(fsyncs));
        p.setProperty("writes", Long.toString(writes));
        Path file = statsFile(mode, valueBytes, params.getThreads());
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "Walnut Stats deltas over the measurement iterations");
        }
    }

    static Path statsFile(String mode, int valueBytes, int threads) {
        return LogFiles.root().resolve("write-stats").resolve(mode + "-v" + valueBytes + "-t" + threads + ".properties");
    }
}
