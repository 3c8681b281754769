package dev.walnut;

import dev.walnut.store.Keys;
import java.util.Arrays;

/**
 * One entry returned by a scan: copies the caller owns. Two entries are equal when their keys and
 * values hold the same bytes.
 *
 * @param key   the key
 * @param value its value at the cursor's sequence
 */
public record KeyValue(byte[] key, byte[] value) {

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyValue other && Arrays.equals(key, other.key) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return Keys.printable(key) + "=" + value.length + "B";
    }
}
