package dev.walnut.format;

/**
 * An index file (hint file) that cannot be trusted: torn, damaged, written for another incarnation
 * of its data file, or breaking the layout in {@link IndexFile}. Never an I/O error, which stays an
 * {@link java.io.IOException}. An index file only saves work, so its caller replays the data file
 * instead; the message says why, naming file, offset, expected and actual values.
 */
public final class MalformedIndexException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The index file's name. */
    private final String fileName;
    /** Where in the index file the damage was found. */
    private final long offsetBytes;

    /**
     * Builds the message {@code what (file=<fileName> offset=<offsetBytes>)}.
     *
     * @param what        what is wrong, with expected and actual values as key=value
     * @param fileName    the index file's name
     * @param offsetBytes where in the index file the damage was found
     */
    public MalformedIndexException(String what, String fileName, long offsetBytes) {
        super(what + " (file=" + fileName + " offset=" + offsetBytes + ")");
        this.fileName = fileName;
        this.offsetBytes = offsetBytes;
    }

    /**
     * The index file's name.
     *
     * @return the name, as given to the reader
     */
    public String fileName() {
        return fileName;
    }

    /**
     * Where in the index file the damage was found.
     *
     * @return a byte offset from the start of the index file
     */
    public long offsetBytes() {
        return offsetBytes;
    }
}
