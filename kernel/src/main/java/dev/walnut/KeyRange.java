package dev.walnut;

import java.util.Arrays;

/**
 * A range of keys, ordered as unsigned bytes: {@code from} inclusive (or exclusive after
 * {@link #startAfter}), {@code to} exclusive; a null end is open. Immutable.
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

    public static KeyRange all() {
        return ALL;
    }

    /** Keys {@code >= fromInclusive} and {@code < toExclusive}; either may be null for an open end. */
    public static KeyRange between(byte[] fromInclusive, byte[] toExclusive) {
        return new KeyRange(copy(fromInclusive), true, copy(toExclusive), false);
    }

    /** Every key that starts with {@code prefix}. */
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

    /** The same keys, iterated from the highest down. */
    public KeyRange reversed() {
        return new KeyRange(from, fromInclusive, to, !reverse);
    }

    public byte[] from() {
        return copy(from);
    }

    public boolean fromInclusive() {
        return fromInclusive;
    }

    public byte[] to() {
        return copy(to);
    }

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
