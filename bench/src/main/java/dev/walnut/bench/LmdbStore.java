package dev.walnut.bench;

import dev.walnut.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.KeyRange;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

/**
 * LMDB (through lmdbjava): a memory-mapped copy-on-write B+tree with no log to replay, so its
 * open maps the file and reads two meta pages; it is the reference for time to ready.
 *
 * <p>Configuration, as its users run it: one environment, one named database, lmdbjava's defaults
 * (no {@code MDB_WRITEMAP}, read-ahead on, 126 readers) and a map size far above the data (a map
 * is address space only; the file grows with the pages written). Durability follows the
 * workload's: where the workload asks for durable commits ({@link Durability#SYNC}) the
 * environment has LMDB's default durable commit (data pages, then the meta page, each flushed);
 * where it writes unsynced and syncs at the end (the crash-then-reopen harness, the unsynced
 * benches) the environment is opened with {@code MDB_NOSYNC}, so a commit is in the OS page cache
 * as every peer's unsynced write is, and {@link #syncAll()} is {@code mdb_env_sync(force)}.
 * A process kill loses nothing in either mode (LMDB writes through the page cache).
 */
final class LmdbStore implements KvStore {

    /** What lmdbjava needs on JDK 17+ (it reads a buffer's address field); every JVM that opens LMDB gets it. */
    static final List<String> JVM_ARGS = List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");
    /** Address space reserved for the map; only touched pages take memory or disk. */
    static final long MAP_BYTES_MIN = 4L << 30;
    /** The map is this many times the raw data the workload expects, for B-tree slack and overwrites. */
    static final int MAP_BYTES_PER_EXPECTED_BYTE = 4;
    static final String DB_NAME = "bench";

    private final Env<byte[]> env;
    private final Dbi<byte[]> db;
    private final boolean noSync;
    private final long mapBytes;

    private LmdbStore(Env<byte[]> env, Dbi<byte[]> db, boolean noSync, long mapBytes) {
        this.env = env;
        this.db = db;
        this.noSync = noSync;
        this.mapBytes = mapBytes;
    }

    /**
     * Loads the native library (jnr-ffi binding and liblmdb extraction, about half a second);
     * call before timing an open so it is not counted, as {@link RocksStore#load()} does.
     */
    static void load() {
        org.lmdbjava.Meta.version();
    }

    static LmdbStore open(Path dir, Settings settings) throws IOException {
        Files.createDirectories(dir);
        long mapBytes = mapBytes(settings.expectedLogBytes());
        boolean noSync = settings.walnutDurability() != Durability.SYNC;
        EnvFlags[] flags = noSync ? new EnvFlags[]{EnvFlags.MDB_NOSYNC} : new EnvFlags[0];
        try {
            Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(mapBytes).setMaxDbs(1)
                    .open(dir.toFile(), flags);
            return new LmdbStore(env, env.openDbi(DB_NAME, DbiFlags.MDB_CREATE), noSync, mapBytes);
        } catch (LmdbException e) {
            throw new IOException("lmdb open failed: dir=" + dir + " mapBytes=" + mapBytes + " " + e.getMessage(), e);
        }
    }

    static long mapBytes(long expectedBytes) {
        return Math.max(MAP_BYTES_MIN, MAP_BYTES_PER_EXPECTED_BYTE * expectedBytes);
    }

    @Override
    public void write(byte[][] keys, byte[][] values, int count, boolean sync) throws IOException {
        try (Txn<byte[]> txn = env.txnWrite()) {
            for (int i = 0; i < count; i++) {
                db.put(txn, keys[i], values[i]);
            }
            txn.commit();
        } catch (LmdbException e) {
            throw new IOException("lmdb write failed: " + e.getMessage(), e);
        }
        if (sync && noSync) {
            syncAll();
        }
    }

    @Override
    public void delete(byte[] key) throws IOException {
        try (Txn<byte[]> txn = env.txnWrite()) {
            db.delete(txn, key);
            txn.commit();
        } catch (LmdbException e) {
            throw new IOException("lmdb delete failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
        try (Txn<byte[]> txn = env.txnRead()) {
            return db.get(txn, key); // PROXY_BA copies out of the map: valid after the txn ends
        } catch (LmdbException e) {
            throw new IOException("lmdb get failed: " + e.getMessage(), e);
        }
    }

    /** One read transaction: the entries are a consistent view. */
    @Override
    public void forEach(byte[] fromInclusive, int limit, BiConsumer<byte[], byte[]> visitor)
            throws IOException {
        try (Txn<byte[]> txn = env.txnRead();
             CursorIterable<byte[]> it = db.iterate(txn, KeyRange.atLeast(fromInclusive))) {
            int seen = 0;
            for (CursorIterable.KeyVal<byte[]> kv : it) {
                if (seen++ == limit) {
                    break;
                }
                visitor.accept(kv.key(), kv.val());
            }
        } catch (LmdbException e) {
            throw new IOException("lmdb scan failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void syncAll() throws IOException {
        try {
            env.sync(true);
        } catch (LmdbException e) {
            throw new IOException("lmdb sync failed: " + e.getMessage(), e);
        }
    }

    private static String lmdbVersion() {
        org.lmdbjava.Meta.Version v = org.lmdbjava.Meta.version();
        return v.major + "." + v.minor + "." + v.patch;
    }

    @Override
    public String describe() {
        return "lmdbjava " + ArtifactVersion.of("org.lmdbjava", "lmdbjava") + " liblmdb " + lmdbVersion() + " (mapBytes=" + mapBytes
                + (noSync ? " MDB_NOSYNC, sync = mdb_env_sync" : " durable commits") + ")";
    }

    /** A clean close is durable, as every engine's is: under MDB_NOSYNC that takes one explicit sync. */
    @Override
    public void close() throws IOException {
        try {
            if (noSync) {
                syncAll();
            }
        } finally {
            db.close();
            env.close();
        }
    }
}
