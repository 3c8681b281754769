package dev.walnut.store;

import dev.walnut.Cursor;
import dev.walnut.KeyValue;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;

/**
 * Merges a view of the delta with a range of the base, lazily, in either direction, yielding the
 * values visible at one sequence: for a key in both, a delta version at or below the sequence wins
 * (a delete hides the key), else the base entry shows.
 */
final class IndexCursor implements Cursor {
    private final Iterator<Map.Entry<byte[], Version>> deltaEntries;
    private final BaseIndex base;
    private final int baseEnd;
    private final boolean reverse;
    private final long sequence;
    private final Runnable onClose;
    private int baseNext;
    private Map.Entry<byte[], Version> pendingDelta;
    private KeyValue next;
    private boolean closed;

    IndexCursor(NavigableMap<byte[], Version> deltaView, BaseIndex base, int lo, int hi, boolean reverse,
                long sequence, Runnable onClose) {
        this.deltaEntries = deltaView.entrySet().iterator();
        this.base = base;
        this.reverse = reverse;
        this.baseNext = reverse ? hi - 1 : lo;
        this.baseEnd = reverse ? lo - 1 : hi;
        this.sequence = sequence;
        this.onClose = onClose;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            throw new IllegalStateException("cursor is closed");
        }
        while (next == null && (pendingDelta != null || deltaEntries.hasNext() || baseNext != baseEnd)) {
            if (pendingDelta == null && deltaEntries.hasNext()) {
                pendingDelta = deltaEntries.next();
            }
            int order = order();
            if (order < 0) {
                emitDelta(pendingDelta, false);
            } else if (order > 0) {
                next = new KeyValue(base.keyAt(baseNext), base.valueAt(baseNext));
                baseNext += reverse ? -1 : 1;
            } else {
                emitDelta(pendingDelta, true);
            }
        }
        return next != null;
    }

    /** Negative: the delta's key comes first in iteration order; positive: the base's; zero: the same key. */
    private int order() {
        if (pendingDelta == null) {
            return 1;
        }
        if (baseNext == baseEnd) {
            return -1;
        }
        int c = -base.compareKeyAt(baseNext, pendingDelta.getKey());
        return reverse ? -c : c;
    }

    private void emitDelta(Map.Entry<byte[], Version> entry, boolean baseHasKey) {
        pendingDelta = null;
        Version v = entry.getValue().visibleAt(sequence);
        if (v != null) {
            if (v.value != null) {
                next = new KeyValue(entry.getKey().clone(), v.value.clone());
            }
        } else if (baseHasKey) {
            next = new KeyValue(base.keyAt(baseNext), base.valueAt(baseNext));
        }
        if (baseHasKey) {
            baseNext += reverse ? -1 : 1;
        }
    }

    @Override
    public KeyValue next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue out = next;
        next = null;
        return out;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (onClose != null) {
                onClose.run();
            }
        }
    }
}
