package dev.walnut;

import java.io.IOException;

/**
 * A write or sync failed earlier, so nothing written since can be trusted to be durable: the store
 * refuses every later write until it is reopened (which recovers). Reads of what is in memory go on.
 */
public final class StorePoisonedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception; its message and cause are the failure that poisoned the store.
     *
     * @param firstFailure the first failed append or sync
     */
    public StorePoisonedException(IOException firstFailure) {
        super("store is poisoned by an earlier failure and acknowledges no more writes; reopen it to recover."
                + " First failure: " + firstFailure.getMessage(), firstFailure);
    }
}
