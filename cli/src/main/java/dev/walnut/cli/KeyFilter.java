package dev.walnut.cli;

import dev.walnut.Cursor;
import dev.walnut.KeyRange;
import dev.walnut.KeyValue;
import dev.walnut.ReadView;
import java.io.IOException;
import java.util.Arrays;

/**
 * Which keys a command wants: those with {@code prefix} (null: all), strictly after {@code after}
 * (null: from the start; resumes an interrupted export), from {@code fromInclusive} and before
 * {@code toExclusive}. Keys compare as unsigned bytes, the store's order.
 */
record KeyFilter(byte[] prefix, byte[] after, byte[] fromInclusive, byte[] toExclusive) {

    static final long NO_LIMIT = -1;

    /** Whether every key is accepted: then the entries are the store's live keys. */
    boolean acceptsAll() {
        return prefix == null && after == null && fromInclusive == null && toExclusive == null;
    }

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

    /**
     * The key range a cursor walks: it starts at the first accepted key and holds every accepted
     * key; the keys it holds that are not accepted all lie past the prefix's keys.
     */
    KeyRange range() {
        byte[] from = fromInclusive;
        if (prefix != null && (from == null || Arrays.compareUnsigned(prefix, from) > 0)) {
            from = prefix;
        }
        KeyRange range = KeyRange.between(from, toExclusive);
        return after == null ? range : range.startAfter(after);
    }

    /**
     * Streams the accepted entries of {@code view} in key order to {@code sink}, at most {@code limit}
     * of them ({@link #NO_LIMIT}: all); a cursor, so memory does not grow with the range.
     *
     * @return the entries passed to {@code sink}
     */
    long forEach(ReadView view, long limit, EntrySink sink) throws IOException {
        long passed = 0;
        try (Cursor cursor = view.scan(range())) {
            while ((limit < 0 || passed < limit) && cursor.hasNext()) {
                KeyValue entry = cursor.next();
                if (!accepts(entry.key())) {
                    break;
                }
                sink.accept(entry.key(), entry.value());
                passed++;
            }
        }
        return passed;
    }
}
