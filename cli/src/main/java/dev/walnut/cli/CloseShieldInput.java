package dev.walnut.cli;

import java.io.FilterInputStream;
import java.io.InputStream;

/** Lets a reader close its stream without closing stdin under it. */
final class CloseShieldInput extends FilterInputStream {

    private CloseShieldInput(InputStream in) {
        super(in);
    }

    static InputStream of(InputStream in) {
        return new CloseShieldInput(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws java.io.IOException {
        return in.read(b, off, len);
    }

    @Override
    public void close() {
    }
}
