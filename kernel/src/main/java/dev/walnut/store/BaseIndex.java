package dev.walnut.store;

/**
 * The state recovered at open, immutable afterwards: every live key and value packed into large
 * {@code byte[]} slabs, an open-addressing table of {@code long} slab references for point reads,
 * and the same references sorted by key for ordered scans. It holds no object per entry, so
 * building it gives the garbage collector nothing to trace or copy, and it stores no reference
 * per entry (no write barrier): the cost of replay is the bytes, not the objects.
 *
 * <p>Slab entry: {@code keyLength u32 | valueLength u32 | key | value} (native order of
 * {@link java.nio.ByteOrder#LITTLE_ENDIAN} via {@link Slabs}).
 */
final class BaseIndex {

    private final Slabs slabs;
    private final KeyHash keyHash;
    /** Slot = ref + 1; 0 marks an empty slot. */
    private final long[] table;
    private final int[] hashes;
    private final long[] sorted;
    private final long liveBytes;

    BaseIndex(Slabs slabs, KeyHash keyHash, long[] table, int[] hashes, long[] sorted, long liveBytes) {
        this.slabs = slabs;
        this.keyHash = keyHash;
        this.table = table;
        this.hashes = hashes;
        this.sorted = sorted;
        this.liveBytes = liveBytes;
    }

    int size() {
        return sorted.length;
    }

    long liveBytes() {
        return liveBytes;
    }

    /** The slab reference of {@code key}, or -1. */
    long find(byte[] key) {
        int slot = slotOf(key, keyHash.hash(key));
        return table[slot] - 1;
    }

    /** The slot holding {@code key}, or the empty slot where its probe run ends. */
    private int slotOf(byte[] key, int hash) {
        int mask = table.length - 1;
        int i = hash & mask;
        while (table[i] != 0 && !(hashes[i] == hash && slabs.keyEquals(table[i] - 1, key))) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Slots a {@link #find} of {@code key} inspects (for tests: what a flood of colliding keys inflates). */
    int probes(byte[] key) {
        int hash = keyHash.hash(key);
        return ((slotOf(key, hash) - hash) & (table.length - 1)) + 1;
    }

    /** A copy of the value of {@code key}, or null. */
    byte[] get(byte[] key) {
        long ref = find(key);
        return ref < 0 ? null : slabs.value(ref);
    }

    /** The length of the value of {@code key}, or -1 if absent. */
    int valueLength(byte[] key) {
        long ref = find(key);
        return ref < 0 ? -1 : slabs.valueLength(ref);
    }

    byte[] keyAt(int index) {
        return slabs.key(sorted[index]);
    }

    byte[] valueAt(int index) {
        return slabs.value(sorted[index]);
    }

    int compareKeyAt(int index, byte[] key) {
        return slabs.compareKey(sorted[index], key);
    }

    /** The first index whose key is at or above {@code key} ({@code inclusive}) or above it. */
    int lowerBound(byte[] key, boolean inclusive) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareKeyAt(mid, key);
            if (c < 0 || (c == 0 && !inclusive)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public String toString() {
        return "BaseIndex[size=" + sorted.length + " liveBytes=" + liveBytes + " slabs=" + slabs + "]";
    }
}
