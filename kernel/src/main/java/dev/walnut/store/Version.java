package dev.walnut.store;

/**
 * One value of a key at one sequence number; {@code value == null} is a delete. Versions written
 * since open form a chain from newest to oldest in the index's delta; only versions an open reader
 * may still see are kept. Below every chain lies the {@link BaseIndex} recovered at open, which
 * every reader sees (its entries are older than any version).
 */
final class Version {
    final long sequence;
    final byte[] value;
    /** Cut to null when no reader can see older versions. Written by the single writer, read by anyone. */
    volatile Version older;

    Version(long sequence, byte[] value, Version older) {
        this.sequence = sequence;
        this.value = value;
        this.older = older;
    }

    /** The newest version visible at {@code sequence}, or null if none is (the base then decides). */
    Version visibleAt(long sequence) {
        for (Version v = this; v != null; v = v.older) {
            if (v.sequence <= sequence) {
                return v;
            }
        }
        return null;
    }

    /** The live value length this chain's newest version stands for, or -1 if it is a delete. */
    int valueLength() {
        return value == null ? -1 : value.length;
    }
}
