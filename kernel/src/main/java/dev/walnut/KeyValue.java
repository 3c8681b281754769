package dev.walnut;

import dev.walnut.store.Keys;

/** One entry returned by a scan: copies the caller owns. */
public record KeyValue(byte[] key, byte[] value) {
    @Override
    public String toString() {
        return Keys.printable(key) + "=" + value.length + "B";
    }
}
