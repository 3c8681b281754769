package dev.walnut;

import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A storage whose reads of one file fail at and after one offset, as a failing disk sector does.
 * Everything else passes through to the wrapped storage.
 */
final class FaultyReadStorage implements WalStorage {
    private final WalStorage inner;
    private final String failingFile;
    private final long failFromBytes;

    FaultyReadStorage(WalStorage inner, String failingFile, long failFromBytes) {
        this.inner = inner;
        this.failingFile = failingFile;
        this.failFromBytes = failFromBytes;
    }

    @Override
    public List<String> list() throws IOException {
        return inner.list();
    }

    @Override
    public WalFile create(String name) throws IOException {
        return inner.create(name);
    }

    @Override
    public WalFile open(String name) throws IOException {
        WalFile file = inner.open(name);
        return name.equals(failingFile) ? new Failing(file) : file;
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

    private final class Failing implements WalFile {
        private final WalFile file;

        Failing(WalFile file) {
            this.file = file;
        }

        @Override
        public int read(long offsetBytes, ByteBuffer target) throws IOException {
            if (offsetBytes + target.remaining() > failFromBytes) {
                throw new IOException("injected read error: Input/output error (file=" + failingFile + " offset="
                        + offsetBytes + ")");
            }
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
