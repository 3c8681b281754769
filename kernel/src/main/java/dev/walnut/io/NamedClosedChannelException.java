package dev.walnut.io;

import java.nio.channels.ClosedChannelException;

/**
 * A {@link ClosedChannelException} (which has no message of its own) that names what was closed,
 * for every implementation of the seam.
 */
public final class NamedClosedChannelException extends ClosedChannelException {
    private static final long serialVersionUID = 1L;
    /** The message, built once: {@link ClosedChannelException} has none. */
    private final String message;

    /**
     * Creates the exception; its message is {@code "<kind> is closed (<kind>=<resource>)"}.
     *
     * @param kind     "file" or "storage"
     * @param resource what was closed; its {@code toString()} names it
     */
    public NamedClosedChannelException(String kind, Object resource) {
        this.message = kind + " is closed (" + kind + "=" + resource + ")";
    }

    @Override
    public String getMessage() {
        return message;
    }
}
