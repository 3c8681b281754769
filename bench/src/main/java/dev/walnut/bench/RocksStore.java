package dev.walnut.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * RocksDB with a write buffer larger than the log, so nothing is flushed to an SST while writing
 * and a reopen replays the whole WAL; optionally with {@code avoid_flush_during_recovery}, which
 * keeps the replayed memtable instead of writing it out as an L0 file during open.
 */
final class RocksStore implements KvStore {

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
    private final boolean avoidFlush;
    private final long writeBufferBytes;

    private RocksStore(RocksDB db, Options options, boolean avoidFlush, long writeBufferBytes) {
        this.db = db;
        this.options = options;
        this.avoidFlush = avoidFlush;
        this.writeBufferBytes = writeBufferBytes;
    }

    /** Loads the native library; call before timing an open so its extraction is not counted. */
    static void load() {
        // the static initializer did it
    }

    static RocksStore open(Path dir, Settings settings, boolean avoidFlush) throws IOException {
        Files.createDirectories(dir);
        long writeBuffer = Math.max(WRITE_BUFFER_BYTES_MIN, 2 * settings.expectedLogBytes());
        Options options = new Options().setCreateIfMissing(true)
                .setWriteBufferSize(writeBuffer)
                .setMaxTotalWalSize(4 * writeBuffer)
                .setDbWriteBufferSize(0)
                .setAvoidFlushDuringRecovery(avoidFlush)
                .setAvoidFlushDuringShutdown(true)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(new LRUCache(BLOCK_CACHE_BYTES)));
        try {
            return new RocksStore(RocksDB.open(options, dir.toString()), options, avoidFlush, writeBuffer);
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

    @Override
    public long scan(byte[] fromInclusive, int limit) {
        long bytes = 0;
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(ro)) {
            it.seek(fromInclusive);
            for (int i = 0; i < limit && it.isValid(); i++, it.next()) {
                bytes += it.key().length + it.value().length;
            }
        }
        return bytes;
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
    public String describe() {
        return "rocksdbjni (writeBufferBytes=" + writeBufferBytes + " avoidFlushDuringRecovery=" + avoidFlush
                + " blockCacheBytes=" + BLOCK_CACHE_BYTES + ")";
    }

    @Override
    public void close() {
        db.close();
        options.close();
        syncWrite.close();
        asyncWrite.close();
    }
}
