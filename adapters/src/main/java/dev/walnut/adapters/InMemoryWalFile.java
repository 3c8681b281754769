package dev.walnut.adapters;

import dev.walnut.io.NamedClosedChannelException;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * A handle on an {@link InMemoryFileBytes}. Handles share the bytes, so what one appends every
 * other handle on the file reads at once; closing a handle leaves the bytes to the storage.
 * Nothing is ever lost here, so {@link #sync()} has nothing to do beyond the closed check.
 */
final class InMemoryWalFile implements WalFile {

    private final InMemoryFileBytes bytes;
    private final String displayName;
    private volatile boolean closed;

    InMemoryWalFile(InMemoryFileBytes bytes, String displayName) {
        this.bytes = bytes;
        this.displayName = displayName;
    }

    @Override
    public int read(long offsetBytes, ByteBuffer target) throws IOException {
        ensureOpen();
        if (offsetBytes < 0) {
            throw new IllegalArgumentException("negative read offset: offset=" + offsetBytes + " (file=" + displayName + ")");
        }
        return bytes.read(offsetBytes, target);
    }

    @Override
    public void append(ByteBuffer source) throws IOException {
        ensureOpen();
        bytes.append(source, displayName);
    }

    @Override
    public void sync() throws IOException {
        ensureOpen();
    }

    @Override
    public long sizeBytes() throws IOException {
        ensureOpen();
        return bytes.sizeBytes();
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
        ensureOpen();
        bytes.truncate(sizeBytes, displayName);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return displayName;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new NamedClosedChannelException("file", displayName);
        }
    }
}
