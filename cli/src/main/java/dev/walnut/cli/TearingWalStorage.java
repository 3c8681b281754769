package dev.walnut.cli;

import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;

/**
 * A {@link WalStorage} that models a power cut in the middle of a write, for {@code demo}: on the
 * chosen record append it writes only the first half of the record's bytes, then halts the JVM.
 *
 * <p>Why not just kill the process: a killed process never tears a {@code write()} that already
 * returned (the bytes are in the page cache and reach the file), so a plain kill leaves whole
 * records only. Halting after half a write leaves exactly what a power cut leaves.
 */
final class TearingWalStorage extends ForwardingWalStorage {

    /** The exit status of a halted child, so the parent can tell the simulated cut from a failure. */
    static final int HALT_STATUS = 99;

    private final long tearAtRecord;
    private final PrintStream log;
    private long recordAppends;

    /**
     * @param tearAtRecord the 1-based count of record appends (segment headers excluded) to tear
     * @param log          where the cut is announced before the halt
     */
    TearingWalStorage(WalStorage inner, long tearAtRecord, PrintStream log) {
        super(inner);
        this.tearAtRecord = tearAtRecord;
        this.log = log;
    }

    @Override
    public WalFile create(String name) throws IOException {
        // A new segment's first append is its header: only later appends are records.
        return new TearingFile(inner.create(name), name, true);
    }

    @Override
    protected WalFile wrap(String name, WalFile file) {
        return new TearingFile(file, name, false);
    }

    @Override
    public String toString() {
        return inner.toString();
    }

    /** Counts record appends across every file, and tears the chosen one. */
    private synchronized void append(WalFile file, String name, ByteBuffer source) throws IOException {
        recordAppends++;
        if (recordAppends < tearAtRecord) {
            file.append(source);
            return;
        }
        int recordBytes = source.remaining();
        int writtenBytes = recordBytes / 2;
        long offsetBytes = file.sizeBytes();
        ByteBuffer prefix = source.duplicate();
        prefix.limit(prefix.position() + writtenBytes);
        file.append(prefix);
        log.println("power cut: record " + recordAppends + " torn after writtenBytes=" + writtenBytes + " of recordBytes="
                + recordBytes + " (file=" + name + " offset=" + offsetBytes + "); halting the JVM mid-write");
        log.flush();
        Runtime.getRuntime().halt(HALT_STATUS);
    }

    private final class TearingFile extends ForwardingWalFile {
        private final String name;
        private boolean headerPending;

        TearingFile(WalFile file, String name, boolean headerPending) {
            super(file);
            this.name = name;
            this.headerPending = headerPending;
        }

        @Override
        public void append(ByteBuffer source) throws IOException {
            if (headerPending) {
                headerPending = false;
                file.append(source);
            } else {
                TearingWalStorage.this.append(file, name, source);
            }
        }
    }
}
