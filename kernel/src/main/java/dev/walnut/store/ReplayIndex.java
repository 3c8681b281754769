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

    private final Slabs slabs = new Slabs();
    private final KeyHash keyHash;
    /** Slot = ref + 1; 0 marks an empty slot. */
    private long[] table = new long[CAPACITY_INITIAL];
    private int[] hashes = new int[CAPACITY_INITIAL];
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
        int hash = keyHash.hash(key);
        int mask = table.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            probes++;
            if (table[i] == 0) {
                table[i] = ref + 1;
                hashes[i] = hash;
                liveBytes += key.length + valueLength;
                if (++size * LOAD_DENOMINATOR > table.length * LOAD_NUMERATOR) {
                    grow();
                }
                return;
            }
            if (hashes[i] == hash && slabs.keyEquals(table[i] - 1, key)) {
                liveBytes += valueLength - slabs.valueLength(table[i] - 1);
                table[i] = ref + 1;
                return;
            }
        }
    }

    @Override
    public void delete(byte[] key) {
        int hash = keyHash.hash(key);
        int mask = table.length - 1;
        for (int i = hash & mask; table[i] != 0; i = (i + 1) & mask) {
            probes++;
            if (hashes[i] == hash && slabs.keyEquals(table[i] - 1, key)) {
                liveBytes -= key.length + slabs.valueLength(table[i] - 1);
                removeAt(i);
                return;
            }
        }
    }

    /** Backward-shift deletion: later entries of the probe run move up, so no tombstones pile up. */
    private void removeAt(int hole) {
        int mask = table.length - 1;
        size--;
        for (int i = (hole + 1) & mask; table[i] != 0; i = (i + 1) & mask) {
            int home = hashes[i] & mask;
            // Move entry i into the hole unless its home slot lies cyclically in (hole, i].
            boolean movable = hole <= i ? (home <= hole || home > i) : (home <= hole && home > i);
            if (movable) {
                table[hole] = table[i];
                hashes[hole] = hashes[i];
                hole = i;
            }
        }
        table[hole] = 0;
    }

    private void grow() {
        long[] oldTable = table;
        int[] oldHashes = hashes;
        table = new long[oldTable.length * 2];
        hashes = new int[oldTable.length * 2];
        int mask = table.length - 1;
        for (int j = 0; j < oldTable.length; j++) {
            if (oldTable[j] != 0) {
                int i = oldHashes[j] & mask;
                for (probes++; table[i] != 0; probes++) {
                    i = (i + 1) & mask;
                }
                table[i] = oldTable[j];
                hashes[i] = oldHashes[j];
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
        long[] sorted = new long[size];
        int n = 0;
        for (long slot : table) {
            if (slot != 0) {
                sorted[n++] = slot - 1;
            }
        }
        KeySorter.sort(slabs, sorted);
        return new BaseIndex(slabs, keyHash, table, hashes, sorted, liveBytes, files, sequence);
    }
}
