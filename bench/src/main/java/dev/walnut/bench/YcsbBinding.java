package dev.walnut.bench;

import dev.walnut.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * A YCSB 0.17 binding over a {@link KvStore}: YCSB creates one {@code DB} per client thread, so
 * the store is opened by the first {@link #init()} of the JVM (timed: the open of the loaded
 * store) and closed cleanly by the last {@link #cleanup()}. A record's fields are one value
 * ({@link YcsbRecord}); the key is the YCSB key's UTF-8 bytes. One table: YCSB's core workloads use
 * only one, and another name is refused rather than silently mixed in.
 *
 * <p>Properties: {@code <prefix>.dir} (required), {@code walnut.durability} (Walnut only, default
 * MANUAL: in the page cache on return, as RocksDB's default {@code sync=false} write).
 */
public abstract class YcsbBinding extends DB {

    /** Per engine: the JVM's one store, how many threads hold it, and how long its open took. */
    private static final class Shared {
        KvStore store;
        int holders;
        double openMs = -1;
    }

    private static final Map<String, Shared> SHARED = new HashMap<>();
    static final String TABLE_DEFAULT = "usertable";
    private static final java.util.concurrent.atomic.AtomicBoolean FIRST_FAILURE_PRINTED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private KvStore store;
    private String table;

    /** The engine name {@link KvStore#open} takes. */
    protected abstract String engine();

    /** The prefix of this binding's properties ({@code walnut}, {@code rocksdb}). */
    protected abstract String prefix();

    /** Milliseconds the first open of {@code engine}'s store in this JVM took, -1 before it. */
    static double openMs(String engine) {
        synchronized (SHARED) {
            Shared s = SHARED.get(engine);
            return s == null ? -1 : s.openMs;
        }
    }

    @Override
    public void init() throws DBException {
        table = getProperties().getProperty("table", TABLE_DEFAULT);
        String dir = getProperties().getProperty(prefix() + ".dir");
        if (dir == null) {
            throw new DBException("missing property: " + prefix() + ".dir");
        }
        Durability durability = Durability.valueOf(getProperties().getProperty("walnut.durability", "MANUAL"));
        synchronized (SHARED) {
            Shared shared = SHARED.computeIfAbsent(engine(), e -> new Shared());
            if (shared.store == null) {
                long start = System.nanoTime();
                try {
                    shared.store = KvStore.open(engine(), Path.of(dir), new KvStore.Settings(0, durability, true));
                } catch (IOException | RuntimeException e) {
                    throw new DBException("open failed: engine=" + engine() + " dir=" + dir + " " + e, e);
                }
                if (shared.openMs < 0) {
                    shared.openMs = (System.nanoTime() - start) / 1e6;
                }
            }
            shared.holders++;
            store = shared.store;
        }
    }

    @Override
    public void cleanup() throws DBException {
        synchronized (SHARED) {
            Shared shared = SHARED.get(engine());
            if (store == null || shared == null || --shared.holders > 0) {
                return;
            }
            try {
                shared.store.close();
            } catch (IOException e) {
                throw new DBException("close failed: engine=" + engine() + " " + e, e);
            } finally {
                shared.store = null;
                store = null;
            }
        }
    }

    @Override
    public Status read(String tableName, String key, Set<String> fields, Map<String, ByteIterator> result) {
        return call(tableName, () -> {
            byte[] value = store.get(bytes(key));
            if (value == null) {
                return Status.NOT_FOUND;
            }
            YcsbRecord.decode(value, fields, result);
            return Status.OK;
        });
    }

    @Override
    public Status scan(String tableName, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        return call(tableName, () -> {
            store.forEach(bytes(startKey), count, (k, v) -> {
                HashMap<String, ByteIterator> record = new HashMap<>();
                YcsbRecord.decode(v, fields, record);
                result.add(record);
            });
            return Status.OK;
        });
    }

    /** YCSB's update changes the named fields and keeps the others: read, merge, write. */
    @Override
    public Status update(String tableName, String key, Map<String, ByteIterator> values) {
        return call(tableName, () -> {
            byte[] old = store.get(bytes(key));
            if (old == null) {
                return Status.NOT_FOUND;
            }
            Map<String, ByteIterator> merged = new HashMap<>();
            YcsbRecord.decode(old, null, merged);
            merged.putAll(values);
            return put(key, merged);
        });
    }

    @Override
    public Status insert(String tableName, String key, Map<String, ByteIterator> values) {
        return call(tableName, () -> put(key, values));
    }

    @Override
    public Status delete(String tableName, String key) {
        return call(tableName, () -> {
            store.delete(bytes(key));
            return Status.OK;
        });
    }

    /** One operation against the store, which may fail with an I/O error. */
    @FunctionalInterface
    private interface Operation {
        Status run() throws IOException;
    }

    /**
     * Runs {@code op} on this binding's table: another table is a bad request; a failure is
     * YCSB's ERROR (counted in its output), and the first one of the JVM is printed with its cause.
     */
    private Status call(String tableName, Operation op) {
        if (!table.equals(tableName)) {
            return Status.BAD_REQUEST;
        }
        try {
            return op.run();
        } catch (IOException | RuntimeException e) {
            if (FIRST_FAILURE_PRINTED.compareAndSet(false, true)) {
                System.err.println("ycsb binding: first failed operation: engine=" + engine() + " " + e);
                e.printStackTrace();
            }
            return Status.ERROR;
        }
    }

    private Status put(String key, Map<String, ByteIterator> values) throws IOException {
        store.write(new byte[][]{bytes(key)}, new byte[][]{YcsbRecord.encode(values)}, 1, false);
        return Status.OK;
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
