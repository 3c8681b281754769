package dev.walnut.cli;

import java.util.Arrays;

/**
 * Which keys a command wants: those with {@code prefix} (null: all), strictly after {@code after}
 * (null: from the start; resumes an interrupted export), from {@code fromInclusive} and before
 * {@code toExclusive}. Keys compare as unsigned bytes, the store's order.
 */
record KeyFilter(byte[] prefix, byte[] after, byte[] fromInclusive, byte[] toExclusive) {

    static final KeyFilter ALL = new KeyFilter(null, null, null, null);

    boolean accepts(byte[] key) {
        if (prefix != null && (key.length < prefix.length
                || Arrays.mismatch(key, 0, prefix.length, prefix, 0, prefix.length) >= 0)) {
            return false;
        }
        if (after != null && Arrays.compareUnsigned(key, after) <= 0) {
            return false;
        }
        if (fromInclusive != null && Arrays.compareUnsigned(key, fromInclusive) < 0) {
            return false;
        }
        return toExclusive == null || Arrays.compareUnsigned(key, toExclusive) < 0;
    }
}
