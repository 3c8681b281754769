package dev.walnut.store;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The read points of open snapshots and cursors. The writer keeps every version a registered
 * reader may see: it prunes only below the horizon, the oldest registered sequence (or the visible
 * sequence when none is registered); and it drops delta entries folded into a new base only once
 * no registered reader still reads an older base.
 */
final class ReadRegistry {
    private final TreeMap<Long, Integer> bySequence = new TreeMap<>();
    private final Map<BaseIndex, Integer> byBase = new IdentityHashMap<>();
    private final LongSupplier visibleSequence;
    private final Supplier<BaseIndex> currentBase;

    ReadRegistry(LongSupplier visibleSequence, Supplier<BaseIndex> currentBase) {
        this.visibleSequence = visibleSequence;
        this.currentBase = currentBase;
    }

    /**
     * Registers a reader at the current visible sequence and base. Taking both under the same lock
     * as {@link #horizon()} and {@link #install} means no prune or fold computed after this can
     * remove what the reader needs.
     */
    synchronized ReadPoint register() {
        ReadPoint point = new ReadPoint(visibleSequence.getAsLong(), currentBase.get());
        bySequence.merge(point.sequence(), 1, Integer::sum);
        byBase.merge(point.base, 1, Integer::sum);
        return point;
    }

    synchronized void release(ReadPoint point) {
        decrement(bySequence, point.sequence());
        decrement(byBase, point.base);
    }

    private static <K> void decrement(Map<K, Integer> counts, K key) {
        Integer count = counts.get(key);
        // A release without a registration would let the writer prune versions a reader still reads.
        if (count == null) {
            throw new IllegalStateException("release of an unregistered reader: " + key);
        }
        if (count == 1) {
            counts.remove(key);
        } else {
            counts.put(key, count - 1);
        }
    }

    /** Versions newer than this, and the newest at or below it, must be kept. */
    synchronized long horizon() {
        long visible = visibleSequence.getAsLong();
        return bySequence.isEmpty() ? visible : Math.min(visible, bySequence.firstKey());
    }

    /** Runs {@code swap} (which replaces the current base) with no registration in between. */
    synchronized void install(Runnable swap) {
        swap.run();
    }

    /** True if every registered reader reads {@code base}. */
    synchronized boolean onlyReaders(BaseIndex base) {
        return byBase.isEmpty() || (byBase.size() == 1 && byBase.containsKey(base));
    }
}
