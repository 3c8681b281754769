package dev.walnut.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB in one of three configurations ({@link Config}): its defaults, as users run it (64 MiB
 * memtables flushed to SST files while writing, so a reopen replays only the WAL after the last
 * flush); or with a write buffer larger than the log, so nothing is flushed while writing and a
 * reopen replays the whole WAL, optionally with {@code avoid_flush_during_recovery}, which keeps
 * the replayed memtable instead of writing it out as an L0 file during open.
 */
final class RocksStore implements KvStore {

    /** Which options the store opens with. */
    enum Config {
        /** {@code new Options().setCreateIfMissing(true)} and nothing else. */
        DEFAULTS,
        /** Write buffer above the log and a 512 MiB block cache: the whole WAL replays at open. */
        WHOLE_WAL,
        /** {@link #WHOLE_WAL} with {@code avoid_flush_during_recovery}. */
        WHOLE_WAL_AVOID_FLUSH
    }

    /** Never smaller than RocksDB's own default (64 MiB). */
    static final long WRITE_BUFFER_BYTES_MIN = 64L * 1024 * 1024;
    /** Block cache large enough for the read benchmarks' data set (RocksJava's default is 8 MiB). */
    static final long BLOCK_CACHE_BYTES = 512L * 1024 * 1024;

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final Options options;
    private final WriteOptions syncWrite = new WriteOptions().setSync(true);
    private final WriteOptions asyncWrite = new WriteOptions().setSync(false);
    private final Config config;

    private RocksStore(RocksDB db, Options options, Config config) {
        this.db = db;
        this.options = options;
        this.config = config;
    }

    /** Loads the native library; call before timing an open so its extraction is not counted. */
    static void load() {
        // the static initializer did it
    }

    static RocksStore open(Path dir, Settings settings, Config config) throws IOException {
        Files.createDirectories(dir);
        Options options = new Options().setCreateIfMissing(true);
        if (config != Config.DEFAULTS) {
            long writeBuffer = wholeWalBufferBytes(settings);
            options.setWriteBufferSize(writeBuffer)
                    .setMaxTotalWalSize(4 * writeBuffer)
                    .setDbWriteBufferSize(0)
                    .setAvoidFlushDuringRecovery(config == Config.WHOLE_WAL_AVOID_FLUSH)
                    .setAvoidFlushDuringShutdown(true)
                    .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(new LRUCache(BLOCK_CACHE_BYTES)));
        }
        try {
            return new RocksStore(RocksDB.open(options, dir.toString()), options, config);
        } catch (RocksDBException e) {
            options.close();
            throw new IOException("rocksdb open failed: dir=" + dir + " " + e.getMessage(), e);
        }
    }

    @Override
    public void write(byte[][] keys, byte[][] values, int count, boolean sync) throws IOException {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < count; i++) {
                batch.put(keys[i], values[i]);
            }
            db.write(sync ? syncWrite : asyncWrite, batch);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    private static long wholeWalBufferBytes(Settings settings) {
        return Math.max(WRITE_BUFFER_BYTES_MIN, 2 * settings.expectedLogBytes());
    }

    @Override
    public void delete(byte[] key) throws IOException {
        try {
            db.delete(asyncWrite, key);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void forEach(byte[] fromInclusive, int limit, BiConsumer<byte[], byte[]> visitor) {
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(ro)) {
            it.seek(fromInclusive);
            for (int i = 0; i < limit && it.isValid(); i++, it.next()) {
                visitor.accept(it.key(), it.value());
            }
        }
    }

    @Override
    public void syncAll() throws IOException {
        try {
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    /** Flushes the memtable and compacts, so reads hit SST files as in a long-running store. */
    @Override
    public void settleForReads() throws IOException {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
            db.compactRange();
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public String compact() throws IOException {
        settleForReads();
        return "flush + compactRange()";
    }

    @Override
    public String describe() {
        RocksDB.Version version = RocksDB.rocksdbVersion();
        if (config == Config.DEFAULTS) {
            return "rocksdbjni " + version + " (defaults)";
        }
        return "rocksdbjni " + version + " (writeBufferBytes=" + options.writeBufferSize() + " avoidFlushDuringRecovery="
                + (config == Config.WHOLE_WAL_AVOID_FLUSH) + " blockCacheBytes=" + BLOCK_CACHE_BYTES + ")";
    }

    @Override
    public void close() {
        db.close();
        options.close();
        syncWrite.close();
        asyncWrite.close();
    }
}
