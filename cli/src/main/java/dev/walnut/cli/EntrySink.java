package dev.walnut.cli;

import java.io.IOException;

/** Receives live entries in key order; the arrays are the receiver's. */
interface EntrySink {
    void accept(byte[] key, byte[] value) throws IOException;
}
