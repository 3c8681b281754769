package dev.walnut.store;

import dev.walnut.Cursor;
import dev.walnut.KeyRange;
import dev.walnut.WriteBatch;
import dev.walnut.log.CellLocations;
import dev.walnut.log.ValueFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The store's in-memory state: the {@link BaseIndex} recovered at open (immutable, no object per
 * entry) under a delta, an ordered concurrent map from key to a short chain of {@link Version}s
 * written since. One writer at a time (the group-commit leader) applies batches to the delta and
 * then publishes their last sequence; readers read at a published sequence, so a reader sees whole
 * batches or none, and never waits for the writer. A key's state at sequence S is the newest delta
 * version at or below S, else its base entry.
 */
public final class MvccIndex {

    /** Keys are ordered as unsigned bytes. */
    public static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;

    private volatile BaseIndex base;
    /** The sequence the current base reflects: delta versions at or below it are also in the base. */
    private volatile long baseSequence;
    private final ConcurrentSkipListMap<byte[], Version> delta = new ConcurrentSkipListMap<>(KEY_ORDER);
    private final ReadRegistry registry = new ReadRegistry(this::visibleSequence, () -> base);
    private volatile long visibleSequence;
    // Written only by the single writer; volatile so stats() reads a recent value.
    private volatile long liveKeys;
    private volatile long liveBytes;
    private final ValueFiles files;
    /** Data files a fold retired while readers of an older base were registered: closed once they are gone. */
    private final List<List<Integer>> retiring = new ArrayList<>();

    private MvccIndex(BaseIndex base, long visibleSequence, ValueFiles files) {
        this.files = files;
        this.base = base;
        this.baseSequence = visibleSequence;
        this.visibleSequence = visibleSequence;
        this.liveKeys = base.size();
        this.liveBytes = base.liveBytes();
    }

    static MvccIndex recovered(BaseIndex base, long lastSequence, ValueFiles files) {
        return new MvccIndex(base, lastSequence, files);
    }

    /** The read handles values come from. */
    public ValueFiles files() {
        return files;
    }

    public long visibleSequence() {
        return visibleSequence;
    }

    public long liveKeys() {
        return liveKeys;
    }

    public long liveBytes() {
        return liveBytes;
    }

    /** Slots the base's hash table inspects to find {@code key}: for tests that colliding keys stay cheap. */
    public int baseProbes(byte[] key) {
        return base.probes(key);
    }

    /**
     * Applies one batch at {@code sequence}; invisible until {@link #publish}. Single writer only.
     * Its puts' values are the cells {@code cells} lists from {@code firstCell} on, in op order.
     *
     * @return the index of the first cell after this batch's
     */
    public int apply(long sequence, List<WriteBatch.Op> ops, CellLocations cells, int firstCell, long horizon) {
        int cell = firstCell;
        for (WriteBatch.Op op : ops) {
            byte[] key = op.key();
            boolean put = op.isPut();
            long location = put ? cells.location(cell) : -1;
            int cellBytes = put ? cells.cellBytes(cell++) : 0;
            // One descent of the skip list; the new version links its predecessor before it is
            // reachable, so a reader never sees a chain without the version it needs.
            Version next = delta.compute(key, (k, previous) -> put
                    ? Version.put(sequence, op.value(), location, cellBytes, previous)
                    : Version.delete(sequence, previous));
            int previousLength = next.older != null ? next.older.valueLength() : base.valueLength(key);
            account(key.length, previousLength, next.valueLength());
            prune(next, horizon);
        }
        return cell;
    }

    private void account(int keyBytes, int previousLength, int nextLength) {
        long delta = (nextLength >= 0 ? keyBytes + nextLength : 0) - (previousLength >= 0 ? keyBytes + previousLength : 0);
        liveBytes = liveBytes + delta;
        if ((previousLength >= 0) != (nextLength >= 0)) {
            liveKeys = liveKeys + (nextLength >= 0 ? 1 : -1);
        }
    }

    /** Keeps every version above the horizon and the newest at or below it; drops the rest. */
    private static void prune(Version newest, long horizon) {
        for (Version v = newest; v != null; v = v.older) {
            if (v.sequence <= horizon) {
                v.older = null;
                return;
            }
        }
    }

    /** Keys in the delta: what folding gives back. */
    int deltaKeys() {
        return delta.size();
    }

    /** Makes every batch up to {@code sequence} visible to readers. */
    public void publish(long sequence) {
        // Readers trust the visible sequence to grow: going back would expose pruned state.
        if (sequence < visibleSequence) {
            throw new IllegalStateException("publish would move visibility backwards: visibleSequence="
                    + visibleSequence + " sequence=" + sequence);
        }
        visibleSequence = sequence;
    }

