package dev.walnut;

import java.util.Iterator;

/**
 * A streaming iterator over a key range at one sequence number: memory does not grow with the
 * range. It pins the versions it may still read until closed: always close it (try-with-resources).
 *
 * <p>The cursor walks its range in the range's direction ({@link KeyRange#reversed()} walks from the
 * highest key down) and stands on the last key it returned. {@link #next()} moves on in that
 * direction, {@link #previous()} moves back against it, and {@link #seek} jumps to a key, so a
 * range can be paged through both ways on one cursor. {@code next} is a step of a merge of the
 * writes since open with the index recovered at open, plus one positional read of the value when
 * it is longer than 12 bytes (verified by its checksum), and allocates the {@link KeyValue} it
 * returns (copies of key and value). A failed read surfaces from {@code hasNext} or {@code next}
 * as an {@link java.io.UncheckedIOException} (its cause a {@link WalCorruptionException} for a
 * damaged value); the cursor is then done and every later call throws {@link IllegalStateException}.
 * {@code seek}, and {@code previous}
 * after {@code next} (or the reverse), cost one skip-list descent and one binary search of the
 * recovered index. Not thread-safe: one thread per cursor. After {@link #close()} every method but
 * {@code close} throws {@link IllegalStateException}.
 */
public interface Cursor extends Iterator<KeyValue>, AutoCloseable {

    /**
     * Moves the cursor to {@code key}: the next {@link #next()} returns the first key at or after it
     * in the cursor's direction (at or above it for a forward range, at or below it for a reversed
     * one), never a key outside the range; {@link #previous()} returns the last key before it.
     * Costs one skip-list descent and one binary search of the recovered index; no I/O until the
     * next entry is read.
     *
     * @param key where to stand; it need not be present, nor inside the range
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalStateException if the cursor (or the snapshot it reads) is closed
     */
    void seek(byte[] key);

    /**
     * Whether a key precedes, in the cursor's direction, the one it stands on. The first call after
     * a move starts a walk backwards (one skip-list descent, one binary search).
     *
     * @return true if {@link #previous()} would return an entry
     * @throws IllegalStateException if the cursor (or the snapshot it reads) is closed
     */
    boolean hasPrevious();

    /**
     * The entry before the one the cursor stands on (the last returned, or the key sought), in the
     * cursor's direction; the cursor then stands on it, so a following {@link #next()} returns the
     * entry that was current before. At the start of the range there is none.
     *
     * @return the entry, as copies the caller owns
     * @throws java.util.NoSuchElementException if there is none
     * @throws IllegalStateException if the cursor (or the snapshot it reads) is closed
     */
    KeyValue previous();

    /**
     * Releases what the cursor pins: for a cursor from {@link Walnut#scan}, its read point, so the
     * store may drop versions only it could still read. Idempotent; never throws.
     */
    @Override
    void close();
}
