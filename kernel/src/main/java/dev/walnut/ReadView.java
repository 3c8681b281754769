package dev.walnut;

/** Reads: the store's latest state, or a {@link Snapshot}'s. Reads never wait for a writer or an fsync. */
public interface ReadView {
    /**
     * The value of {@code key} in this view, or null if absent. Reads memory only: no I/O.
     *
     * @param key 1 to {@link WalnutOptions#KEY_BYTES_MAX} bytes
     * @return a copy the caller owns, or null if the key has no value in this view
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is empty or longer than {@link WalnutOptions#KEY_BYTES_MAX}
     * @throws IllegalStateException if the store or snapshot is closed
     */
    byte[] get(byte[] key);

    /**
     * A cursor over {@code range}, consistent at one sequence number. Reads memory only: no I/O.
     *
     * @param range the keys to walk and the direction
     * @return a cursor positioned before the first key of the range; close it
     * @throws NullPointerException if {@code range} is null
     * @throws IllegalStateException if the store or snapshot is closed
     */
    Cursor scan(KeyRange range);
}
