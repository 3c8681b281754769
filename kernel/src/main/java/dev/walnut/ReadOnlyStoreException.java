package dev.walnut;

/**
 * A change was asked of a store opened by {@link Walnut#openReadOnly}: writes, {@code sync},
 * {@code compact} and {@code checkpoint} are refused before anything is done.
 */
public final class ReadOnlyStoreException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused, naming the directory
     */
    public ReadOnlyStoreException(String message) {
        super(message);
    }
}
