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
        if (!table.equals(tableName)) {
            return Status.BAD_REQUEST;
        }
        try {
            byte[] value = store.get(bytes(key));
            if (value == null) {
                return Status.NOT_FOUND;
            }
            YcsbRecord.decode(value, fields, result);
            return Status.OK;
        } catch (IOException | RuntimeException e) {
            return Status.ERROR;
        }
    }

    @Override
    public Status scan(String tableName, String startKey, int count, Set<String> fields,
                       Vector<HashMap<String, ByteIterator>> result) {
        if (!table.equals(tableName)) {
            return Status.BAD_REQUEST;
        }
        try {
            store.forEach(bytes(startKey), count, (k, v) -> {
                HashMap<String, ByteIterator> record = new HashMap<>();
                YcsbRecord.decode(v, fields, record);
                result.add(record);
            });
            return Status.OK;
        } catch (IOException | RuntimeException e) {
            return Status.ERROR;
        }
    }

    /** YCSB's update changes the named fields and keeps the others: read, merge, write. */
    @Override
    public Status update(String tableName, String key, Map<String, ByteIterator> values) {
        if (!table.equals(tableName)) {
            return Status.BAD_REQUEST;
        }
        try {
            byte[] old = store.get(bytes(key));
            if (old == null) {
                return Status.NOT_FOUND;
            }
            Map<String, ByteIterator> merged = new HashMap<>();
            YcsbRecord.decode(old, null, merged);
            merged.putAll(values);
            return put(key, merged);
        } catch (IOException | RuntimeException e) {
            return Status.ERROR;
        }
    }

    @Override
    public Status insert(String tableName, String key, Map<String, ByteIterator> values) {
        if (!table.equals(tableName)) {
            return Status.BAD_REQUEST;
        }
        try {
            return put(key, values);
        } catch (IOException | RuntimeException e) {
            return Status.ERROR;
        }
    }

    @Override
    public Status delete(String tableName, String key) {
        if (!table.equals(tableName)) {
            return Status.BAD_REQUEST;
        }
        try {
            store.delete(bytes(key));
            return Status.OK;
        } catch (IOException | RuntimeException e) {
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
