package dev.walnut.log;

import static dev.walnut.format.RecordFormat.FLAGS_KNOWN;
import static dev.walnut.format.RecordFormat.PREAMBLE_BYTES;
import static dev.walnut.format.RecordFormat.RECORD_HEADER_BYTES;
import static dev.walnut.format.RecordFormat.SEGMENT_HEADER_BYTES;

import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.SegmentHeader;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Walks one segment record by record through positional reads into a fixed window, so a pass over
 * the file costs one read per window, not two per record. A record larger than the window gets a
 * buffer of exactly its size, filled through the window (a FileChannel read into a large heap
 * buffer would allocate a hidden direct buffer as large as the read).
 *
 * <p>Each {@link #next()} reports a record, the clean end, or damage; the reader never decides what
 * damage means. An I/O error is thrown, never reported as damage or end.
 */
public final class SegmentReader implements AutoCloseable {

    /** What {@link #next()} found at {@link #offsetBytes()}. */
    public enum Step { RECORD, END, DAMAGE, MALFORMED }

    private final WalFile file;
    private final String fileName;
    private final SegmentHeader header;
    private final long endBytes;
    private final RecordCodec codec;
    private final ReadMeter meter;
    private final ByteBuffer window;
    /** Reused views into the window: one allocation per reader, not several per record. */
    private final ByteBuffer headerView;
    private final ByteBuffer payloadView;
    private long windowStartBytes;
    private long bytesRead;
    private ByteBuffer large;

    private long positionBytes = SEGMENT_HEADER_BYTES;
    private long offsetBytes;
    private int recordBytes;
    private int flags;
    private long sequence;
    private long syncedThroughBytes;
    private ByteBuffer body;
    private String problem;

    /**
     * @param endBytes where reading stops: the file size, or less when a successor declares the
     *                 valid end; never more than the file size
     */
    public SegmentReader(WalFile file, String fileName, SegmentHeader header, long endBytes, int windowBytes,
                         RecordCodec codec, ReadMeter meter) {
        this.file = file;
        this.fileName = fileName;
        this.header = header;
        this.endBytes = endBytes;
        this.codec = codec;
        this.meter = meter;
        this.window = ByteBuffer.allocateDirect(windowBytes).order(ByteOrder.LITTLE_ENDIAN).limit(0);
        this.headerView = window.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.payloadView = window.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        meter.acquire(windowBytes);
        meter.acquire(codec.scratchBytes());
    }

    public SegmentHeader header() {
        return header;
    }

    public String fileName() {
        return fileName;
    }

    public long endBytes() {
        return endBytes;
    }

    /** Bytes read from the file so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Where the next {@link #next()} reads. */
    public long positionBytes() {
        return positionBytes;
    }

    public void seek(long offsetBytes) {
        if (offsetBytes < SEGMENT_HEADER_BYTES || offsetBytes > endBytes) {
            throw new IllegalArgumentException("seek outside the records: offset=" + offsetBytes + " expected in ["
                    + SEGMENT_HEADER_BYTES + ", " + endBytes + "]" + where(offsetBytes));
        }
        positionBytes = offsetBytes;
    }

    public long offsetBytes() {
        return offsetBytes;
    }

    public int recordBytes() {
        return recordBytes;
    }

    public int flags() {
        return flags;
    }

    public long sequence() {
        return sequence;
    }

    public long syncedThroughBytes() {
        return syncedThroughBytes;
    }

    /** The uncompressed body of the last record, as a fresh view; valid until the next call. */
    public ByteBuffer body() {
        return body.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Why the last step was DAMAGE or MALFORMED, with file and offset. */
    public String problem() {
        return problem;
    }

    public Step next() throws IOException {
        offsetBytes = positionBytes;
        Step step = readAt(offsetBytes);
        if (step == Step.RECORD) {
            positionBytes = offsetBytes + recordBytes;
        }
        return step;
    }

    /**
     * Scans forward from {@code fromBytes}, at every byte offset, for a record that is valid under
     * this segment's salt at its own offset and whose sequence exceeds {@code sequenceAbove}. On
     * success the record is the current one and the reader is positioned after it.
     *
     * @return true if one was found before the end
     */
    public boolean scanForward(long fromBytes, long sequenceAbove) throws IOException {
        for (long at = fromBytes; at + RECORD_HEADER_BYTES + PREAMBLE_BYTES <= endBytes; at++) {
            ByteBuffer h = bytesAt(at, RECORD_HEADER_BYTES);
            long payloadLength = Integer.toUnsignedLong(h.getInt(h.position()));
            if (payloadLength < PREAMBLE_BYTES || at + RECORD_HEADER_BYTES + payloadLength > endBytes
                    || RECORD_HEADER_BYTES + payloadLength > header.recordBytesMax()) {
                continue;
            }
            int payloadCrc = h.getInt(h.position() + 4);
            if (h.getInt(h.position() + 8) != codec.headerChecksum(header.salt(), at, (int) payloadLength, payloadCrc)) {
                continue;
            }
            offsetBytes = at;
            if (readAt(at) == Step.RECORD && sequence > sequenceAbove) {
                positionBytes = at + recordBytes;
                return true;
            }
        }
        return false;
    }

    private Step readAt(long at) throws IOException {
        releaseLarge();
        long remaining = endBytes - at;
        if (remaining == 0) {
            return Step.END;
        }
        if (remaining < RECORD_HEADER_BYTES) {
            return damage("record header cut short: expected=" + RECORD_HEADER_BYTES + " actual=" + remaining
                    + " bytes");
        }
        ByteBuffer h = bytesAt(at, RECORD_HEADER_BYTES);
        int base = h.position();
        int payloadLengthField = h.getInt(base);
        int payloadCrc = h.getInt(base + 4);
        int storedHeaderCrc = h.getInt(base + 8);
        int expectedHeaderCrc = codec.headerChecksum(header.salt(), at, payloadLengthField, payloadCrc);
        if (payloadLengthField == 0 && payloadCrc == 0 && storedHeaderCrc == 0) {
            return damage("zeroed record header");
        }
        if (storedHeaderCrc != expectedHeaderCrc) {
            return damage(String.format("record header checksum mismatch: expected=0x%08x actual=0x%08x",
                    expectedHeaderCrc, storedHeaderCrc));
        }
        long payloadLength = Integer.toUnsignedLong(payloadLengthField);
        if (payloadLength < PREAMBLE_BYTES || RECORD_HEADER_BYTES + payloadLength > header.recordBytesMax()) {
            return damage("record length out of range: payloadLength=" + payloadLength + " min=" + PREAMBLE_BYTES
                    + " recordBytesMax=" + header.recordBytesMax() + " (the segment's own limit)");
        }
        if (payloadLength > remaining - RECORD_HEADER_BYTES) {
            return damage("payload runs past end: payloadLength=" + payloadLength + " remaining="
                    + (remaining - RECORD_HEADER_BYTES));
        }
        recordBytes = (int) (RECORD_HEADER_BYTES + payloadLength);
        ByteBuffer payload = payloadAt(at, recordBytes);
        int actualPayloadCrc = codec.payloadChecksum(payload);
        if (actualPayloadCrc != payloadCrc) {
            return damage(String.format("payload checksum mismatch: expected=0x%08x actual=0x%08x",
                    payloadCrc, actualPayloadCrc));
        }
        try {
            decodePreamble(payload, at);
        } catch (MalformedRecordException e) {
            problem = e.getMessage() + where(at);
            return Step.MALFORMED;
        }
        return Step.RECORD;
    }

    private void decodePreamble(ByteBuffer payload, long at) throws MalformedRecordException {
        int p = payload.position();
        flags = payload.get(p) & 0xFF;
        sequence = payload.getLong(p + 1);
        syncedThroughBytes = payload.getLong(p + 9);
        int bodyBytes = payload.getInt(p + 17);
        if ((flags & ~FLAGS_KNOWN) != 0) {
            throw new MalformedRecordException("unknown record flags: flags=0x" + Integer.toHexString(flags));
        }
        if (syncedThroughBytes < SEGMENT_HEADER_BYTES || syncedThroughBytes > at) {
            throw new MalformedRecordException("syncedThrough out of range: syncedThrough=" + syncedThroughBytes
                    + " expected in [" + SEGMENT_HEADER_BYTES + ", " + at + "]");
        }
        ByteBuffer stored = payload.position(p + PREAMBLE_BYTES);
        if (bodyBytes != stored.remaining()) {
            throw new MalformedRecordException("body length mismatch: expected=" + bodyBytes + " actual="
                    + stored.remaining());
        } else {
            body = stored;
        }
    }

    /**
     * Bytes [at, at + length) as the header view into the window, refilling the window from
     * {@code at} if needed. Valid until the next read.
     */
    private ByteBuffer bytesAt(long at, int length) throws IOException {
        if (length > window.capacity()) {
            throw new IllegalStateException("read larger than the window: length=" + length + " windowBytes="
                    + window.capacity() + where(at));
        }
        int from = windowOffset(at, length);
        return headerView.limit(from + length).position(from);
    }

    private int windowOffset(long at, int length) throws IOException {
        if (at < windowStartBytes || at + length > windowStartBytes + window.limit()) {
            fill(at, length);
        }
        return (int) (at - windowStartBytes);
    }

    /** The payload of the record at {@code at}: a view into the window, or a buffer of exactly its size. */
    private ByteBuffer payloadAt(long at, int length) throws IOException {
        if (length <= window.capacity()) {
            int from = windowOffset(at, length);
            return payloadView.limit(from + length).position(from + RECORD_HEADER_BYTES);
        }
        large = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        meter.acquire(length);
        for (long done = 0; done < length; ) {
            int chunk = (int) Math.min(window.capacity(), length - done);
            large.put(bytesAt(at + done, chunk));
            done += chunk;
        }
        return large.flip().position(RECORD_HEADER_BYTES);
    }

    private void fill(long at, int atLeast) throws IOException {
        int want = (int) Math.min(window.capacity(), endBytes - at);
        if (want < atLeast) {
            throw new IllegalStateException("read past the end: length=" + atLeast + " remaining=" + (endBytes - at)
                    + where(at));
        }
        window.clear().limit(want);
        windowStartBytes = at;
        long position = at;
        while (window.hasRemaining()) {
            int n = file.read(position, window);
            if (n < 0) {
                // The size was taken under the store lock: a file that ends early is an I/O fault.
                window.limit(0);
                throw new IOException("segment ended while reading: expected end=" + endBytes + " actual end="
                        + position + " (file=" + fileName + " offset=" + position + ")");
            }
            position += n;
            bytesRead += n;
        }
        window.flip();
    }

    private void releaseLarge() {
        if (large != null) {
            meter.release(large.capacity());
            large = null;
        }
    }

    private Step damage(String what) {
        problem = what + where(offsetBytes);
        return Step.DAMAGE;
    }

    private String where(long at) {
        return " (file=" + fileName + " offset=" + at + ")";
    }

    @Override
    public void close() {
        releaseLarge();
        meter.release(window.capacity());
        meter.release(codec.scratchBytes());
    }
}
