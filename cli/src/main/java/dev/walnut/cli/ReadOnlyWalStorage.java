package dev.walnut.cli;

import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store directory seen strictly read-only, for the commands that must never change a file: files
 * are opened for reading only, so no code path under it can write, and every mutating call fails
 * loudly instead of doing something quietly.
 *
 * <p>{@link #lock()} takes the store's lock through the kernel's own storage (which knows about
 * locks held in this JVM), so a reader never sees a log that a live writer is appending to; but only
 * when the lock file exists, because creating it would change the directory. A directory without
 * a lock file was never opened by a store, so nobody can hold it; nor can anybody write on a
 * read-only file system.
 */
final class ReadOnlyWalStorage implements WalStorage {

    private final Path directory;
    private final FileChannelWalStorage files;
    private final AtomicLong bytesRead = new AtomicLong();

    ReadOnlyWalStorage(Path directory) throws IOException {
        this.files = new FileChannelWalStorage(directory);
        this.directory = files.directory();
    }

    /** Bytes read through this storage so far, for progress. */
    long bytesRead() {
        return bytesRead.get();
    }

    @Override
    public java.util.List<String> list() throws IOException {
        return files.list();
    }

    @Override
    public WalFile open(String name) throws IOException {
        Path path = directory.resolve(WalStorage.checkName(name));
        return new ReadOnlyFile(FileChannel.open(path, StandardOpenOption.READ), path);
    }

    @Override
    public boolean exists(String name) throws IOException {
        return files.exists(name);
    }

    @Override
    public WalFile create(String name) throws IOException {
        throw refused("create", name);
    }

    @Override
    public void delete(String name) throws IOException {
        throw refused("delete", name);
    }

    @Override
    public void rename(String source, String target) throws IOException {
        throw refused("rename", source);
    }

    @Override
    public void syncDirectory() throws IOException {
        throw refused("syncDirectory", ".");
    }

    @Override
    public Closeable lock() throws IOException {
        // Nobody can write to a read-only file system, and the lock needs a writable descriptor:
        // a backup mounted read-only is verified without it.
        if (!Files.exists(directory.resolve(LOCK_NAME)) || Files.getFileStore(directory).isReadOnly()) {
            return () -> { };
        }
        return files.lock();
    }

    @Override
    public void close() {
        files.close();
    }

    @Override
    public String toString() {
        return directory.toString();
    }

    private IOException refused(String operation, String name) {
        return new IOException("read-only storage refuses to " + operation + " (directory=" + directory + " file="
                + name + ")");
    }

    /** A file open for reading only; writes are refused before they reach the channel. */
    private final class ReadOnlyFile implements WalFile {
        private final FileChannel channel;
        private final Path path;

        ReadOnlyFile(FileChannel channel, Path path) {
            this.channel = channel;
            this.path = path;
        }

        @Override
        public int read(long offsetBytes, ByteBuffer target) throws IOException {
            if (offsetBytes < 0) {
                throw new IllegalArgumentException("negative read offset: offset=" + offsetBytes + " (file=" + path
                        + ")");
            }
            int n = channel.read(target, offsetBytes);
            if (n > 0) {
                bytesRead.addAndGet(n);
            }
            return n;
        }

        @Override
        public void append(ByteBuffer source) throws IOException {
            throw refused("append", path.getFileName().toString());
        }

        @Override
        public void sync() throws IOException {
            throw refused("sync", path.getFileName().toString());
        }

        @Override
        public long sizeBytes() throws IOException {
            return channel.size();
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            throw refused("truncate", path.getFileName().toString());
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }
}
