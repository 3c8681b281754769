package dev.walnut.store;

import dev.walnut.Cursor;
import dev.walnut.KeyValue;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;

/** Walks a view of the index lazily, yielding the values visible at one sequence. */
final class IndexCursor implements Cursor {
    private final Iterator<Map.Entry<ByteKey, Version>> entries;
    private final long sequence;
    private final MvccIndex owner;
    private KeyValue next;
    private boolean closed;

    IndexCursor(NavigableMap<ByteKey, Version> view, long sequence, MvccIndex owner) {
        this.entries = view.entrySet().iterator();
        this.sequence = sequence;
        this.owner = owner;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            throw new IllegalStateException("cursor is closed");
        }
        while (next == null && entries.hasNext()) {
            Map.Entry<ByteKey, Version> e = entries.next();
            Version v = e.getValue().visibleAt(sequence);
            if (v != null && v.value != null) {
                next = new KeyValue(e.getKey().bytes().clone(), v.value.clone());
            }
        }
        return next != null;
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
            if (owner != null) {
                owner.release(sequence);
            }
        }
    }
}
