package dev.walnut.store;

import java.util.Arrays;

/**
 * The live state while the log replays: an open-addressing hash table over parallel arrays of
 * keys and values. No reader exists during replay, so it needs no concurrency; and it holds no
 * object per entry beyond the key and value arrays themselves, which keeps the garbage collector's
 * work (it copies every live object the young collections meet) to a minimum.
 */
final class ReplayTable {

    private static final int CAPACITY_INITIAL = 1 << 16;
    /** Resize at 5/8 full: linear probing stays short. */
    private static final int LOAD_NUMERATOR = 5;
    private static final int LOAD_DENOMINATOR = 8;

    private byte[][] keys = new byte[CAPACITY_INITIAL][];
    private byte[][] values = new byte[CAPACITY_INITIAL][];
    private int[] hashes = new int[CAPACITY_INITIAL];
    private int size;

    int size() {
        return size;
    }

    void put(byte[] key, byte[] value) {
        int hash = hash(key);
        int mask = keys.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            if (keys[i] == null) {
                keys[i] = key;
                values[i] = value;
                hashes[i] = hash;
                if (++size * LOAD_DENOMINATOR > keys.length * LOAD_NUMERATOR) {
                    grow();
                }
                return;
            }
            if (hashes[i] == hash && Arrays.equals(keys[i], key)) {
                values[i] = value;
                return;
            }
        }
    }

    void delete(byte[] key) {
        int hash = hash(key);
        int mask = keys.length - 1;
        for (int i = hash & mask; keys[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == hash && Arrays.equals(keys[i], key)) {
                removeAt(i);
                return;
            }
        }
    }

    /** Backward-shift deletion: later entries of the probe run move up, so no tombstones pile up. */
    private void removeAt(int hole) {
        int mask = keys.length - 1;
        size--;
        for (int i = (hole + 1) & mask; keys[i] != null; i = (i + 1) & mask) {
            int home = hashes[i] & mask;
            // Move entry i into the hole if its home slot is not in (hole, i] cyclically.
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hashes[hole] = hashes[i];
                hole = i;
            }
        }
        keys[hole] = null;
        values[hole] = null;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        byte[][] oldValues = values;
        int[] oldHashes = hashes;
        keys = new byte[oldKeys.length * 2][];
        values = new byte[oldKeys.length * 2][];
        hashes = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = oldHashes[j] & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
                hashes[i] = oldHashes[j];
            }
        }
    }

    /** Arrays.hashCode spread so that the low bits, which pick the slot, depend on every byte. */
    private static int hash(byte[] key) {
        int h = Arrays.hashCode(key);
        return h ^ (h >>> 16) ^ (h >>> 7);
    }

    /** Parallel arrays of keys and values, in no particular order. */
    record Entries(byte[][] keys, byte[][] values) {
    }

    /** Moves the entries out, unordered, and empties the table. */
    Entries drain() {
        byte[][] outKeys = new byte[size][];
        byte[][] outValues = new byte[size][];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                outKeys[n] = keys[i];
                outValues[n] = values[i];
                n++;
            }
        }
        keys = new byte[1][];
        values = new byte[1][];
        hashes = new int[1];
        size = 0;
        return new Entries(outKeys, outValues);
    }
}
