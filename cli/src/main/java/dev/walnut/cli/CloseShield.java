package dev.walnut.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Lets a writer be closed (flushing it) without closing the stdout under it. */
final class CloseShield extends FilterOutputStream {

    private CloseShield(OutputStream out) {
        super(out);
    }

    static OutputStream of(OutputStream out) {
        return new CloseShield(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
