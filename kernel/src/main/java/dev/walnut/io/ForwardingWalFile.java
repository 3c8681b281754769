package dev.walnut.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Passes every call to another file; see {@link ForwardingWalStorage}. */
public class ForwardingWalFile implements WalFile {
    /** The file every call goes to. */
    protected final WalFile file;

    /**
     * Wraps {@code file}.
     *
     * @param file the file every call goes to
     */
    public ForwardingWalFile(WalFile file) {
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
