package dev.walnut.format;

import dev.walnut.UnsupportedFormatException;
import static dev.walnut.format.RecordFormat.FORMAT_VERSION;
import static dev.walnut.format.RecordFormat.SEGMENT_HEADER_BYTES;
import static dev.walnut.format.RecordFormat.SEGMENT_MAGIC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/** The fixed header at the start of every segment file; layout in {@link RecordFormat}. */
public record SegmentHeader(
        int flags,
        long segmentNumber,
        long salt,
        long firstSequence,
        long predecessorSegment,
        long predecessorEndBytes,
        int recordBytesMax) {

    private static final int CRC_OFFSET = SEGMENT_HEADER_BYTES - 4;

    /** The same ranges {@link #decode} checks: a header that would not decode is never built, nor written. */
    public SegmentHeader {
        if (segmentNumber <= 0 || firstSequence <= 0 || predecessorSegment < 0 || predecessorSegment >= segmentNumber
                || predecessorEndBytes < 0 || recordBytesMax < RecordFormat.RECORD_BYTES_LIMIT_MIN
                || recordBytesMax > RecordFormat.RECORD_BYTES_LIMIT_MAX) {
            throw new IllegalArgumentException("segment header fields out of range: segmentNumber=" + segmentNumber
                    + " firstSequence=" + firstSequence + " predecessorSegment=" + predecessorSegment
                    + " predecessorEndBytes=" + predecessorEndBytes + " recordBytesMax=" + recordBytesMax);
        }
    }

    /** A header whose records obey the default record size limit. */
    public SegmentHeader(int flags, long segmentNumber, long salt, long firstSequence, long predecessorSegment,
                         long predecessorEndBytes) {
        this(flags, segmentNumber, salt, firstSequence, predecessorSegment, predecessorEndBytes,
                RecordFormat.RECORD_BYTES_DEFAULT);
    }

    public boolean predecessorWasCut() {
        return (flags & RecordFormat.SEGMENT_FLAG_PREDECESSOR_CUT) != 0;
    }

    public ByteBuffer encode() {
        ByteBuffer buffer = ByteBuffer.allocate(SEGMENT_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(SEGMENT_MAGIC)
                .putInt(FORMAT_VERSION)
                .putInt(flags)
                .putLong(segmentNumber)
                .putLong(salt)
                .putLong(firstSequence)
                .putLong(predecessorSegment)
                .putLong(predecessorEndBytes)
                .putInt(recordBytesMax);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, CRC_OFFSET);
        buffer.putInt((int) crc.getValue());
        return buffer.flip();
    }

    /**
     * Decodes and verifies a header read from {@code fileName}. The result says why the bytes are
     * not a header instead of throwing, because recovery classifies a bad header rather than failing
     * on it outright.
     *
     * @throws UnsupportedFormatException for a valid header of another format version: not damage
     */
    public static Decoded decode(ByteBuffer source, String fileName) throws UnsupportedFormatException {
        if (source.remaining() < SEGMENT_HEADER_BYTES) {
            return Decoded.bad("segment header cut short: expected=" + SEGMENT_HEADER_BYTES
                    + " actual=" + source.remaining() + " bytes (file=" + fileName + " offset=0)");
        }
        ByteBuffer in = source.slice().order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[SEGMENT_HEADER_BYTES];
        in.get(bytes);
        ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CRC_OFFSET);
        int expectedCrc = (int) crc.getValue();
        int actualCrc = h.getInt(CRC_OFFSET);
        if (expectedCrc != actualCrc) {
            return Decoded.bad(String.format("segment header checksum mismatch: expected=0x%08x actual=0x%08x"
                    + " (file=%s offset=0)", expectedCrc, actualCrc, fileName));
        }
        long magic = h.getLong(0);
        if (magic != SEGMENT_MAGIC) {
            return Decoded.bad(String.format("not a segment: magic expected=0x%016x actual=0x%016x (file=%s offset=0)",
                    SEGMENT_MAGIC, magic, fileName));
        }
        int version = h.getInt(8);
        if (version != FORMAT_VERSION) {
            throw new UnsupportedFormatException("unsupported segment format: expected=" + FORMAT_VERSION
                    + " actual=" + version + " (file=" + fileName + " offset=8)" + (version < FORMAT_VERSION
                    ? "; this build reads format " + FORMAT_VERSION + " only: export the store with the Walnut that"
                    + " wrote it (format " + version + ") and import it here" : ""));
        }
        long number = h.getLong(16);
        long first = h.getLong(32);
        long predecessor = h.getLong(40);
        long predecessorEnd = h.getLong(48);
        int recordBytesMax = h.getInt(56);
        if (recordBytesMax < RecordFormat.RECORD_BYTES_LIMIT_MIN || recordBytesMax > RecordFormat.RECORD_BYTES_LIMIT_MAX) {
            return Decoded.bad("segment record size limit out of range: recordBytesMax=" + recordBytesMax
                    + " allowed=[" + RecordFormat.RECORD_BYTES_LIMIT_MIN + ", " + RecordFormat.RECORD_BYTES_LIMIT_MAX
                    + "] (file=" + fileName + " offset=56)");
        }
        if (number <= 0 || first <= 0 || predecessor < 0 || predecessor >= number || predecessorEnd < 0
                || (predecessor > 0 && predecessorEnd < SEGMENT_HEADER_BYTES)) {
            return Decoded.bad("segment header fields out of range: segmentNumber=" + number + " firstSequence="
                    + first + " predecessorSegment=" + predecessor + " predecessorEndBytes=" + predecessorEnd
                    + " (file=" + fileName + " offset=16)");
        }
        return new Decoded(new SegmentHeader(h.getInt(12), number, h.getLong(24), first, predecessor, predecessorEnd,
                recordBytesMax), null);
    }

    /** A header, or the reason the bytes are not one. */
    public record Decoded(SegmentHeader header, String problem) {
        static Decoded bad(String problem) {
            return new Decoded(null, problem);
        }

        public boolean valid() {
            return header != null;
        }
    }
}
