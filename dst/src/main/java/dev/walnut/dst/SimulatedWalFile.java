package dev.walnut.dst;

import dev.walnut.io.NamedClosedChannelException;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A handle on a {@link SimulatedInode}; every call goes through its {@link SimulatedStorage}. */
final class SimulatedWalFile implements WalFile {

    private final SimulatedStorage storage;
    private final SimulatedInode inode;
    private final String displayName;
    final String name;
    final long epoch;
    private volatile boolean closed;

    SimulatedWalFile(SimulatedStorage storage, SimulatedInode inode, String displayName, String name, long epoch) {
        this.storage = storage;
        this.inode = inode;
        this.displayName = displayName;
        this.name = name;
        this.epoch = epoch;
    }

    @Override
    public int read(long offsetBytes, ByteBuffer target) throws IOException {
        synchronized (storage) {
            ensureOpen();
            if (offsetBytes < 0) {
                throw new IllegalArgumentException("negative read offset: offset=" + offsetBytes + " (file="
                        + displayName + ")");
            }
            return storage.read(this, inode, offsetBytes, target);
        }
    }

    @Override
    public void append(ByteBuffer source) throws IOException {
        synchronized (storage) {
            ensureOpen();
            storage.append(this, inode, source);
        }
        // Lets a concurrent reader in between appends, as a disk's latency would.
        Thread.yield();
    }

    @Override
    public void sync() throws IOException {
        synchronized (storage) {
            ensureOpen();
            storage.sync(this, inode);
        }
    }

    @Override
    public long sizeBytes() throws IOException {
        synchronized (storage) {
            ensureOpen();
            return storage.sizeBytes(this, inode);
        }
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
        synchronized (storage) {
            ensureOpen();
            storage.truncate(this, inode, sizeBytes);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return displayName;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new NamedClosedChannelException("file", displayName);
        }
    }
}
