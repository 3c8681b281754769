package dev.walnut.store;

/**
 * Sorts slab references by key for the base index. Comparing keys in slabs costs several
 * memory accesses per comparison; here each key is first reduced to 8 bytes starting after the
 * prefix all keys share, and a quicksort works on those longs and the reference array, breaking
 * ties with the full unsigned comparison. For keys that differ early (random or hashed keys, or ids
 * after a common prefix) nearly every comparison is one long compare.
 */
final class KeySorter {

    /** Ranges this short are finished by insertion sort. */
    private static final int INSERTION_SORT_MAX = 24;

    private final Slabs slabs;
    private final long[] refs;
    private final long[] prefix;

    private KeySorter(Slabs slabs, long[] refs) {
        this.slabs = slabs;
        this.refs = refs;
        this.prefix = new long[refs.length];
    }

    /** Sorts {@code refs} in place by their keys, ascending as unsigned bytes. */
    static void sort(Slabs slabs, long[] refs) {
        if (refs.length < 2) {
            return;
        }
        new KeySorter(slabs, refs).run();
    }

    private void run() {
        int skip = Integer.MAX_VALUE;
        for (int i = 1; i < refs.length && skip > 0; i++) {
            skip = slabs.commonPrefix(refs[0], refs[i], skip);
        }
        for (int i = 0; i < refs.length; i++) {
            prefix[i] = slabs.keyPrefix(refs[i], skip);
        }
        quicksort(0, refs.length - 1);
    }

    private int compare(int a, int b) {
        int c = Long.compareUnsigned(prefix[a], prefix[b]);
        return c != 0 ? c : slabs.compareKeys(refs[a], refs[b]);
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
        long r = refs[a];
        refs[a] = refs[b];
        refs[b] = r;
    }
}
