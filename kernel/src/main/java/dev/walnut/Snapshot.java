package dev.walnut;

import java.io.IOException;

import dev.walnut.store.MvccIndex;
import dev.walnut.store.ReadPoint;

/**
 * A consistent read view at one sequence number, from {@link Walnut#snapshot()}. Writers never
 * wait for it, and it copies nothing when taken; instead it keeps every version it may read until
 * closed: every version written after its sequence, and the in-memory index it started on even
 * after a compaction replaced it. A snapshot left open therefore makes memory grow with the writes
 * made since; close it (try-with-resources) when done. Safe for any number of threads.
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

    /**
     * The sequence number of the last write this snapshot sees.
     *
     * @return the sequence, 0 for a snapshot of an empty log
     */
    public long sequence() {
        return point.sequence();
    }

    /**
     * The value of {@code key} at this snapshot's sequence, or null. Takes no lock: a lookup in the
     * skip list of recent writes, then at most one hash probe of the index recovered at open (or
     * built by the last compaction), then one positional read of the value unless it is 12 bytes
     * or shorter; allocates the returned copy. A compaction does not take the files this snapshot
     * reads away: they stay open until it is closed.
     *
     * @throws WalCorruptionException if the value's bytes fail their checksum
     * @throws IOException if reading the value fails
     * @throws IllegalStateException if the snapshot is closed, also when a close raced this read
     */
    @Override
    public byte[] get(byte[] key) throws IOException {
        WriteBatch.checkKey(key);
        checkOpen();
        byte[] value;
        try {
            value = index.getAt(key, point);
        } catch (IOException e) {
            // A close that raced the read may have let the store close the file it read.
            checkOpen();
            throw e;
        }
        // Checked again after the read: a close that raced it may have let the writer prune what
        // it read, and a value from a mix of versions must never be returned.
        checkOpen();
        return value;
    }

    /**
     * A cursor at this snapshot's sequence. It does not pin the snapshot: once the snapshot is
     * closed, the cursor's next {@code hasNext} or {@code next} throws {@link IllegalStateException}
     * rather than read versions the store may already have dropped. Closing the cursor releases
     * nothing the snapshot holds, but close it anyway.
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

    /** Releases the versions this snapshot pins, so the store may drop them; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            index.release(point);
        }
    }
}
