package dev.walnut.recovery;

import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A segment file as found on open: its name, size and header (or why the header is bad). */
record SegmentFile(String name, long number, long sizeBytes, SegmentHeader.Decoded decoded) {

    static SegmentFile read(WalStorage storage, String name) throws IOException {
        long number = RecordFormat.segmentNumberOf(name);
        if (number < 0) {
            throw new IllegalArgumentException("not a segment file name: " + name);
        }
        return read(storage, name, number);
    }

    /** Reads a file in segment format whose header must carry {@code number} (a base, by its manifest). */
    static SegmentFile read(WalStorage storage, String name, long number) throws IOException {
        try (WalFile file = storage.open(name)) {
            long size = file.sizeBytes();
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(size, RecordFormat.SEGMENT_HEADER_BYTES));
            file.readFully(0, bytes);
            SegmentHeader.Decoded decoded = SegmentHeader.decode(bytes.flip(), name);
            if (decoded.valid() && decoded.header().segmentNumber() != number) {
                decoded = new SegmentHeader.Decoded(null, "segment number mismatch: expected=" + number + " actual="
                        + decoded.header().segmentNumber() + " (file=" + name + " offset=16)");
            }
            return new SegmentFile(name, number, size, decoded);
        }
    }

    boolean valid() {
        return decoded.valid();
    }

    SegmentHeader header() {
        return decoded.header();
    }

    /**
     * A header that never became durable leaves at most a header's worth of bytes: records are
     * appended only after the header and the directory were synced.
     */
    boolean creationTorn() {
        return !valid() && sizeBytes <= RecordFormat.SEGMENT_HEADER_BYTES;
    }
}
