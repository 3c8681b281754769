package dev.walnut.bench;

import dev.walnut.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
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

    /** LMDB's compile-time key limit (mdb_env_get_maxkeysize). */
    static final int KEY_BYTES_MAX = 511;

    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> db;
    /** Each thread's direct buffers for a key and a value handed to LMDB (lmdbjava passes their addresses). */
    private final ThreadLocal<ByteBuffer[]> buffers = ThreadLocal.withInitial(
            () -> new ByteBuffer[]{ByteBuffer.allocateDirect(KEY_BYTES_MAX), ByteBuffer.allocateDirect(4096)});
    private final boolean noSync;
    private final long mapBytes;

    private LmdbStore(Env<ByteBuffer> env, Dbi<ByteBuffer> db, boolean noSync, long mapBytes) {
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
            // The ByteBuffer proxy (lmdbjava's default): its byte[] proxy can free a value's native
            // copy before mdb_put reads it (lmdbjava issue 252; it crashed this harness).
            Env<ByteBuffer> env = Env.create().setMapSize(mapBytes).setMaxDbs(1)
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
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int i = 0; i < count; i++) {
                db.put(txn, key(keys[i]), value(values[i]));
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
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            db.delete(txn, key(key));
            txn.commit();
        } catch (LmdbException e) {
            throw new IOException("lmdb delete failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
        try (Txn<ByteBuffer> txn = env.txnRead()) {
            ByteBuffer value = db.get(txn, key(key));
            return value == null ? null : bytes(value); // copied: the map's bytes are valid only inside the txn
        } catch (LmdbException e) {
            throw new IOException("lmdb get failed: " + e.getMessage(), e);
        }
    }

    /** One read transaction: the entries are a consistent view. */
    @Override
    public void forEach(byte[] fromInclusive, int limit, BiConsumer<byte[], byte[]> visitor)
            throws IOException {
        try (Txn<ByteBuffer> txn = env.txnRead();
             CursorIterable<ByteBuffer> it = db.iterate(txn, KeyRange.atLeast(key(fromInclusive)))) {
            int seen = 0;
            for (CursorIterable.KeyVal<ByteBuffer> kv : it) {
                if (seen++ == limit) {
                    break;
                }
                visitor.accept(bytes(kv.key()), bytes(kv.val()));
            }
        } catch (LmdbException e) {
            throw new IOException("lmdb scan failed: " + e.getMessage(), e);
        }
    }

    private ByteBuffer key(byte[] key) {
        if (key.length == 0 || key.length > KEY_BYTES_MAX) {
            throw new IllegalArgumentException("lmdb key length out of range: actual=" + key.length + " max=" + KEY_BYTES_MAX);
        }
        ByteBuffer b = buffers.get()[0];
        b.clear();
        return b.put(key).flip();
    }

    private ByteBuffer value(byte[] value) {
        ByteBuffer[] mine = buffers.get();
        if (mine[1].capacity() < value.length) {
            mine[1] = ByteBuffer.allocateDirect(Math.max(value.length, 2 * mine[1].capacity()));
        }
        mine[1].clear();
        return mine[1].put(value).flip();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
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
