package dev.walnut.format;

import static dev.walnut.format.IndexFile.BLOCK_BYTES_MAX;
import static dev.walnut.format.IndexFile.BLOCK_HEADER_BYTES;
import static dev.walnut.format.IndexFile.ENTRY_BYTES_MIN;
import static dev.walnut.format.IndexFile.FOOTER_BYTES;
import static dev.walnut.format.IndexFile.HEADER_BYTES;
import static dev.walnut.format.IndexFile.INLINE_VALUE_BYTES_MAX;
import static dev.walnut.format.RecordFormat.KEY_BYTES_MAX;
import static dev.walnut.format.RecordFormat.RECORD_BYTES_LIMIT_MAX;
import static dev.walnut.format.RecordFormat.SEGMENT_HEADER_BYTES;

import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads an index file (layout in {@link IndexFile}) in two passes through positional reads into
 * one reused window: {@link #verify} checks everything without allocating per entry, so a caller
 * never applies half an index; {@link #read} then streams the entries. Every length read from the
 * file is checked against its limit and against the bytes left before anything is read or
 * allocated for it. Damage is a {@link MalformedIndexException}; an I/O error stays an
 * {@link IOException}, even when the file ends early under the reader (the size was checked first).
 */
public final class IndexFileReader {

    /** The smallest window: room for a header, a footer and a block header. */
    public static final int WINDOW_BYTES_MIN = 4096;

    private final WalFile file;
    private final String fileName;
    private final IndexFile.Header header;
    private final IndexFile.Checksum checksum = new IndexFile.Checksum();
    private final ByteBuffer window;
    private final ByteBuffer view;
    private long windowStartBytes;
    /** The previous key and the current one, swapped after each entry: the order check allocates nothing. */
    private byte[] previousKey = new byte[KEY_BYTES_MAX];
    private byte[] currentKey = new byte[KEY_BYTES_MAX];
    private int previousKeyLength;
    private long entryCount;
    private long deleteCount;
    private long keyBytes;
    private long blockCount;

    private IndexFileReader(WalFile file, String fileName, IndexFile.Header header, int windowBytes) {
        if (windowBytes < WINDOW_BYTES_MIN) {
            throw new IllegalArgumentException("index read window too small: windowBytes=" + windowBytes + " min="
                    + WINDOW_BYTES_MIN);
        }
        this.file = file;
        this.fileName = fileName;
        this.header = header;
        this.window = ByteBuffer.allocateDirect(windowBytes).order(ByteOrder.LITTLE_ENDIAN).limit(0);
        this.view = window.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Pass 1: checks the header against what the caller expects (base flag, data file number,
     * salt, a covered end within the data file), the footer, every block's length and checksum,
     * every entry's fields, strict key order across blocks, and the entry and block counts against
     * the footer. Allocates the window and two key buffers, nothing per entry.
     *
     * @param file        the index file
     * @param fileName    its name, for messages
     * @param expected    what the caller knows about the data file
     * @param windowBytes the read window, at least {@link #WINDOW_BYTES_MIN}
     * @return the header and totals, to pass to {@link #read}
     * @throws MalformedIndexException if the file is torn, damaged, or describes another data file
     * @throws IOException             on an I/O error, never reported as damage
     */
    public static IndexFile.Summary verify(WalFile file, String fileName, IndexFile.Expected expected, int windowBytes)
            throws IOException, MalformedIndexException {
        long fileBytes = file.sizeBytes();
        if (fileBytes < HEADER_BYTES + FOOTER_BYTES) {
            throw new MalformedIndexException("index file too short: expected at least " + (HEADER_BYTES + FOOTER_BYTES)
                    + " actual=" + fileBytes + " bytes", fileName, 0);
        }
        IndexFile.Header header = IndexFile.Header.decode(readAt(file, 0, HEADER_BYTES), fileName);
        checkExpected(header, expected, fileName);
        IndexFileReader reader = new IndexFileReader(file, fileName, header, windowBytes);
        long footerOffsetBytes = fileBytes - FOOTER_BYTES;
        IndexFile.Footer footer = IndexFile.Footer.decode(reader.checksum,
                readAt(file, footerOffsetBytes, FOOTER_BYTES), header.dataFileSalt(), footerOffsetBytes, fileName);
        reader.walk(footerOffsetBytes, null);
        reader.checkTotals(footer.entryCount(), footer.blockCount(), footerOffsetBytes, "footer");
        return new IndexFile.Summary(header, reader.entryCount, reader.deleteCount, reader.keyBytes,
                reader.blockCount, fileBytes);
    }

    /**
     * Pass 2, only after {@link #verify} passed on the same file: streams every entry, in key
     * order, into {@code sink}, each with fresh arrays. Checks everything again, so a file changed
     * since verify fails here too (though the sink may then have seen some entries).
     *
     * @param file        the index file
     * @param fileName    its name, for messages
     * @param summary     what {@link #verify} returned for this file
     * @param windowBytes the read window, at least {@link #WINDOW_BYTES_MIN}
     * @param sink        receives the entries
     * @return the number of entries passed to {@code sink}
     * @throws MalformedIndexException if the file no longer matches {@code summary} or is damaged
     * @throws IOException             on an I/O error, never reported as damage
     */
    public static long read(WalFile file, String fileName, IndexFile.Summary summary, int windowBytes,
                            IndexFile.EntrySink sink) throws IOException, MalformedIndexException {
        long fileBytes = file.sizeBytes();
        if (fileBytes != summary.fileBytes()) {
            throw new MalformedIndexException("index file changed since it was verified: expected size="
                    + summary.fileBytes() + " actual=" + fileBytes, fileName, 0);
        }
        IndexFileReader reader = new IndexFileReader(file, fileName, summary.header(), windowBytes);
        reader.walk(summary.footerOffsetBytes(), sink);
        reader.checkTotals(summary.entryCount(), summary.blockCount(), summary.footerOffsetBytes(), "verified");
        return reader.entryCount;
    }

    private static void checkExpected(IndexFile.Header header, IndexFile.Expected expected, String fileName)
            throws MalformedIndexException {
        if (header.base() != expected.base() || header.dataFileNumber() != expected.dataFileNumber()) {
            throw new MalformedIndexException("index of another data file: expected " + describe(expected.base(),
                    expected.dataFileNumber()) + " actual " + describe(header.base(), header.dataFileNumber()),
                    fileName, 12);
        }
        if (header.dataFileSalt() != expected.dataFileSalt()) {
            throw new MalformedIndexException(String.format("index of another incarnation of its data file:"
                    + " salt expected=0x%016x actual=0x%016x", expected.dataFileSalt(), header.dataFileSalt()),
                    fileName, 24);
        }
        if (header.coveredEndBytes() > expected.dataFileSizeBytes()) {
            throw new MalformedIndexException("index covers more than its data file holds: coveredEndBytes="
                    + header.coveredEndBytes() + " dataFileSizeBytes=" + expected.dataFileSizeBytes(), fileName, 32);
        }
    }

    private static String describe(boolean base, long number) {
        return (base ? "base" : "segment") + " dataFileNumber=" + number;
    }

    /** A small fixed read (header, footer) into a buffer of its own; the size was checked by the caller. */
    private static ByteBuffer readAt(WalFile file, long offsetBytes, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        file.readFully(offsetBytes, buffer);
        return buffer.flip();
    }

    private void checkTotals(long expectedEntries, long expectedBlocks, long footerOffsetBytes, String source)
            throws MalformedIndexException {
        if (entryCount != expectedEntries || blockCount != expectedBlocks) {
            throw new MalformedIndexException("index entry or block count mismatch: expected totalEntries="
                    + expectedEntries + " totalBlocks=" + expectedBlocks + " (" + source + ") actual totalEntries="
                    + entryCount + " totalBlocks=" + blockCount, fileName, footerOffsetBytes);
        }
    }

    /** Every block from the header's end to {@code endBytes}, which must end exactly there. */
    private void walk(long endBytes, IndexFile.EntrySink sink) throws IOException, MalformedIndexException {
        long at = HEADER_BYTES;
        while (at < endBytes) {
            at = block(at, endBytes, sink);
        }
    }

    /** Verifies and decodes the block at {@code at}; returns where the next one starts. */
    private long block(long at, long endBytes, IndexFile.EntrySink sink) throws IOException, MalformedIndexException {
        long left = endBytes - at;
        if (left < BLOCK_HEADER_BYTES) {
            throw malformed("index block header cut short: expected=" + BLOCK_HEADER_BYTES + " actual=" + left
                    + " bytes before the footer", at);
        }
        ByteBuffer h = bytesAt(at, BLOCK_HEADER_BYTES, endBytes);
        int blockBytes = h.getInt(h.position());
        int blockEntries = h.getInt(h.position() + 4);
        int storedCrc = h.getInt(h.position() + 8);
        long declaredBytes = Integer.toUnsignedLong(blockBytes);
        if (declaredBytes == 0 || declaredBytes > BLOCK_BYTES_MAX) {
            throw malformed("index block length out of range: blockBytes=" + declaredBytes + " expected in [1, "
                    + BLOCK_BYTES_MAX + "]", at);
        }
        if (declaredBytes > left - BLOCK_HEADER_BYTES) {
            throw malformed("index block runs past the footer: blockBytes=" + declaredBytes + " remaining="
                    + (left - BLOCK_HEADER_BYTES), at);
        }
        ByteBuffer entries = blockAt(at, BLOCK_HEADER_BYTES + blockBytes, endBytes);
        int computedCrc = checksum.block(header.dataFileSalt(), at, blockBytes, blockEntries, entries);
        if (computedCrc != storedCrc) {
            throw malformed(String.format("index block checksum mismatch: expected=0x%08x actual=0x%08x",
                    computedCrc, storedCrc), at);
        }
        long declaredEntries = Integer.toUnsignedLong(blockEntries);
        if (declaredEntries == 0 || declaredEntries > declaredBytes / ENTRY_BYTES_MIN) {
            throw malformed("index block entry count out of range: entryCount=" + declaredEntries + " expected in [1, "
                    + declaredBytes / ENTRY_BYTES_MIN + "] for blockBytes=" + declaredBytes, at);
        }
        long entriesAt = at + BLOCK_HEADER_BYTES - entries.position();
        for (long i = 0; i < declaredEntries; i++) {
            entry(entries, entriesAt, sink);
        }
        if (entries.hasRemaining()) {
            throw malformed("index block has bytes after its last entry: entryCount=" + declaredEntries
                    + " remaining=" + entries.remaining(), entriesAt + entries.position());
        }
        blockCount++;
        return at + BLOCK_HEADER_BYTES + declaredBytes;
    }

    /**
     * Decodes one entry; {@code base} maps a position in {@code entries} to its file offset. Checks
     * fields and order, then hands fresh copies to the sink, if any.
     */
    private void entry(ByteBuffer entries, long base, IndexFile.EntrySink sink) throws MalformedIndexException {
        long entryAt = base + entries.position();
        if (!entries.hasRemaining()) {
            throw malformed("index block ends inside its entries: entry=" + entryCount, entryAt);
        }
        byte kind = entries.get();
        int keyLength = length(entries, base, "keyLength", 1, KEY_BYTES_MAX, true);
        entries.get(currentKey, 0, keyLength);
        checkOrder(keyLength, entryAt);
        if (kind == IndexFile.KIND_PUT) {
            locator(entries, base, entryAt, keyLength, sink);
        } else if (kind == IndexFile.KIND_PUT_INLINE) {
            int valueLength = length(entries, base, "valueLength", 0, INLINE_VALUE_BYTES_MAX, true);
            if (sink == null) {
                entries.position(entries.position() + valueLength);
            } else {
                byte[] value = new byte[valueLength];
                entries.get(value);
                sink.putInline(freshKey(keyLength), value);
            }
        } else if (kind == IndexFile.KIND_DELETE) {
            deleteCount++;
            if (sink != null) {
                sink.delete(freshKey(keyLength));
            }
        } else {
            throw malformed("unknown index entry kind: expected=1|2|3 actual=" + kind + " entry=" + entryCount, entryAt);
        }
        byte[] swap = previousKey;
        previousKey = currentKey;
        currentKey = swap;
        previousKeyLength = keyLength;
        keyBytes += keyLength;
        entryCount++;
    }

    private void locator(ByteBuffer entries, long base, long entryAt, int keyLength, IndexFile.EntrySink sink)
            throws MalformedIndexException {
        int valueLength = length(entries, base, "valueLength", 0, RECORD_BYTES_LIMIT_MAX, false);
        long cellOffset;
        int fieldAt = entries.position();
        try {
            cellOffset = Varints.get64(entries);
        } catch (MalformedRecordException e) {
            throw malformed("bad index cellOffset: " + e.getMessage() + " entry=" + entryCount, base + fieldAt);
        }
        int cellLength = length(entries, base, "cellLength", 1, Integer.MAX_VALUE, false);
        long coveredEnd = header.coveredEndBytes();
        if (cellOffset < SEGMENT_HEADER_BYTES || cellOffset > coveredEnd - cellLength) {
            throw malformed("index locator outside the covered data: cellOffset=" + Long.toUnsignedString(cellOffset)
                    + " cellLength=" + cellLength + " expected the cell within [" + SEGMENT_HEADER_BYTES + ", "
                    + coveredEnd + "] (coveredEndBytes) entry=" + entryCount, entryAt);
        }
        if (sink != null) {
            sink.put(freshKey(keyLength), valueLength, cellOffset, cellLength);
        }
    }

    /**
     * A varint within [min, max]; when {@code bytesFollow} (a key's or inline value's length), also
     * within what is left of the block.
     */
    private int length(ByteBuffer entries, long base, String field, int min, int max, boolean bytesFollow)
            throws MalformedIndexException {
        int fieldAt = entries.position();
        int value;
        try {
            value = Varints.get32(entries);
        } catch (MalformedRecordException e) {
            throw malformed("bad index " + field + ": " + e.getMessage() + " entry=" + entryCount, base + fieldAt);
        }
        if (value < min || value > max) {
            throw malformed("index " + field + " out of range: " + field + "=" + value + " expected in [" + min + ", "
                    + max + "] entry=" + entryCount, base + fieldAt);
        }
        if (bytesFollow && value > entries.remaining()) {
            throw malformed("index " + field + " runs past its block: " + field + "=" + value + " remaining="
                    + entries.remaining() + " entry=" + entryCount, base + fieldAt);
        }
        return value;
    }

    private void checkOrder(int keyLength, long entryAt) throws MalformedIndexException {
        if (previousKeyLength > 0
                && Arrays.compareUnsigned(previousKey, 0, previousKeyLength, currentKey, 0, keyLength) >= 0) {
            throw malformed("index keys out of order: entry=" + entryCount + " keyLength=" + keyLength
                    + " previousKeyLength=" + previousKeyLength + " expected a strictly greater key", entryAt);
        }
    }

    private byte[] freshKey(int keyLength) {
        return Arrays.copyOf(currentKey, keyLength);
    }

    /** Bytes [at, at + length) as a view into the window, refilling it from {@code at} if needed. */
    private ByteBuffer bytesAt(long at, int length, long endBytes) throws IOException {
        if (at < windowStartBytes || at + length > windowStartBytes + window.limit()) {
            fill(at, length, endBytes);
        }
        int from = (int) (at - windowStartBytes);
        return view.limit(from + length).position(from);
    }

    /**
     * The entries of the block at {@code at}, {@code length} bytes with its header, positioned past
     * the header: a window view, or, for a block larger than the window, a buffer of exactly its
     * size filled through the window (length already checked against BLOCK_BYTES_MAX).
     */
    private ByteBuffer blockAt(long at, int length, long endBytes) throws IOException {
        if (length <= window.capacity()) {
            return bytesAt(at, length, endBytes).position(view.position() + BLOCK_HEADER_BYTES);
        }
        ByteBuffer large = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        for (int done = 0; done < length; ) {
            int chunk = Math.min(window.capacity(), length - done);
            large.put(bytesAt(at + done, chunk, endBytes));
            done += chunk;
        }
        return large.flip().position(BLOCK_HEADER_BYTES);
    }

    private void fill(long at, int atLeast, long endBytes) throws IOException {
        int want = (int) Math.min(window.capacity(), endBytes - at);
        assert want >= atLeast : "read past the blocks: length=" + atLeast + " remaining=" + (endBytes - at);
        window.clear().limit(want);
        windowStartBytes = at;
        long position = at;
        while (window.hasRemaining()) {
            int n = file.read(position, window);
            if (n < 0) {
                // The size was read first: a file that ends early under the reader is an I/O fault.
                window.limit(0);
                throw new IOException("index file ended while reading: expected end=" + (endBytes + FOOTER_BYTES)
                        + " actual end=" + position + " (file=" + fileName + " offset=" + position + ")");
            }
            position += n;
        }
        window.flip();
    }

    private MalformedIndexException malformed(String what, long offsetBytes) {
        return new MalformedIndexException(what, fileName, offsetBytes);
    }
}
