package dev.walnut;

/** Reads: the store's latest state, or a {@link Snapshot}'s. */
public interface ReadView {
    /** The value of {@code key}, or null if absent. The caller owns the returned array. */
    byte[] get(byte[] key);

    /** A cursor over {@code range}, consistent at one sequence number. */
    Cursor scan(KeyRange range);
}
