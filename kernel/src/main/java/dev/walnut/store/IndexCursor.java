package dev.walnut.store;

import dev.walnut.Cursor;
import dev.walnut.KeyValue;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;

/** Walks a view of the index lazily, yielding the values visible at one sequence. */
final class IndexCursor implements Cursor {
    private final Iterator<Map.Entry<byte[], Object>> entries;
    private final long sequence;
    private final MvccIndex owner;
    private KeyValue next;
    private boolean closed;

    IndexCursor(NavigableMap<byte[], Object> view, long sequence, MvccIndex owner) {
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
            Map.Entry<byte[], Object> e = entries.next();
            byte[] value = Version.valueAt(e.getValue(), sequence);
            if (value != null) {
                next = new KeyValue(e.getKey().clone(), value.clone());
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
