package dev.walnut.bench;

import dev.walnut.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * Point reads (hit and miss) and scans on a store of {@link #keys} 16-byte keys with 100-byte
 * values, single thread. The store is loaded once into a cache directory (in batches of
 * {@link #LOAD_BATCH}, closed cleanly), reopened by every fork and warmed by one full scan. A scan reads
 * {@link #SCAN_ENTRIES} entries in key order from a random key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"})
public class ReadBench {

    static final int LOAD_BATCH = 1000;
    static final int SCAN_ENTRIES = 1000;
    static final int VALUE_BYTES = 100;
    static final String MARKER = "bench-loaded";

    @Param({"walnut", "rocksdb", "je", "mvstore", "lmdb"})
    public String engine;

    @Param({"1000000"})
    public long keys;

    private KvStore store;
    private Dataset data;
    private final SplittableRandom random = new SplittableRandom(Dataset.SEED_DEFAULT);

    @Setup(Level.Trial)
    public void open() throws IOException {
        data = new Dataset(Dataset.SEED_DEFAULT, Dataset.KEY_BYTES_DEFAULT, VALUE_BYTES);
        Path dir = LogFiles.root().resolve("read").resolve(engine + "-" + keys);
        Workload workload = new Workload(data, keys, keys, LOAD_BATCH);
        KvStore.Settings settings = new KvStore.Settings(workload.rawBytes() * 2, Durability.MANUAL, true);
        if (Files.exists(dir.resolve(MARKER))) {
            try {
                store = KvStore.open(engine, dir, settings);
                warm();
                return;
            } catch (IOException | RuntimeException e) {
                // Cached by an older build this one cannot read: load it again.
                System.out.println("reloading " + dir + ": " + e);
            }
        }
        LogFiles.deleteTree(dir);
        try (KvStore loading = KvStore.open(engine, dir, settings)) {
            workload.load(loading);
            loading.settleForReads();
        }
        Files.createFile(dir.resolve(MARKER));
        store = KvStore.open(engine, dir, settings);
        warm();
    }

    /**
     * One full scan, so every engine starts with its cache filled (each is given one large enough:
     * JE 60% of the heap by default, RocksDB and MVStore 512 MiB) and reads measure the in-memory
     * steady state, which is where Walnut always is.
     */
    private void warm() throws IOException {
        long bytes = store.scan(new byte[Dataset.KEY_BYTES_DEFAULT], (int) keys);
        if (bytes < keys * (Dataset.KEY_BYTES_DEFAULT + VALUE_BYTES)) {
            throw new IllegalStateException("warm-up scan fell short: engine=" + engine + " bytes=" + bytes);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
    }

    @Benchmark
    public byte[] getHit() throws IOException {
        byte[] value = store.get(data.key(random.nextLong(keys)));
        if (value == null) {
            throw new IllegalStateException("a loaded key is missing: engine=" + engine);
        }
        return value;
    }

    @Benchmark
    public byte[] getMiss() throws IOException {
        return store.get(data.missingKey(random.nextLong(keys)));
    }

    /** Reads SCAN_ENTRIES entries in key order; entries/s = SCAN_ENTRIES / time. */
    @Benchmark
    public long scan() throws IOException {
        return store.scan(data.key(random.nextLong(keys)), SCAN_ENTRIES);
    }
}
