package dev.walnut;

import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/** Passes every call to a real storage; tests override the few calls they make fail or slow. */
abstract class ForwardingStorage implements WalStorage {
    protected final WalStorage inner;

    ForwardingStorage(WalStorage inner) {
        this.inner = inner;
    }

    /** Wraps each file handed out; the default hands out the real one. */
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

    /** Passes every call to a real file. */
    static class ForwardingFile implements WalFile {
        protected final WalFile file;

        ForwardingFile(WalFile file) {
            this.file = file;
        }

        @Override
        public int read(long offsetBytes, ByteBuffer target) throws IOException {
            return file.read(offsetBytes, target);
        }

        @Override
        public void append(ByteBuffer source) throws IOException {
            file.append(source);
        }

        @Override
        public void sync() throws IOException {
            file.sync();
        }

        @Override
        public long sizeBytes() throws IOException {
            return file.sizeBytes();
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            file.truncate(sizeBytes);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }
}
