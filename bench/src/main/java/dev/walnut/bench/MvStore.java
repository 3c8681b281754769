package dev.walnut.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2 MVStore: a copy-on-write B-tree with no log to replay, the no-replay end of the scale. It
 * commits in the background (its normal mode); a synced write is commit + fsync, which writes a
 * whole chunk, so it is only measured where that is what an application would do.
 */
final class MvStore implements KvStore {

    /** Page cache large enough for the read benchmarks' data set (MVStore's default is 16 MiB). */
    static final int CACHE_MIB = 512;

    private final MVStore store;
    private final MVMap<byte[], byte[]> map;

    private MvStore(MVStore store, MVMap<byte[], byte[]> map) {
        this.store = store;
        this.map = map;
    }

    static MvStore open(Path dir, Settings settings) throws IOException {
        Files.createDirectories(dir);
        MVStore store = new MVStore.Builder().fileName(dir.resolve("data.mv").toString())
                .cacheSize(CACHE_MIB).open();
        return new MvStore(store, store.openMap("bench"));
    }

    @Override
    public void write(byte[][] keys, byte[][] values, int count, boolean sync) {
        for (int i = 0; i < count; i++) {
            map.put(keys[i], values[i]);
        }
        if (sync) {
            store.commit();
            store.sync();
        }
    }

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }

    @Override
    public void delete(byte[] key) {
        map.remove(key);
    }

    @Override
    public void forEach(byte[] fromInclusive, int limit, BiConsumer<byte[], byte[]> visitor) {
        Cursor<byte[], byte[]> cursor = map.cursor(fromInclusive);
        for (int i = 0; i < limit && cursor.hasNext(); i++) {
            byte[] key = cursor.next();
            visitor.accept(key, cursor.getValue());
        }
    }

    @Override
    public void syncAll() {
        store.commit();
        store.sync();
    }

    /** Bound of MVStore's own compaction pass; it stops early when nothing is left to move. */
    static final int COMPACT_MS_MAX = 60_000;

    @Override
    public String compact() {
        store.commit();
        store.compactFile(COMPACT_MS_MAX);
        return "commit + compactFile(" + COMPACT_MS_MAX + " ms)";
    }

    @Override
    public String describe() {
        return "h2-mvstore " + ArtifactVersion.of("com.h2database", "h2-mvstore") + " (background auto-commit; sync = commit + fsync; cacheMiB=" + CACHE_MIB + ")";
    }

    @Override
    public void close() {
        store.close();
    }
}