    public long horizon() {
        return registry.horizon();
    }

    /**
     * Installs {@code folded}, the state at {@code sequence} (a compaction's snapshot), as the new
     * base, then sweeps. Runs in the writer's turn. Readers registered on the old base keep it.
     */
    public void fold(ReplayIndex folded, long sequence, List<Integer> retiredSlots) {
        BaseIndex next = folded.toBase(sequence);
        registry.install(() -> {
            base = next;
            baseSequence = sequence;
        });
        synchronized (retiring) {
            retiring.add(retiredSlots);
        }
        sweep();
    }

    /**
     * Closes the handles of files retired by folds once every registered reader reads the current
     * base: a reader of the current base never follows a location into them (versions at or below
     * its sequence defer to it), so only readers of older bases could.
     */
    private void closeRetired() {
        List<Integer> slots = new ArrayList<>();
        synchronized (retiring) {
            if (retiring.isEmpty() || !registry.onlyReaders(base)) {
                return;
            }
            retiring.forEach(slots::addAll);
            retiring.clear();
        }
        if (!slots.isEmpty()) {
            try {
                files.retire(slots);
            } catch (IOException e) {
                // Closing a read handle frees a descriptor and loses no data: it must not poison the
                // writer's turn it runs in (fold, sweep), nor fail a reader's release.
                System.getLogger(MvccIndex.class.getName()).log(System.Logger.Level.WARNING,
                        "closing a retired file's read handle failed: " + e.getMessage());
            }
        }
    }

    /**
     * Drops old versions no reader can see any more, deletes of keys the base does not hold, and,
     * once no reader reads an older base, entries the base already holds. Runs in the writer's
     * turn (it races with apply otherwise), e.g. after a compaction.
     */
    public void sweep() {
        closeRetired();
        long horizon = registry.horizon();
        BaseIndex current = base;
        // A reader on an older base needs every delta entry above that base, deletes included
        // (they hide its entries), so nothing is dropped while one is registered.
        boolean allOnCurrent = registry.onlyReaders(current);
        for (Map.Entry<byte[], Version> e : delta.entrySet()) {
            Version v = e.getValue();
            prune(v, horizon);
            boolean settled = allOnCurrent && v.sequence <= horizon && v.older == null;
            boolean inBase = v.sequence <= baseSequence;
            if (settled && (inBase || (v.isDelete() && current.find(e.getKey()) < 0))) {
                delta.remove(e.getKey(), v);
            }
        }
    }

    /**
     * The latest value, or null. Unregistered: retries if a prune or a fold overtook it, or if the
     * file it read was retired meanwhile (only after a fold, so the retry reads the new base).
     */
    public byte[] get(byte[] key) throws IOException {
        while (true) {
            BaseIndex b = base;
            long at = visibleSequence;
            Version chain = delta.get(key);
            Version v = chain == null ? null : chain.visibleAt(at, b.sequence());
            try {
                if (v != null) {
                    return v.isDelete() ? null : v.value(key, files);
                }
                // No delta version above the base at or below `at`: the base read first decides, unless
                // a prune removed the version visible at `at` (it prunes only below the visible sequence,
                // which then moved) or a fold swapped the base (and may since have dropped the entry).
                if ((chain == null || visibleSequence == at) && base == b) {
                    return b.get(key);
                }
            } catch (ValueFiles.RetiredFileException e) {
                if (base == b) {
                    throw new IllegalStateException("read a retired file while its base is current", e);
                }
            }
        }
    }

    /** The value at a registered read point, or null. */
    public byte[] getAt(byte[] key, ReadPoint point) throws IOException {
        Version chain = delta.get(key);
        Version v = chain == null ? null : chain.visibleAt(point.sequence(), point.base.sequence());
        if (v != null) {
            return v.isDelete() ? null : v.value(key, files);
        }
        return point.base.get(key);
    }

    /** Registers a reader at the visible sequence and current base; pair with {@link #release}. */
    public ReadPoint register() {
        return registry.register();
    }

    /** Releases a read point; the last reader of an older base lets its retired files go. */
    public void release(ReadPoint point) {
        registry.release(point);
        closeRetired();
    }

    /** A cursor over a range at a registered read point; {@code owned} cursors release it on close. */
    public Cursor cursor(KeyRange range, ReadPoint point, boolean owned) {
        IndexCursor.Bound low = new IndexCursor.Bound(range.from(), range.fromInclusive());
        IndexCursor.Bound high = new IndexCursor.Bound(range.to(), false);
        return new IndexCursor(delta, point.base, files, low, high, range.isReverse(), point.sequence(),
                owned ? () -> release(point) : null);
    }
}
