package dev.walnut.store;

import dev.walnut.Cursor;
import dev.walnut.KeyValue;
import dev.walnut.log.ValueFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentNavigableMap;

/**
 * Merges the delta with the base, lazily, yielding the values visible at one sequence: for a key in
 * both, a delta version at or below the sequence wins (a delete hides the key), else the base entry
 * shows. The cursor walks its range in its direction; {@link #seek} and {@link #previous} start a
 * new walk from a key, which costs one skip-list descent and one binary search of the base.
 */
final class IndexCursor implements Cursor {
    private final ConcurrentNavigableMap<byte[], Version> delta;
    private final BaseIndex base;
    private final ValueFiles files;
    /** A value read that failed: the walk may have moved past the entry, so the cursor is done. */
    private IOException failure;
    private final Bound low;
    private final Bound high;
    private final boolean reverse;
    private final long sequence;
    private final Runnable onClose;
    /** Walks in the cursor's direction from where it stands. */
    private Walk walk;
    /** Walks against it, from where it stands; made on demand by {@link #hasPrevious}. */
    private Walk back;
    private KeyValue next;
    private KeyValue previous;
    /** Where the cursor stands: the last key returned or sought, null at the start of the range. */
    private byte[] anchor;
    private boolean closed;

    /** One end of a key interval; a null key is unbounded. */
    record Bound(byte[] key, boolean inclusive) {
        static final Bound OPEN = new Bound(null, true);

        /** The tighter of two lower bounds. */
        Bound maxLow(Bound other) {
            return tighter(other, 1);
        }

        /** The tighter of two upper bounds. */
        Bound minHigh(Bound other) {
            return tighter(other, -1);
        }

        private Bound tighter(Bound other, int sign) {
            if (key == null) {
                return other;
            }
            if (other.key == null) {
                return this;
            }
            int c = MvccIndex.KEY_ORDER.compare(key, other.key) * sign;
            return c > 0 || (c == 0 && !inclusive) ? this : other;
        }
    }

    IndexCursor(ConcurrentNavigableMap<byte[], Version> delta, BaseIndex base, ValueFiles files, Bound low, Bound high,
                boolean reverse, long sequence, Runnable onClose) {
        this.files = files;
        this.delta = delta;
        this.base = base;
        this.low = low;
        this.high = high;
        this.reverse = reverse;
        this.sequence = sequence;
        this.onClose = onClose;
        this.walk = new Walk(low, high, reverse);
    }

    @Override
    public boolean hasNext() {
        checkOpen();
        if (next == null) {
            next = advance(walk);
        }
        return next != null;
    }

    /** The walk's next entry; a failed value read fails this cursor for good. */
    private KeyValue advance(Walk w) {
        try {
            return w.advance();
        } catch (IOException e) {
            failure = e;
            if (files.isClosed()) {
                throw new IllegalStateException("store is closed", e);
            }
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public KeyValue next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue out = next;
        next = null;
        standAt(out.key());
        return out;
    }

    @Override
    public boolean hasPrevious() {
        checkOpen();
        if (previous == null && anchor != null) {
            if (back == null) {
                Bound at = new Bound(anchor, false);
                back = reverse ? new Walk(at.maxLow(low), high, false) : new Walk(low, at.minHigh(high), true);
            }
            previous = advance(back);
        }
        return previous != null;
    }

    @Override
    public KeyValue previous() {
        if (!hasPrevious()) {
            throw new NoSuchElementException();
        }
        KeyValue out = previous;
        standAt(out.key());
        Bound at = new Bound(anchor, false);
        walk = reverse ? new Walk(low, at.minHigh(high), true) : new Walk(at.maxLow(low), high, false);
        next = null;
        return out;
    }

    @Override
    public void seek(byte[] key) {
        Objects.requireNonNull(key, "key");
        checkOpen();
        Bound at = new Bound(key, true);
        walk = reverse ? new Walk(low, at.minHigh(high), true) : new Walk(at.maxLow(low), high, false);
        next = null;
        previous = null;
        back = null;
        anchor = key.clone();
        // previous() after a seek returns the last key before the sought one, so the anchor excludes it.
    }

    private void standAt(byte[] key) {
        anchor = key;
        previous = null;
        back = null;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cursor is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("cursor failed on a value read, close it: " + failure.getMessage(), failure);
        }
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

    /** One lazy merge of a delta view and a base slice over an interval, in one direction. */
    private final class Walk {
        private final Iterator<Map.Entry<byte[], Version>> deltaEntries;
        private final boolean descending;
        private final int baseEnd;
        private int baseNext;
        private Map.Entry<byte[], Version> pendingDelta;

        Walk(Bound from, Bound to, boolean descending) {
            this.descending = descending;
            NavigableMap<byte[], Version> view = view(from, to);
            this.deltaEntries = (descending ? view.descendingMap() : view).entrySet().iterator();
            int lo = from.key() == null ? 0 : base.lowerBound(from.key(), from.inclusive());
            int hi = to.key() == null ? base.size() : base.lowerBound(to.key(), !to.inclusive());
            hi = Math.max(lo, hi);
            this.baseNext = descending ? hi - 1 : lo;
            this.baseEnd = descending ? lo - 1 : hi;
        }

        private NavigableMap<byte[], Version> view(Bound from, Bound to) {
            if (from.key() != null && to.key() != null) {
                int c = MvccIndex.KEY_ORDER.compare(from.key(), to.key());
                if (c > 0 || (c == 0 && !(from.inclusive() && to.inclusive()))) {
                    return delta.subMap(from.key(), true, from.key(), false); // empty
                }
                return delta.subMap(from.key(), from.inclusive(), to.key(), to.inclusive());
            }
            if (from.key() != null) {
                return delta.tailMap(from.key(), from.inclusive());
            }
            return to.key() != null ? delta.headMap(to.key(), to.inclusive()) : delta;
        }

        /** The next visible entry of this walk, or null when it is done. */
        KeyValue advance() throws IOException {
            KeyValue out = null;
            while (out == null && (pendingDelta != null || deltaEntries.hasNext() || baseNext != baseEnd)) {
                if (pendingDelta == null && deltaEntries.hasNext()) {
                    pendingDelta = deltaEntries.next();
                }
                int order = order();
                if (order < 0) {
                    out = emitDelta(false);
                } else if (order > 0) {
                    out = baseEntry();
                    step();
                } else {
                    out = emitDelta(true);
                }
            }
            return out;
        }

        /** Negative: the delta's key comes first in walk order; positive: the base's; zero: the same key. */
        private int order() {
            if (pendingDelta == null) {
                return 1;
            }
            if (baseNext == baseEnd) {
                return -1;
            }
            int c = -base.compareKeyAt(baseNext, pendingDelta.getKey());
            return descending ? -c : c;
        }

        private KeyValue baseEntry() throws IOException {
            byte[] key = base.keyAt(baseNext);
            return new KeyValue(key, base.valueAt(baseNext, key));
        }

        private KeyValue emitDelta(boolean baseHasKey) throws IOException {
            Map.Entry<byte[], Version> entry = pendingDelta;
            pendingDelta = null;
            KeyValue out = null;
            Version v = entry.getValue().visibleAt(sequence, base.sequence());
            if (v != null) {
                if (!v.isDelete()) {
                    byte[] key = entry.getKey().clone();
                    out = new KeyValue(key, v.value(key, files));
                }
            } else if (baseHasKey) {
                out = baseEntry();
            }
            if (baseHasKey) {
                step();
            }
            return out;
        }

        private void step() {
            baseNext += descending ? -1 : 1;
        }
    }
}
