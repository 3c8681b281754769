package dev.walnut.format;

import dev.walnut.io.WalFile;
import java.nio.ByteBuffer;

/** A read-only WalFile over bytes in memory, for format properties that run thousands of times. */
final class ByteArrayWalFile implements WalFile {
    private final byte[] bytes;

    ByteArrayWalFile(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read(long offsetBytes, ByteBuffer target) {
        if (offsetBytes >= bytes.length) {
            return -1;
        }
        int n = (int) Math.min(target.remaining(), bytes.length - offsetBytes);
        target.put(bytes, (int) offsetBytes, n);
        return n;
    }

    @Override
    public void append(ByteBuffer source) {
        throw new UnsupportedOperationException("read-only test file");
    }

    @Override
    public void sync() {
    }

    @Override
    public long sizeBytes() {
        return bytes.length;
    }

    @Override
    public void truncate(long sizeBytes) {
        throw new UnsupportedOperationException("read-only test file");
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "bytes:test";
    }
}
