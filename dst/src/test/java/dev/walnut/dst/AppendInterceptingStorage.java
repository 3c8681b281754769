package dev.walnut.dst;

import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Passes every call through, except that each append goes through {@link Append}: a store path with a bug. */
final class AppendInterceptingStorage extends ForwardingWalStorage {

    /** Does the append of {@code source} to {@code file} (or not, or twice). */
    interface Append {
        void append(WalFile file, ByteBuffer source) throws IOException;
    }

    private final Append append;

    AppendInterceptingStorage(WalStorage inner, Append append) {
        super(inner);
        this.append = append;
    }

    @Override
    protected WalFile wrap(String name, WalFile file) {
        return new ForwardingWalFile(file) {
            @Override
            public void append(ByteBuffer source) throws IOException {
                append.append(file, source);
            }
        };
    }
}
