package dev.walnut.cli;

/**
 * The process exit codes of {@code walnut}, one meaning each, documented in README.md ("Exit codes"). Scripts
 * branch on them, so a code never changes meaning.
 */
public final class ExitCode {

    /** The command did what was asked; for verify: the log is clean. */
    public static final int OK = 0;
    /** {@code get}: the key is not in the store (like grep's "no match"). */
    public static final int NOT_FOUND = 1;
    /** Bad arguments, or the directory is missing, a file, or not a Walnut store. */
    public static final int USAGE = 2;
    /** The log has a torn tail (an unfinished write) and no corruption. */
    public static final int TORN_TAIL = 3;
    /** The log has corruption: bytes that were durable are damaged. */
    public static final int CORRUPTION = 4;
    /** An I/O error: a file could not be read or written. Never taken for damage. */
    public static final int IO_ERROR = 5;
    /** Another process (or store in this process) holds the store's lock. */
    public static final int LOCKED = 6;
    /** Import input is malformed: its line or entry number is named on stderr. */
    public static final int BAD_INPUT = 7;
    /** {@code demo}: a record the child acknowledged is missing after recovery. */
    public static final int LOST_WRITE = 8;
    /** A bug in walnut itself; the message says what failed. */
    public static final int INTERNAL = 70;

    private ExitCode() {
    }
}
