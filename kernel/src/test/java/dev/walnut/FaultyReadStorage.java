package dev.walnut;

import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A storage whose reads of one file fail at and after one offset, as a failing disk sector does. */
final class FaultyReadStorage extends dev.walnut.io.ForwardingWalStorage {
    private final String failingFile;
    private final long failFromBytes;
    /** Reads fail only while armed (from the start, unless a test arms it later, as a sector that goes bad). */
    volatile boolean armed = true;

    FaultyReadStorage(WalStorage inner, String failingFile, long failFromBytes) {
        super(inner);
        this.failingFile = failingFile;
        this.failFromBytes = failFromBytes;
    }

    @Override
    public void close() {
        // The caller owns the wrapped storage.
    }

    @Override
    protected WalFile wrap(String name, WalFile file) {
        if (!name.equals(failingFile)) {
            return file;
        }
        return new dev.walnut.io.ForwardingWalFile(file) {
            @Override
            public int read(long offsetBytes, ByteBuffer target) throws IOException {
                if (armed && offsetBytes + target.remaining() > failFromBytes) {
                    throw new IOException("injected read error: Input/output error (file=" + failingFile
                            + " offset=" + offsetBytes + ")");
                }
                return file.read(offsetBytes, target);
            }
        };
    }
}
