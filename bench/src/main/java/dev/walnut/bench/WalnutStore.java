package dev.walnut.bench;

import dev.walnut.Cursor;
import dev.walnut.Durability;
import dev.walnut.KeyRange;
import dev.walnut.KeyValue;
import dev.walnut.Stats;
import dev.walnut.Walnut;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BiConsumer;

/** Walnut behind the harness's {@link KvStore}. */
final class WalnutStore implements KvStore {

    private final Walnut db;
    private final Settings settings;

    private WalnutStore(Walnut db, Settings settings) {
        this.db = db;
        this.settings = settings;
    }

    static WalnutStore open(Path dir, Settings settings) throws IOException {
        var options = LogFiles.openOptions(Dataset.SEED_DEFAULT).durability(settings.walnutDurability());
        if (settings.compaction()) {
            options.compactionRatio(dev.walnut.WalnutOptions.COMPACTION_RATIO_DEFAULT);
        }
        return new WalnutStore(Walnut.open(dir, options.build()), settings);
    }

    Walnut walnut() {
        return db;
    }

    @Override
    public void write(byte[][] keys, byte[][] values, int count, boolean sync) throws IOException {
        WriteBatch batch = new WriteBatch();
        for (int i = 0; i < count; i++) {
            batch.put(keys[i], values[i]);
        }
        if (sync) {
            db.write(batch, Durability.SYNC);
        } else {
            db.write(batch);
        }
    }

    @Override
    public byte[] get(byte[] key) throws IOException {
        return db.get(key);
    }

    @Override
    public void delete(byte[] key) throws IOException {
        db.delete(key);
    }

    @Override
    public void forEach(byte[] fromInclusive, int limit, BiConsumer<byte[], byte[]> visitor) {
        try (Cursor cursor = db.scan(KeyRange.between(fromInclusive, null))) {
            for (int i = 0; i < limit && cursor.hasNext(); i++) {
                KeyValue kv = cursor.next();
                visitor.accept(kv.key(), kv.value());
            }
        }
    }

    @Override
    public void syncAll() throws IOException {
        db.sync();
    }

    @Override
    public String compact() throws IOException {
        db.compact();
        return "Walnut.compact()";
    }

    @Override
    public long replayedBytes() {
        return db.recoveryReport().bytesReplayed();
    }

    Stats stats() {
        return db.stats();
    }

    @Override
    public String describe() {
        return "walnut (durability=" + settings.walnutDurability() + " compaction=" + settings.compaction() + ")";
    }

    @Override
    public void close() throws IOException {
        db.close();
    }
}
