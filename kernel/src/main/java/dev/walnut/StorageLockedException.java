package dev.walnut;

import java.io.IOException;

/** The store's directory is locked by another open store, in this JVM or another process. */
public final class StorageLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is locked, naming the directory and the lock file
     */
    public StorageLockedException(String message) {
        super(message);
    }
}
