package dev.walnut;

import dev.walnut.store.Keys;

/**
 * One entry returned by a scan: copies the caller owns. A record of two arrays, so
 * {@code equals} and {@code hashCode} compare the arrays by identity, not content: compare
 * {@link #key()} and {@link #value()} with {@link java.util.Arrays#equals(byte[], byte[])}.
 *
 * @param key   the key
 * @param value its value at the cursor's sequence
 */
public record KeyValue(byte[] key, byte[] value) {
    @Override
    public String toString() {
        return Keys.printable(key) + "=" + value.length + "B";
    }
}
