package dev.walnut.store;

import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The sequence numbers open snapshots and cursors read at. The writer keeps every version a
 * registered reader may see: it prunes only below the horizon, the oldest registered sequence (or
 * the visible sequence when none is registered).
 */
final class ReadRegistry {
    private final TreeMap<Long, Integer> readers = new TreeMap<>();
    private final LongSupplier visibleSequence;

    ReadRegistry(LongSupplier visibleSequence) {
        this.visibleSequence = visibleSequence;
    }

    /**
     * Registers a reader at the current visible sequence. Taking the sequence under the same lock as
     * {@link #horizon()} means no prune computed after this can remove what the reader needs.
     */
    synchronized long register() {
        long sequence = visibleSequence.getAsLong();
        readers.merge(sequence, 1, Integer::sum);
        return sequence;
    }

    synchronized void release(long sequence) {
        Integer count = readers.get(sequence);
        assert count != null : "release of an unregistered reader at sequence=" + sequence;
        if (count == 1) {
            readers.remove(sequence);
        } else {
            readers.put(sequence, count - 1);
        }
    }

    /** Versions newer than this, and the newest at or below it, must be kept. */
    synchronized long horizon() {
        long visible = visibleSequence.getAsLong();
        return readers.isEmpty() ? visible : Math.min(visible, readers.firstKey());
    }
}
