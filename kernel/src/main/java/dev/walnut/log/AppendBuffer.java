package dev.walnut.log;

import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records appended to the active segment but not yet written to its file: unsynced writes
 * ({@code BACKGROUND}, {@code MANUAL}) gather here so that a put costs no {@code write} syscall
 * until {@link LogWriter#PENDING_BYTES_MAX} bytes are pending or a sync, rotation or seal is due.
 * Only the writer (in its turn) adds and flushes; readers on any thread read the cells of pending
 * records from here ({@link #read}), because the file does not hold them yet.
 *
 * <p>Records enter whole, so a cell lies either wholly in the file (below {@link #fileEndBytes})
 * or wholly in the buffer. The lock guards the buffer's contents against a reader's copy; the
 * write syscall itself runs outside it (a flush only reads the buffer, as readers do).
 */
final class AppendBuffer {

    private final ReentrantLock lock = new ReentrantLock();
    /** Pending records from position 0 to {@code position()}; direct, so an append copies it once. */
    private ByteBuffer pending;
    /** The slot of the file the pending records belong to; guarded by {@link #lock}. */
    private int slot = -1;
    /** Bytes of the active file that are in the file: the pending records start here. */
    private volatile long fileEndBytes;

    AppendBuffer(int initialBytes) {
        pending = ByteBuffer.allocateDirect(initialBytes);
    }

    /** A new active file, {@code fileEndBytes} long, in {@code slot}; nothing may be pending. */
    void reset(int newSlot, long newFileEndBytes) {
        if (pending.position() != 0) {
            throw new IllegalStateException("records pending while the active file changes: pendingBytes="
                    + pending.position() + " slot=" + slot);
        }
        lock.lock();
        try {
            slot = newSlot;
            fileEndBytes = newFileEndBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Adds one whole record; it goes to the file at the next {@link #flush}. */
    void add(ByteBuffer record) {
        lock.lock();
        try {
            if (pending.remaining() < record.remaining()) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(pending.capacity() * 2,
                        pending.position() + record.remaining()));
                pending.flip();
                pending = bigger.put(pending);
            }
            pending.put(record);
        } finally {
            lock.unlock();
        }
    }

    int pendingBytes() {
        return pending.position();
    }

    /**
     * Writes every pending record to {@code file} with one append. On failure the records stay
     * here (readers keep finding acknowledged values), and the caller must stop writing: how many
     * bytes reached the file is unknown.
     */
    void flush(WalFile file) throws IOException {
        int bytes = pending.position();
        if (bytes == 0) {
            return;
        }
        ByteBuffer view = pending.duplicate().flip();
        file.append(view);
        lock.lock();
        try {
            pending.clear();
            fileEndBytes += bytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Copies the cell at {@code offsetBytes} of the file in {@code readSlot} into {@code target}
     * if it is still pending here.
     *
     * @return false if the file holds the cell (the caller reads it there), true if copied
     */
    boolean read(int readSlot, long offsetBytes, ByteBuffer target) {
        int bytes = target.remaining();
        if (offsetBytes + bytes <= fileEndBytes) {
            return false; // the common case: no lock
        }
        lock.lock();
        try {
            long start = fileEndBytes;
            if (readSlot != slot || offsetBytes + bytes <= start) {
                return false; // flushed meanwhile, or a file no longer active (flushed whole before it changed)
            }
            long at = offsetBytes - start;
            if (at < 0 || at + bytes > pending.position()) {
                throw new IllegalStateException("cell outside the pending records: offset=" + offsetBytes
                        + " bytes=" + bytes + " pendingStart=" + start + " pendingBytes=" + pending.position()
                        + " slot=" + slot);
            }
            target.put(target.position(), pending, (int) at, bytes);
            target.position(target.position() + bytes);
            return true;
        } finally {
            lock.unlock();
        }
    }
}
