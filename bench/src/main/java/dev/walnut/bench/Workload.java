package dev.walnut.bench;

/**
 * What the peers are fed: {@code records} puts in batches of {@code batch}, put {@code i} writing
 * key {@code i % keySpace} with value {@code i}. With keySpace below records, later puts overwrite,
 * so the log grows while the live state does not.
 */
record Workload(Dataset data, long records, long keySpace, int batch) {

    Workload {
        if (records <= 0 || keySpace <= 0 || keySpace > records || batch <= 0) {
            throw new IllegalArgumentException("bad workload: records=" + records + " keySpace=" + keySpace
                    + " batch=" + batch);
        }
    }

    byte[] key(long put) {
        return data.key(put % keySpace);
    }

    byte[] value(long put) {
        return data.value(put);
    }

    /** The value key {@code keyIndex} must hold after every put: that of the last put to it. */
    byte[] expectedValue(long keyIndex) {
        long last = keyIndex + keySpace * ((records - 1 - keyIndex) / keySpace);
        return data.value(last);
    }

    /** Raw bytes the puts carry (keys + values), the base of every bytes-per-something figure. */
    long rawBytes() {
        return records * (data.keyBytes() + (long) data.valueBytes());
    }

    /** Writes every put through {@code store} without syncing, then syncs once. */
    void load(KvStore store) throws java.io.IOException {
        byte[][] keys = new byte[batch][];
        byte[][] values = new byte[batch][];
        int n = 0;
        for (long i = 0; i < records; i++) {
            keys[n] = key(i);
            values[n] = value(i);
            if (++n == batch) {
                store.write(keys, values, n, false);
                n = 0;
            }
        }
        if (n > 0) {
            store.write(keys, values, n, false);
        }
        store.syncAll();
    }
}
