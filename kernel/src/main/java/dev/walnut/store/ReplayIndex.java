package dev.walnut.store;

import dev.walnut.format.BatchCodec;
import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.ValueCell;
import dev.walnut.log.ValueFiles;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Collects the live state while the log replays (or while a compaction streams its snapshot) and
 * turns it into the store's {@link BaseIndex}.
 * No reader exists during replay, so an unsynchronised open-addressing table takes the writes;
 * keys and value locations (or short values) go straight into slabs, and an overwritten or deleted
 * entry leaves dead bytes behind rather than a garbage object. No value is copied: replay costs
 * the keys, whatever the values weigh. After replay the live references are sorted once.
 */
public final class ReplayIndex implements BatchCodec.OpSink {

    private static final int CAPACITY_INITIAL = 1 << 16;
    /** Resize at 5/8 full: linear probing stays short. */
    private static final int LOAD_NUMERATOR = 5;
    private static final int LOAD_DENOMINATOR = 8;
    /** The largest table: 2^30 slots, some 670 million keys. */
    private static final int CAPACITY_MAX = 1 << 30;

    private final Slabs slabs = new Slabs();
    private final KeyHash keyHash;
    /** {@link Slots}: a tag and a slab reference; 0 marks an empty slot. */
    private long[] table = new long[CAPACITY_INITIAL];
    private int size;
    private long liveBytes;
    /** Slots inspected by every put, delete and resize so far: what a flood of colliding keys inflates. */
    private long probes;

    /** @param hashSeed the store's seed for {@link KeyHash}: keys that collide under one seed do not under another */
    public ReplayIndex(long hashSeed, ValueFiles files) {
        this.keyHash = new KeyHash(hashSeed);
        this.files = files;
    }

    private final ValueFiles files;
    /** The slot of the file being replayed, and where the current record's body is in it. */
    private int slot = -1;
    private long bodyFileOffset;
    private int bodyPosition;

    @Override
    public void file(String name) throws IOException {
        slot = files.open(name);
    }

    @Override
    public void body(long offsetBytes, int position) {
        this.bodyFileOffset = offsetBytes;
        this.bodyPosition = position;
    }

    @Override
    public void put(byte[] key, ByteBuffer body, int cellStart, int cellBytes, int valueLength)
            throws MalformedRecordException {
        if (Slabs.inline(valueLength)) {
            putLocated(key, valueLength, ValueCell.valueIn(body, cellStart), -1, cellBytes);
        } else {
            if (slot < 0) {
                throw new IllegalStateException("a put replayed before the file it came from was named");
            }
            putLocated(key, valueLength, null, ValueFiles.location(slot, bodyFileOffset + cellStart - bodyPosition),
                    cellBytes);
        }
    }

    /** A put whose value is {@code inlineValue} when short, else the cell at {@code location}. */
    public void putLocated(byte[] key, int valueLength, byte[] inlineValue, long location, int cellBytes) {
        long ref = slabs.append(key, valueLength, inlineValue, location, cellBytes);
        if (inRun) {
            recordInRun(ref);
        } else {
            recordInTail(ref);
        }
        long hash = keyHash.hash64(key);
        int mask = table.length - 1;
        for (int i = Slots.home(hash, mask); ; i = (i + 1) & mask) {
            probes++;
            long slot = table[i];
            if (slot == 0) {
                table[i] = Slots.of(ref, hash);
                liveBytes += key.length + valueLength;
                if (++size * LOAD_DENOMINATOR > table.length * LOAD_NUMERATOR) {
                    grow(table.length * 2);
                }
                return;
            }
            if (Slots.tagMatches(slot, hash) && slabs.keyEquals(Slots.ref(slot), key)) {
                liveBytes += valueLength - slabs.valueLength(Slots.ref(slot));
                slabs.markDead(Slots.ref(slot));
                table[i] = Slots.of(ref, hash);
                return;
            }
        }
    }

    /**
     * The puts that follow, until {@link #endRun}, come from one index file, in strictly increasing
     * key order: their live entries need no sort, only a merge.
     */
    public void beginRun() {
        runStarts.add(loadCount);
        inRun = true;
    }

    public void endRun() {
        inRun = false;
        runEnds.add(loadCount);
    }

    private boolean inRun;
    /** Entries put during runs, in put order; run i is [runStarts[i], runEnds[i]). */
    private long[] loadOrder = new long[0];
    private int loadCount;
    private final java.util.List<Integer> runStarts = new java.util.ArrayList<>();
    private final java.util.List<Integer> runEnds = new java.util.ArrayList<>();

