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
        return value == null ? null : value.clone();
    }

    @Override
    public Cursor scan(KeyRange range) {
        checkOpen();
        return index.cursor(range, point, false);
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
