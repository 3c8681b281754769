package dev.walnut;

import dev.walnut.store.MvccIndex;
import dev.walnut.store.ReadPoint;

/**
 * A consistent read view at one sequence number. Writers never wait for it; it keeps the versions
 * it may read until closed, so close it (try-with-resources) when done.
 */
public final class Snapshot implements ReadView, AutoCloseable {
    private final MvccIndex index;
    private final ReadPoint point;
    private volatile boolean closed;

    Snapshot(MvccIndex index) {
        this.index = index;
        this.point = index.register();
    }

    /** The index this snapshot reads: for tests that look at the recovered base. */
    MvccIndex index() {
        return index;
    }

    /** The sequence number of the last write this snapshot sees. */
    public long sequence() {
        return point.sequence();
    }

    @Override
    public byte[] get(byte[] key) {
        WriteBatch.checkKey(key);
        checkOpen();
        byte[] value = index.getAt(key, point);
        // Checked again after the read: a close that raced it may have let the writer prune what
        // it read, and a value from a mix of versions must never be returned.
        checkOpen();
        return value == null ? null : value.clone();
    }

    /**
     * A cursor at this snapshot's sequence. It does not pin the snapshot: once the snapshot is
     * closed, the cursor's next {@code hasNext} or {@code next} throws {@link IllegalStateException}
     * rather than read versions the store may already have dropped.
     */
    @Override
    public Cursor scan(KeyRange range) {
        java.util.Objects.requireNonNull(range, "range");
        checkOpen();
        Cursor inner = index.cursor(range, point, false);
        return new Cursor() {
            @Override
            public boolean hasNext() {
                checkOpen();
                boolean more = inner.hasNext();
                checkOpen(); // the read may have raced a close: see get
                return more;
            }

            @Override
            public KeyValue next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return inner.next();
            }

            @Override
            public void seek(byte[] key) {
                checkOpen();
                inner.seek(key);
            }

            @Override
            public boolean hasPrevious() {
                checkOpen();
                boolean more = inner.hasPrevious();
                checkOpen();
                return more;
            }

            @Override
            public KeyValue previous() {
                if (!hasPrevious()) {
                    throw new java.util.NoSuchElementException();
                }
                return inner.previous();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("snapshot is closed (sequence=" + point.sequence() + ")");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            index.release(point);
        }
    }
}
