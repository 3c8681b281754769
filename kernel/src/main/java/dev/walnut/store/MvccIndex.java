package dev.walnut.store;

import dev.walnut.Cursor;
import dev.walnut.KeyRange;
import dev.walnut.WriteBatch;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The store's in-memory state: an ordered concurrent map from key to a short chain of versions
 * (see {@link Version} for the slot encoding). One writer at a time (the group-commit leader)
 * applies batches and then publishes their last sequence; readers read at a published sequence, so
 * a reader sees whole batches or none, and never waits for the writer.
 */
public final class MvccIndex {

    /** Keys are ordered as unsigned bytes. */
    public static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;

    private final ConcurrentSkipListMap<byte[], Object> map;
    private final ReadRegistry registry = new ReadRegistry(this::visibleSequence);
    private volatile long visibleSequence;
    // Written only by the single writer; volatile so stats() reads a recent value.
    private volatile long liveKeys;
    private volatile long liveBytes;

    private MvccIndex(ConcurrentSkipListMap<byte[], Object> map, long visibleSequence, long liveKeys, long liveBytes) {
        this.map = map;
        this.visibleSequence = visibleSequence;
        this.liveKeys = liveKeys;
        this.liveBytes = liveBytes;
    }

    /** Wraps recovered state: every slot a bare value, visible to every reader. */
    static MvccIndex recovered(ConcurrentSkipListMap<byte[], Object> map, long lastSequence, long liveBytes) {
        return new MvccIndex(map, lastSequence, map.size(), liveBytes);
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

    /** Applies one batch at {@code sequence}; invisible until {@link #publish}. Single writer only. */
    public void apply(long sequence, List<WriteBatch.Op> ops, long horizon) {
        for (WriteBatch.Op op : ops) {
            byte[] key = op.key();
            // One descent of the skip list; the new version links its predecessor before it is
            // reachable, so a reader never sees a chain without the version it needs.
            Version next = (Version) map.compute(key, (k, slot) ->
                    new Version(sequence, op.value(), slot == null ? null : Version.of(slot)));
            account(key, next.older, next);
            prune(next, horizon);
        }
    }

    private void account(byte[] key, Version previous, Version next) {
        boolean wasLive = previous != null && previous.value != null;
        boolean isLive = next.value != null;
        long delta = (isLive ? key.length + next.value.length : 0)
                - (wasLive ? key.length + previous.value.length : 0);
        liveBytes = liveBytes + delta;
        if (wasLive != isLive) {
            liveKeys = liveKeys + (isLive ? 1 : -1);
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

    /** Makes every batch up to {@code sequence} visible to readers. */
    public void publish(long sequence) {
        assert sequence >= visibleSequence;
        visibleSequence = sequence;
    }

    public long horizon() {
        return registry.horizon();
    }

    /**
     * Drops deleted keys and old versions no reader can see any more. Runs in the writer's turn
     * (it races with apply otherwise), e.g. after a compaction.
     */
    public void sweep() {
        long horizon = registry.horizon();
        for (Map.Entry<byte[], Object> e : map.entrySet()) {
            if (e.getValue() instanceof Version v) {
                prune(v, horizon);
                if (v.value == null && v.sequence <= horizon && v.older == null) {
                    map.remove(e.getKey(), v);
                }
            }
        }
    }

    /** The latest value, or null. Unregistered: retries if a prune overtook it. */
    public byte[] get(byte[] key) {
        while (true) {
            long at = visibleSequence;
            Object slot = map.get(key);
            if (slot == null) {
                return null;
            }
            if (Version.hasVersionAt(slot, at)) {
                return Version.valueAt(slot, at);
            }
            // Nothing at or below `at`: either absent then, or pruned because a newer version became
            // visible meanwhile; a prune above `at` implies the visible sequence moved on.
            if (visibleSequence == at) {
                return null;
            }
        }
    }

    /** The value at a registered sequence, or null. */
    public byte[] getAt(byte[] key, long sequence) {
        Object slot = map.get(key);
        return slot == null ? null : Version.valueAt(slot, sequence);
    }

    /** Registers a reader at the visible sequence; pair with {@link #release}. */
    public long register() {
        return registry.register();
    }

    public void release(long sequence) {
        registry.release(sequence);
    }

    /** A cursor over a range at a registered sequence; {@code owned} cursors release it on close. */
    public Cursor cursor(KeyRange range, long sequence, boolean owned) {
        return new IndexCursor(view(range), sequence, owned ? this : null);
    }

    private NavigableMap<byte[], Object> view(KeyRange range) {
        byte[] from = range.from();
        byte[] to = range.to();
        NavigableMap<byte[], Object> view = map;
        if (from != null && to != null) {
            view = KEY_ORDER.compare(from, to) >= 0 ? map.subMap(from, true, from, false)
                    : map.subMap(from, range.fromInclusive(), to, false);
        } else if (from != null) {
            view = map.tailMap(from, range.fromInclusive());
        } else if (to != null) {
            view = map.headMap(to, false);
        }
        return range.isReverse() ? view.descendingMap() : view;
    }
}
