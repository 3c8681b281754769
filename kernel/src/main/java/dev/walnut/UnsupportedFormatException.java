package dev.walnut;

import java.io.IOException;

/**
 * A file whose checksum passes but whose format version this build does not read: not damage, so
 * no recovery policy may cut or skip it; the open fails naming file, expected and actual version.
 */
public final class UnsupportedFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception whose message names the file, the offset, and the expected and actual versions.
     *
     * @param message what was found and what this build reads
     */
    public UnsupportedFormatException(String message) {
        super(message);
    }
}
