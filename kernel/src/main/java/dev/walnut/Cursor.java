package dev.walnut;

import java.util.Iterator;

/**
 * A streaming iterator over a key range at one sequence number: memory does not grow with the
 * range. It pins the versions it may still read until closed: always close it (try-with-resources).
 *
 * <p>The cursor walks its range in the range's direction ({@link KeyRange#reversed()} walks from the
 * highest key down) and stands on the last key it returned. {@link #next()} moves on in that
 * direction, {@link #previous()} moves back against it, and {@link #seek} jumps to a key, so a
 * range can be paged through both ways on one cursor. Moving is cheap: {@code next} is a step of a
 * merge; {@code seek}, and {@code previous} after {@code next} (or the reverse), cost one skip-list
 * descent and one binary search of the recovered index. Not thread-safe: one thread per cursor.
 */
public interface Cursor extends Iterator<KeyValue>, AutoCloseable {

    /**
     * Moves the cursor to {@code key}: the next {@link #next()} returns the first key at or after it
     * in the cursor's direction (at or above it for a forward range, at or below it for a reversed
     * one), never a key outside the range; {@link #previous()} returns the last key before it.
     *
     * @throws IllegalStateException if the cursor (or the snapshot it reads) is closed
     */
    void seek(byte[] key);

    /** Whether a key precedes, in the cursor's direction, the one it stands on. */
    boolean hasPrevious();

    /**
     * The entry before the one the cursor stands on (the last returned, or the key sought), in the
     * cursor's direction; the cursor then stands on it, so a following {@link #next()} returns the
     * entry that was current before. At the start of the range there is none.
     *
     * @throws java.util.NoSuchElementException if there is none
     */
    KeyValue previous();

    @Override
    void close();
}
