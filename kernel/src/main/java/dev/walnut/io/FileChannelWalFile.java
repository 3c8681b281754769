package dev.walnut.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A {@link WalFile} on a {@link FileChannel} opened for read and write (or read only). Its costs in
 * system calls, the buffer advice (heap buffers go through a hidden direct buffer as large as the
 * request) and what an interrupt does are in {@link FileChannelWalStorage}'s documentation, the
 * public face of this class.
 *
 * <p>Appends go to an end position this handle tracks, so this handle must be the file's only
 * writer (the storage lock keeps other processes out; the log keeps one writer per segment).
 */
final class FileChannelWalFile implements WalFile {

    private final FileChannel channel;
    private final Path path;
    private final Object appendLock = new Object();
    /** Where the next append goes; guarded by {@link #appendLock}. */
    private long endBytes;
    private final boolean readOnly;

    FileChannelWalFile(FileChannel channel, Path path, boolean readOnly) throws IOException {
        this.channel = channel;
        this.path = path;
        this.readOnly = readOnly;
        this.endBytes = channel.size();
    }

    @Override
    public int read(long offsetBytes, ByteBuffer target) throws IOException {
        ensureOpen();
        if (offsetBytes < 0) {
            throw new IllegalArgumentException("negative read offset: offset=" + offsetBytes + " (file=" + path + ")");
        }
        // Positional: neither the channel position nor the append end moves.
        return channel.read(target, offsetBytes);
    }

    @Override
    public void append(ByteBuffer source) throws IOException {
        synchronized (appendLock) {
            ensureWritable("append");
            // Always checked (one fstat per append): a positional write at a stale end would
            // overwrite bytes another writer put there, corrupting the log silently.
            long sizeBytes = channel.size();
            if (sizeBytes != endBytes) {
                throw new IOException("another writer changed the file: expected sizeBytes=" + endBytes
                        + " actual=" + sizeBytes + " (file=" + path + ")");
            }
            // A write may be partial (e.g. interrupted by a signal); loop until the source is drained.
            while (source.hasRemaining()) {
                endBytes += channel.write(source, endBytes);
            }
        }
    }

    /**
     * {@code force(false)} is {@code fdatasync} on Linux, which also flushes the metadata needed to
     * read the data back, in particular the file size grown by an append or shrunk by a truncate
     * (see fdatasync(2)). Only timestamps are left behind, and nothing reads them, so the
     * cheaper call is enough for a log. (On macOS both variants are plain {@code fsync}.)
     */
    @Override
    public void sync() throws IOException {
        ensureWritable("sync");
        channel.force(false);
    }

    @Override
    public long sizeBytes() throws IOException {
        ensureOpen();
        return channel.size();
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
        synchronized (appendLock) {
            ensureWritable("truncate");
            if (sizeBytes < 0 || sizeBytes > endBytes) {
                throw new IllegalArgumentException("truncate cannot grow a file: sizeBytes=" + sizeBytes
                        + " currentSizeBytes=" + endBytes + " (file=" + path + ")");
            }
            channel.truncate(sizeBytes);
            endBytes = sizeBytes;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }

    private void ensureWritable(String operation) throws IOException {
        ensureOpen();
        if (readOnly) {
            throw FileChannelWalStorage.readOnlyRefusal(operation, path);
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!channel.isOpen()) {
            throw new NamedClosedChannelException("file", path);
        }
    }
}
