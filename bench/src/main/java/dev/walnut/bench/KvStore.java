package dev.walnut.bench;

import dev.walnut.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The few operations every engine in the comparison offers, so one harness drives Walnut and its
 * peers with the same data, the same batches and the same durability. Implementations do the
 * natural thing for their engine and say in {@link #describe()} what durability means there.
 */
interface KvStore extends AutoCloseable {

    /** Writes {@code count} puts as one atomic batch; with {@code sync} it is durable on return. */
    void write(byte[][] keys, byte[][] values, int count, boolean sync) throws IOException;

    byte[] get(byte[] key) throws IOException;

    /** Deletes {@code key} (absent is fine), unsynced: durable at the next synced write or {@link #syncAll()}. */
    void delete(byte[] key) throws IOException;

    /** Hands up to {@code limit} entries in key order from {@code fromInclusive} to {@code visitor}. */
    void forEach(byte[] fromInclusive, int limit, BiConsumer<byte[], byte[]> visitor) throws IOException;

    /** Reads up to {@code limit} entries in key order from {@code fromInclusive}; returns key+value bytes seen. */
    default long scan(byte[] fromInclusive, int limit) throws IOException {
        long[] bytes = {0};
        forEach(fromInclusive, limit, (k, v) -> bytes[0] += k.length + v.length);
        return bytes[0];
    }

    /** Makes every write so far durable (fsync). */
    void syncAll() throws IOException;

    /** After a bulk load for the read benchmarks: settle into the engine's steady read shape. */
    default void settleForReads() throws IOException {
    }

    /**
     * Runs the engine's own compaction to completion, as an operator would before a planned
     * restart; returns what it did, for the results file ("none" where the engine has none).
     */
    default String compact() throws IOException {
        return "none";
    }

    /** Bytes the engine replayed at open, or -1 if it does not say. */
    default long replayedBytes() {
        return -1;
    }

    /** Engine, version and settings, for the results file. */
    String describe();

    @Override
    void close() throws IOException;

    /** Every engine {@link #open} knows. */
    List<String> ENGINES = List.of("walnut", "rocksdb", "rocksdb-avoidflush", "rocksdb-defaults", "je", "mvstore",
            "lmdb");

    /** Opens (creating if needed) a store of the named engine. */
    static KvStore open(String engine, Path dir, Settings settings) throws IOException {
        return switch (engine) {
            case "walnut" -> WalnutStore.open(dir, settings);
            case "rocksdb" -> RocksStore.open(dir, settings, RocksStore.Config.WHOLE_WAL);
            case "rocksdb-avoidflush" -> RocksStore.open(dir, settings, RocksStore.Config.WHOLE_WAL_AVOID_FLUSH);
            case "rocksdb-defaults" -> RocksStore.open(dir, settings, RocksStore.Config.DEFAULTS);
            case "je" -> JeStore.open(dir, settings);
            case "mvstore" -> MvStore.open(dir, settings);
            case "lmdb" -> LmdbStore.open(dir, settings);
            default -> throw new IllegalArgumentException("unknown engine: actual=" + engine
                    + " expected=" + String.join("|", ENGINES));
        };
    }

    /**
     * @param expectedLogBytes how big the log may grow; RocksDB's write buffer is made larger so
     *                         its whole WAL replays (no flush to SST while writing)
     * @param walnutDurability Walnut's default durability for writes not asked to sync
     * @param compaction       whether Walnut compacts automatically (off where the whole log must replay)
     */
    record Settings(long expectedLogBytes, Durability walnutDurability, boolean compaction) {
    }
}
