package dev.walnut.store;

import java.util.Arrays;

/**
 * Sorts recovered keys for the index's bulk load. Comparing byte arrays through object references
 * costs a pointer chase and a call per comparison; here each key is first reduced to 8 bytes
 * starting after the prefix all keys share, and a quicksort works on those longs and an index
 * array, breaking ties with the full unsigned comparison. For keys that differ early (random or
 * hashed keys, or ids after a common prefix) nearly every comparison is one long compare.
 */
final class KeySorter {

    /** Ranges this short are finished by insertion sort. */
    private static final int INSERTION_SORT_MAX = 24;

    private final byte[][] keys;
    private final byte[][] values;
    private final long[] prefix;
    private final int[] order;

    private KeySorter(byte[][] keys, byte[][] values) {
        this.keys = keys;
        this.values = values;
        this.prefix = new long[keys.length];
        this.order = new int[keys.length];
    }

    /** Sorts {@code keys} in place, ascending as unsigned bytes, and {@code values} along with them. */
    static void sort(byte[][] keys, byte[][] values) {
        assert keys.length == values.length;
        if (keys.length < 2) {
            return;
        }
        new KeySorter(keys, values).run();
    }

    private void run() {
        int skip = commonPrefixBytes();
        for (int i = 0; i < keys.length; i++) {
            prefix[i] = prefixAt(keys[i], skip);
            order[i] = i;
        }
        quicksort(0, keys.length - 1);
        byte[][] sortedKeys = new byte[keys.length][];
        byte[][] sortedValues = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            sortedKeys[i] = keys[order[i]];
            sortedValues[i] = values[order[i]];
        }
        System.arraycopy(sortedKeys, 0, keys, 0, keys.length);
        System.arraycopy(sortedValues, 0, values, 0, keys.length);
    }

    private int commonPrefixBytes() {
        byte[] first = keys[0];
        int common = first.length;
        for (int i = 1; i < keys.length && common > 0; i++) {
            byte[] k = keys[i];
            int n = Math.min(common, k.length);
            int j = Arrays.mismatch(first, 0, n, k, 0, n);
            common = j < 0 ? n : j;
        }
        return common;
    }

    /** Bytes [skip, skip+8) big-endian, zero-padded: orders like the keys, up to ties. */
    private static long prefixAt(byte[] key, int skip) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            int at = skip + i;
            p = (p << 8) | (at < key.length ? key[at] & 0xFF : 0);
        }
        return p;
    }

    private int compare(int a, int b) {
        int c = Long.compareUnsigned(prefix[a], prefix[b]);
        return c != 0 ? c : Arrays.compareUnsigned(keys[order[a]], keys[order[b]]);
    }

    private void quicksort(int lo, int hi) {
        while (hi - lo > INSERTION_SORT_MAX) {
            int mid = (lo + hi) >>> 1;
            // Median of three as pivot, moved to hi.
            if (compare(mid, lo) < 0) {
                swap(mid, lo);
            }
            if (compare(hi, lo) < 0) {
                swap(hi, lo);
            }
            if (compare(mid, hi) < 0) {
                swap(mid, hi);
            }
            int store = lo;
            for (int i = lo; i < hi; i++) {
                if (compare(i, hi) < 0) {
                    swap(i, store++);
                }
            }
            swap(store, hi);
            // Recurse into the smaller side, loop on the larger: stack depth stays logarithmic.
            if (store - lo < hi - store) {
                quicksort(lo, store - 1);
                lo = store + 1;
            } else {
                quicksort(store + 1, hi);
                hi = store - 1;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            for (int j = i; j > lo && compare(j, j - 1) < 0; j--) {
                swap(j, j - 1);
            }
        }
    }

    private void swap(int a, int b) {
        long p = prefix[a];
        prefix[a] = prefix[b];
        prefix[b] = p;
        int o = order[a];
        order[a] = order[b];
        order[b] = o;
    }
}