    private void recordInRun(long ref) {
        if (loadCount == loadOrder.length) {
            loadOrder = java.util.Arrays.copyOf(loadOrder, Math.max(1024, loadCount * 2));
        }
        loadOrder[loadCount++] = ref;
    }

    /** Entries put outside runs (replayed from records), in put order; sorted at the end. */
    private long[] tailOrder = new long[0];
    private int tailCount;

    private void recordInTail(long ref) {
        if (tailCount == tailOrder.length) {
            tailOrder = java.util.Arrays.copyOf(tailOrder, Math.max(1024, tailCount * 2));
        }
        tailOrder[tailCount++] = ref;
    }

    @Override
    public void delete(byte[] key) {
        long hash = keyHash.hash64(key);
        int mask = table.length - 1;
        for (int i = Slots.home(hash, mask); table[i] != 0; i = (i + 1) & mask) {
            probes++;
            long slot = table[i];
            if (Slots.tagMatches(slot, hash) && slabs.keyEquals(Slots.ref(slot), key)) {
                liveBytes -= key.length + slabs.valueLength(Slots.ref(slot));
                slabs.markDead(Slots.ref(slot));
                removeAt(i);
                return;
            }
        }
    }

    /**
     * Makes room for {@code more} keys without growing on the way (an index file says how many it
     * holds): no rehash of what is already in.
     */
    public void reserve(long more) {
        if (more <= 0 || size + more > CAPACITY_MAX / 2) {
            return;
        }
        int wanted = capacityFor(size + more);
        if (wanted > table.length) {
            grow(wanted);
        }
    }

    /** The smallest power-of-two table that holds {@code keys} under the load limit. */
    private static int capacityFor(long keys) {
        long slots = keys * LOAD_DENOMINATOR / LOAD_NUMERATOR + 1;
        return (int) Math.max(CAPACITY_INITIAL, Long.highestOneBit(slots - 1) << 1);
    }

    /** Backward-shift deletion: later entries of the probe run move up, so no tombstones pile up. */
    private void removeAt(int hole) {
        int mask = table.length - 1;
        size--;
        for (int i = (hole + 1) & mask; table[i] != 0; i = (i + 1) & mask) {
            int home = Slots.home(slabs.hash(keyHash, Slots.ref(table[i])), mask);
            // Move entry i into the hole unless its home slot lies cyclically in (hole, i].
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                table[hole] = table[i];
                hole = i;
            }
        }
        table[hole] = 0;
    }

    /** Rehashes into {@code capacity} slots; the hash is recomputed from the slab (the slot keeps only a tag). */
    private void grow(int capacity) {
        if (capacity > CAPACITY_MAX) {
            throw new IllegalStateException("index table full: keys=" + size + " capacity=" + table.length);
        }
        long[] oldTable = table;
        table = new long[capacity];
        int mask = table.length - 1;
        for (long slot : oldTable) {
            if (slot != 0) {
                int i = Slots.home(slabs.hash(keyHash, Slots.ref(slot)), mask);
                for (probes++; table[i] != 0; probes++) {
                    i = (i + 1) & mask;
                }
                table[i] = slot;
            }
        }
    }

    public int size() {
        return size;
    }

    /** Slots inspected so far by puts, deletes and resizes (for tests: bounded per key when hashing spreads). */
    long probes() {
        return probes;
    }

    /** Builds the store's index over the replayed state, at {@code lastSequence}. */
    public MvccIndex toIndex(long lastSequence) {
        return MvccIndex.recovered(toBase(lastSequence), lastSequence, files);
    }

    /** The collected state as a base index; this collector must not be used afterwards. */
    BaseIndex toBase(long sequence) {
        // Entries replayed from records are in log order: sort those. Entries loaded from index files
        // are in key order within their file: merge them with the sorted rest, skipping the dead.
        int live = 0;
        for (int i = 0; i < tailCount; i++) {
            if (!slabs.isDead(tailOrder[i])) {
                tailOrder[live++] = tailOrder[i];
            }
        }
        long[] tail = java.util.Arrays.copyOf(tailOrder, live);
        tailOrder = null;
        KeySorter.sort(slabs, tail);
        long[] sorted = RunMerge.merge(slabs, loadOrder, runStarts, runEnds, tail, size);
        loadOrder = null;
        slabs.trim();
        int fitting = capacityFor(size);
        if (fitting < table.length / 2) {
            grow(fitting); // reserved for keys that turned out to repeat: give the slots back
        }
        return new BaseIndex(slabs, keyHash, table, sorted, liveBytes, files, sequence);
    }
}
