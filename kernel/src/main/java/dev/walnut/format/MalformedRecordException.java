package dev.walnut.format;

/**
 * A record whose checksums pass but whose content breaks the format: written by a buggy writer or
 * damaged before its checksum was computed. Always corruption, never a torn write.
 */
public final class MalformedRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String message) {
        super(message);
    }
}
