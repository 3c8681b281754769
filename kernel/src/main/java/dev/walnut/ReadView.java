package dev.walnut;

import java.io.IOException;

/** Reads: the store's latest state, or a {@link Snapshot}'s. Reads never wait for a writer or an fsync. */
public interface ReadView {
    /**
     * The value of {@code key} in this view, or null if absent. A value of more than 12 bytes is
     * read from its file: one positional read, verified by its own checksum before it is returned;
     * shorter values and absent keys cost no I/O.
     *
     * @param key 1 to {@link WalnutOptions#KEY_BYTES_MAX} bytes
     * @return a copy the caller owns, or null if the key has no value in this view
     * @throws WalCorruptionException if the value's bytes on disk fail their checksum (file and
     *                                offset named): the value is refused, never returned wrong
     * @throws IOException if reading the value fails
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is empty or longer than {@link WalnutOptions#KEY_BYTES_MAX}
     * @throws IllegalStateException if the store or snapshot is closed
     */
    byte[] get(byte[] key) throws IOException;

    /**
     * A cursor over {@code range}, consistent at one sequence number. Opening it does no I/O; each
     * entry it returns reads its value as {@link #get} does, and a failed read surfaces from
     * {@link Cursor#hasNext()} or {@link Cursor#next()} as an {@link java.io.UncheckedIOException}
     * wrapping the {@link IOException} (a {@link WalCorruptionException} for a damaged value).
     *
     * @param range the keys to walk and the direction
     * @return a cursor positioned before the first key of the range; close it
     * @throws NullPointerException if {@code range} is null
     * @throws IllegalStateException if the store or snapshot is closed
     */
    Cursor scan(KeyRange range);
}
