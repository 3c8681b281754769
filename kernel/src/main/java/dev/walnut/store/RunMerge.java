package dev.walnut.store;

import java.util.List;

/**
 * Merges sorted runs of slab references (the live entries of each index file, and the sorted
 * entries replayed from records) into one sorted array, skipping entries marked dead. A live key
 * is in exactly one run, so the merge never meets a tie. A binary heap of run heads costs
 * log2(runs) key comparisons per entry, against log2(entries) for a sort.
 */
final class RunMerge {

    private RunMerge() {
    }

    static long[] merge(Slabs slabs, long[] loadOrder, List<Integer> starts, List<Integer> ends, long[] sortedTail,
                        int total) {
        int runs = starts.size() + 1;
        long[][] source = new long[runs][];
        int[] next = new int[runs];
        int[] end = new int[runs];
        for (int r = 0; r < runs - 1; r++) {
            source[r] = loadOrder;
            next[r] = starts.get(r);
            end[r] = ends.get(r);
        }
        source[runs - 1] = sortedTail;
        end[runs - 1] = sortedTail.length;
        int[] heap = new int[runs];
        int heapSize = 0;
        for (int r = 0; r < runs; r++) {
            if (skipDead(slabs, source[r], next, end, r)) {
                heap[heapSize++] = r;
            }
        }
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
            down(slabs, source, next, heap, heapSize, i);
        }
        long[] out = new long[total];
        int n = 0;
        while (heapSize > 0) {
            int r = heap[0];
            if (n == total) {
                throw new IllegalStateException("more live entries in the runs than keys in the table: " + total);
            }
            out[n++] = source[r][next[r]++];
            if (!skipDead(slabs, source[r], next, end, r)) {
                heap[0] = heap[--heapSize];
            }
            down(slabs, source, next, heap, heapSize, 0);
        }
        if (n != total) {
            throw new IllegalStateException("live entries in the runs do not match the table: merged=" + n
                    + " keys=" + total);
        }
        return out;
    }

    /** Moves run {@code r} past dead entries; false when it is exhausted. */
    private static boolean skipDead(Slabs slabs, long[] source, int[] next, int[] end, int r) {
        while (next[r] < end[r] && slabs.isDead(source[next[r]])) {
            next[r]++;
        }
        return next[r] < end[r];
    }

    private static void down(Slabs slabs, long[][] source, int[] next, int[] heap, int size, int i) {
        while (true) {
            int smallest = i;
            int left = 2 * i + 1;
            if (left < size && less(slabs, source, next, heap[left], heap[smallest])) {
                smallest = left;
            }
            if (left + 1 < size && less(slabs, source, next, heap[left + 1], heap[smallest])) {
                smallest = left + 1;
            }
            if (smallest == i) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[smallest];
            heap[smallest] = t;
            i = smallest;
        }
    }

    private static boolean less(Slabs slabs, long[][] source, int[] next, int a, int b) {
        return slabs.compareKeys(source[a][next[a]], source[b][next[b]]) < 0;
    }
}
