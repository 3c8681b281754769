package dev.walnut.ratis;

import dev.walnut.Cursor;
import dev.walnut.Durability;
import dev.walnut.KeyRange;
import dev.walnut.KeyValue;
import dev.walnut.Snapshot;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.nio.file.Path;

/**
 * TEMPORARY stand-in for {@code Walnut.checkpoint(Path)}, which the kernel is getting: a
 * consistent, openable copy of the store at one sequence number, taken while writes go on. Until
 * it lands this copies a {@link Snapshot} into a fresh store through the public API. Remove this
 * class once the kernel method is on main.
 */
final class Checkpoints {

    private static final int BATCH_ENTRIES = 1_000;
    /** Bounds the per-entry framing a batch adds to key and value bytes. */
    private static final int ENTRY_OVERHEAD_BYTES = 16;

    private Checkpoints() {
    }

    /** Writes the store's state into a new store at {@code target}; returns the snapshot's sequence. */
    static long take(Walnut store, Path target) throws IOException {
        WalnutOptions options = store.options().toBuilder().durability(Durability.MANUAL).compactionRatio(0).build();
        try (Snapshot snapshot = store.snapshot();
             Walnut copy = Walnut.open(target, options);
             Cursor c = snapshot.scan(KeyRange.all())) {
            WriteBatch batch = new WriteBatch();
            while (c.hasNext()) {
                KeyValue kv = c.next();
                long entryBytes = kv.key().length + kv.value().length + ENTRY_OVERHEAD_BYTES;
                if (!batch.isEmpty() && batch.estimatedBytes() + entryBytes > options.maxRecordBytes() / 2) {
                    copy.write(batch);
                    batch = new WriteBatch();
                }
                batch.put(kv.key(), kv.value());
                if (batch.size() == BATCH_ENTRIES) {
                    copy.write(batch);
                    batch = new WriteBatch();
                }
            }
            if (!batch.isEmpty()) {
                copy.write(batch);
            }
            copy.sync();
            return snapshot.sequence();
        }
    }
}
