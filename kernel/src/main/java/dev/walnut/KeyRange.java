package dev.walnut;

import java.util.Arrays;

/**
 * A range of keys, ordered as unsigned bytes: {@code from} inclusive (or exclusive after
 * {@link #startAfter}), {@code to} exclusive; a null end is open. Immutable: the factories copy
 * the arrays they are given and the accessors return copies. A range whose {@code from} is not
 * below its {@code to} is empty.
 */
public final class KeyRange {
    private static final KeyRange ALL = new KeyRange(null, true, null, false);

    private final byte[] from;
    private final boolean fromInclusive;
    private final byte[] to;
    private final boolean reverse;

    private KeyRange(byte[] from, boolean fromInclusive, byte[] to, boolean reverse) {
        this.from = from;
        this.fromInclusive = fromInclusive;
        this.to = to;
        this.reverse = reverse;
    }

    /**
     * Every key, in ascending order.
     *
     * @return the range with both ends open
     */
    public static KeyRange all() {
        return ALL;
    }

    /**
     * Keys {@code >= fromInclusive} and {@code < toExclusive}; either may be null for an open end.
     *
     * @param fromInclusive the lowest key in the range, or null for no lower bound
     * @param toExclusive   the first key above the range, or null for no upper bound
     * @return the range, ascending
     */
    public static KeyRange between(byte[] fromInclusive, byte[] toExclusive) {
        return new KeyRange(copy(fromInclusive), true, copy(toExclusive), false);
    }

    /**
     * Every key that starts with {@code prefix}.
     *
     * @param prefix the common first bytes; null or empty means every key
     * @return the range, ascending; its upper end is open when the prefix is all {@code 0xFF} bytes
     */
    public static KeyRange prefix(byte[] prefix) {
        if (prefix == null || prefix.length == 0) {
            return ALL;
        }
        return new KeyRange(prefix.clone(), true, prefixEnd(prefix), false);
    }

    /**
     * This range without {@code key} and the keys the scan met before it: resumes an interrupted
     * scan after the last key it returned. It moves the bound the scan starts from: the low end of
     * a forward range, the high end of a reversed one.
     *
     * @param key the last key the scan returned
     * @return the narrowed range, or this range if {@code key} lies before where it starts
     * @throws NullPointerException if {@code key} is null
     */
    public KeyRange startAfter(byte[] key) {
        java.util.Objects.requireNonNull(key, "key");
        if (reverse) {
            if (to != null && Arrays.compareUnsigned(key, to) >= 0) {
                return this;
            }
            return new KeyRange(from, fromInclusive, key.clone(), true);
        }
        if (from != null && Arrays.compareUnsigned(key, from) < 0) {
            return this;
        }
        return new KeyRange(key.clone(), false, to, false);
    }

    /**
     * The same keys, iterated the other way: from the highest down (or, reversing a reversed range,
     * back up).
     *
     * @return a range with the same ends and the opposite direction
     */
    public KeyRange reversed() {
        return new KeyRange(from, fromInclusive, to, !reverse);
    }

    /**
     * The lower end.
     *
     * @return a copy of the lower end, or null if it is open
     */
    public byte[] from() {
        return copy(from);
    }

    /**
     * Whether the lower end is in the range: true except after {@link #startAfter} on an ascending range.
     *
     * @return true if {@link #from()} itself is in the range
     */
    public boolean fromInclusive() {
        return fromInclusive;
    }

    /**
     * The upper end, always exclusive.
     *
     * @return a copy of the upper end, or null if it is open
     */
    public byte[] to() {
        return copy(to);
    }

    /**
     * Whether a scan walks this range from the highest key down.
     *
     * @return true after an odd number of {@link #reversed()} calls
     */
    public boolean isReverse() {
        return reverse;
    }

    /** The smallest key greater than every key with this prefix, or null if there is none. */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    private static byte[] copy(byte[] b) {
        return b == null ? null : b.clone();
    }

    @Override
    public String toString() {
        return (fromInclusive ? "[" : "(") + (from == null ? "-inf" : dev.walnut.store.Keys.printable(from)) + ", "
                + (to == null ? "+inf" : dev.walnut.store.Keys.printable(to)) + ")" + (reverse ? " reversed" : "");
    }
}
