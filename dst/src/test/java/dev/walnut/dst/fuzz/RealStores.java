package dev.walnut.dst.fuzz;

import dev.walnut.RecoveryPolicy;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import dev.walnut.adapters.InMemoryWalStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Real stores written once per JVM through the real store on in-memory storage, from one seed, so
 * every run mutates the same bytes: a log of a few small segments (as a crash left it, and cleanly
 * closed), and a compacted store (MANIFEST, base, live segment).
 */
final class RealStores {

    static final long SEED = 0x7a22_e12L;
    static final int SEGMENT_BYTES = 4096;
    static final int LOG_PUTS = 90;
    static final int COMPACTED_PUTS = 40;
    static final int PUTS_AFTER_COMPACTION = 12;

    /** The log as a crash left it: copied while the store was open, before close sealed it. */
    static final Map<String, byte[]> CRASHED_LOG;
    static final Map<String, byte[]> CLOSED_LOG;
    static final Map<String, byte[]> COMPACTED;

    static {
        try {
            Map<String, byte[]>[] log = writeLog();
            CRASHED_LOG = log[0];
            CLOSED_LOG = log[1];
            COMPACTED = writeCompacted();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an in-memory store cannot fail", e);
        }
    }

    private RealStores() {
    }

    static WalnutOptions writerOptions() {
        return WalnutOptions.builder().seed(SEED).segmentBytes(SEGMENT_BYTES).readWindowBytes(SEGMENT_BYTES)
                .compression(true).compactionRatio(0).recoveryPolicy(RecoveryPolicy.STRICT).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, byte[]>[] writeLog() throws IOException {
        InMemoryWalStorage storage = new InMemoryWalStorage("real-log");
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, byte[]> crashed;
        try (Walnut db = Walnut.open(storage, writerOptions())) {
            for (int i = 0; i < LOG_PUTS; i++) {
                db.put(key(random.nextInt(LOG_PUTS / 2)), value(i, random));
                if (i % 9 == 0) {
                    db.write(new WriteBatch().delete(key(random.nextInt(LOG_PUTS / 2))).put(key(i), value(i, random)));
                }
            }
            crashed = StoreFiles.snapshot(storage);
        }
        return new Map[] {crashed, StoreFiles.snapshot(storage)};
    }

    private static Map<String, byte[]> writeCompacted() throws IOException {
        InMemoryWalStorage storage = new InMemoryWalStorage("real-compacted");
        SplittableRandom random = new SplittableRandom(SEED + 1);
        try (Walnut db = Walnut.open(storage, writerOptions())) {
            for (int i = 0; i < COMPACTED_PUTS; i++) {
                db.put(key(i), value(i, random));
            }
            db.compact();
            for (int i = 0; i < PUTS_AFTER_COMPACTION; i++) {
                db.put(key(COMPACTED_PUTS + i), value(i, random));
            }
            return new TreeMap<>(StoreFiles.snapshot(storage));
        }
    }

    static byte[] key(int i) {
        return ("k" + i).getBytes(StandardCharsets.UTF_8);
    }

    /** Some values repeat themselves, so the log holds LZ4-compressed records too. */
    private static byte[] value(int i, SplittableRandom random) {
        int length = random.nextInt(8, 200);
        byte[] v = new byte[length];
        if (i % 3 == 0) {
            random.nextBytes(v);
        } else {
            java.util.Arrays.fill(v, (byte) ('a' + i % 26));
        }
        return v;
    }
}
