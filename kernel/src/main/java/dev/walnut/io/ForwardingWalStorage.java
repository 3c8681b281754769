package dev.walnut.io;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Passes every call to another storage. Fault injection, tearing and slow disks are built by
 * overriding the few calls they change, so no wrapper has to restate the whole seam.
 */
public abstract class ForwardingWalStorage implements WalStorage {
    /** The storage every call goes to. */
    protected final WalStorage inner;

    /**
     * Wraps {@code inner}.
     *
     * @param inner the storage every call goes to
     */
    protected ForwardingWalStorage(WalStorage inner) {
        this.inner = inner;
    }

    /**
     * Wraps each file {@link #create} and {@link #open} hand out; the default hands out the real one.
     *
     * @param name the file's name
     * @param file the file the inner storage returned
     * @return the file to hand out, e.g. a {@link ForwardingWalFile}
     */
    protected WalFile wrap(String name, WalFile file) {
        return file;
    }

    @Override
    public List<String> list() throws IOException {
        return inner.list();
    }

    @Override
    public WalFile create(String name) throws IOException {
        return wrap(name, inner.create(name));
    }

    @Override
    public WalFile open(String name) throws IOException {
        return wrap(name, inner.open(name));
    }

    @Override
    public boolean exists(String name) throws IOException {
        return inner.exists(name);
    }

    @Override
    public void delete(String name) throws IOException {
        inner.delete(name);
    }

    @Override
    public void rename(String source, String target) throws IOException {
        inner.rename(source, target);
    }

    @Override
    public void syncDirectory() throws IOException {
        inner.syncDirectory();
    }

    @Override
    public Closeable lock() throws IOException {
        return inner.lock();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
