package dev.walnut.store;

import dev.walnut.log.ValueFiles;
import java.io.IOException;

/**
 * The state recovered at open (or built by a compaction), immutable afterwards: every live key,
 * with its value when that is short and else where the value's cell is on disk, packed into large
 * {@code byte[]} slabs, an open-addressing table of {@code long} slab references for point reads,
 * and the same references sorted by key for ordered scans. It holds no object per entry, so
 * building it gives the garbage collector nothing to trace or copy, and it stores no reference
 * per entry (no write barrier): the cost of replay is the bytes, not the objects.
 *
 * <p>Slab entry: see {@link Slabs}. A located value is read through {@link ValueFiles}: one
 * positional read, verified before it is returned.
 */
final class BaseIndex {

    private final Slabs slabs;
    private final KeyHash keyHash;
    /** {@link Slots}: a tag and a slab reference; 0 marks an empty slot. */
    private final long[] table;
    private final long[] sorted;
    private final long liveBytes;
    private final ValueFiles files;
    /** The sequence this state is at: a delta version at or below it is also in this base. */
    private final long sequence;

    BaseIndex(Slabs slabs, KeyHash keyHash, long[] table, long[] sorted, long liveBytes, ValueFiles files,
              long sequence) {
        this.files = files;
        this.sequence = sequence;
        this.slabs = slabs;
        this.keyHash = keyHash;
        this.table = table;
        this.sorted = sorted;
        this.liveBytes = liveBytes;
    }

    long sequence() {
        return sequence;
    }

    int size() {
        return sorted.length;
    }

    long liveBytes() {
        return liveBytes;
    }

    /** The slab reference of {@code key}, or -1. */
    long find(byte[] key) {
        long slot = table[slotOf(key, keyHash.hash64(key))];
        return slot == 0 ? -1 : Slots.ref(slot);
    }

    /** The slot holding {@code key}, or the empty slot where its probe run ends. */
    private int slotOf(byte[] key, long hash) {
        int mask = table.length - 1;
        int i = Slots.home(hash, mask);
        while (table[i] != 0 && !(Slots.tagMatches(table[i], hash) && slabs.keyEquals(Slots.ref(table[i]), key))) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** Slots a {@link #find} of {@code key} inspects (for tests: what a flood of colliding keys inflates). */
    int probes(byte[] key) {
        long hash = keyHash.hash64(key);
        int mask = table.length - 1;
        return ((slotOf(key, hash) - Slots.home(hash, mask)) & mask) + 1;
    }

    /** A copy of the value of {@code key}, or null; reads it from its file unless it is inline. */
    byte[] get(byte[] key) throws IOException {
        long ref = find(key);
        return ref < 0 ? null : value(ref, key);
    }

    private byte[] value(long ref, byte[] key) throws IOException {
        if (Slabs.inline(slabs.valueLength(ref))) {
            return slabs.inlineValue(ref);
        }
        return files.read(key, slabs.location(ref), slabs.cellBytes(ref), slabs.valueLength(ref));
    }

    /** The length of the value of {@code key}, or -1 if absent. */
    int valueLength(byte[] key) {
        long ref = find(key);
        return ref < 0 ? -1 : slabs.valueLength(ref);
    }

    byte[] keyAt(int index) {
        return slabs.key(sorted[index]);
    }

    /** The value of the entry at {@code index} in key order, whose key the caller already read. */
    byte[] valueAt(int index, byte[] key) throws IOException {
        return value(sorted[index], key);
    }

    /** Where the entry at {@code index} in key order keeps its value: for the compactor's index file. */
    int valueLengthAt(int index) {
        return slabs.valueLength(sorted[index]);
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
