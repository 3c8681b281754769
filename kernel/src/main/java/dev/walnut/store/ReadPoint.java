package dev.walnut.store;

/**
 * Where a registered reader reads: a sequence number and the base index that was current when it
 * registered. Holding both keeps a reader consistent across a compaction that folds the delta
 * into a new base.
 */
public final class ReadPoint {
    private final long sequence;
    final BaseIndex base;

    ReadPoint(long sequence, BaseIndex base) {
        this.sequence = sequence;
        this.base = base;
    }

    public long sequence() {
        return sequence;
    }
}
