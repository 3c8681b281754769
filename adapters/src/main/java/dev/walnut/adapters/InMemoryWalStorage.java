package dev.walnut.adapters;

import dev.walnut.StorageLockedException;
import dev.walnut.io.NamedClosedChannelException;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link WalStorage} held in the heap: for tests and tools that need a store without a disk.
 * Thread-safe. Nothing is lost until the object is dropped, so every change is as durable as it
 * will ever be at once: {@code sync()} and {@link #syncDirectory()} only check that the handle or
 * storage is open.
 *
 * <p>Like POSIX, a deleted or renamed file stays readable and writable through handles already
 * open on it. The lock excludes other lockers of this instance only: two instances are two
 * directories.
 */
public final class InMemoryWalStorage implements WalStorage {

    private static final String SCHEME = "mem:/";

    private final String uri;
    private final Object mutex = new Object();
    /** Sorted, so list() needs no sort; guarded by {@link #mutex}. */
    private final TreeMap<String, InMemoryFileBytes> files = new TreeMap<>();
    private final AtomicBoolean locked = new AtomicBoolean();
    private volatile boolean closed;

    /** An empty storage shown as {@code mem:/name}. */
    public InMemoryWalStorage(String name) {
        this.uri = SCHEME + WalStorage.checkName(name);
    }

    @Override
    public List<String> list() throws IOException {
        ensureOpen();
        synchronized (mutex) {
            return List.copyOf(files.keySet());
        }
    }

    @Override
    public WalFile create(String name) throws IOException {
        checkOpenName(name);
        synchronized (mutex) {
            if (files.containsKey(name)) {
                throw new FileAlreadyExistsException(displayName(name));
            }
            InMemoryFileBytes bytes = new InMemoryFileBytes();
            files.put(name, bytes);
            return new InMemoryWalFile(bytes, displayName(name));
        }
    }

    @Override
    public WalFile open(String name) throws IOException {
        checkOpenName(name);
        synchronized (mutex) {
            return new InMemoryWalFile(existing(name), displayName(name));
        }
    }

    @Override
    public boolean exists(String name) throws IOException {
        checkOpenName(name);
        synchronized (mutex) {
            return files.containsKey(name);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        checkOpenName(name);
        synchronized (mutex) {
            existing(name);
            files.remove(name);
        }
    }

    /** Atomic because the map changes under one monitor: no observer sees neither name. */
    @Override
    public void rename(String source, String target) throws IOException {
        checkOpenName(source);
        checkOpenName(target);
        synchronized (mutex) {
            InMemoryFileBytes bytes = existing(source);
            files.remove(source);
            files.put(target, bytes);
        }
    }

    @Override
    public void syncDirectory() throws IOException {
        ensureOpen();
    }

    @Override
    public Closeable lock() throws IOException {
        ensureOpen();
        if (!locked.compareAndSet(false, true)) {
            throw new StorageLockedException("storage is locked: another store holds it (directory=" + uri
                    + " lockFile=" + LOCK_NAME + ")");
        }
        synchronized (mutex) {
            // The contract's LOCK file, so that list() matches a directory on disk.
            files.putIfAbsent(LOCK_NAME, new InMemoryFileBytes());
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            // Once only: a second close must not release a later holder's lock.
            if (released.compareAndSet(false, true)) {
                locked.set(false);
            }
        };
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return uri;
    }

    private InMemoryFileBytes existing(String name) throws NoSuchFileException {
        assert Thread.holdsLock(mutex) : "caller must hold the mutex";
        InMemoryFileBytes bytes = files.get(name);
        if (bytes == null) {
            throw new NoSuchFileException(displayName(name));
        }
        return bytes;
    }

    private String displayName(String name) {
        return uri + "/" + name;
    }

    private void checkOpenName(String name) throws IOException {
        WalStorage.checkName(name);
        ensureOpen();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new NamedClosedChannelException("storage", uri);
        }
    }
}
