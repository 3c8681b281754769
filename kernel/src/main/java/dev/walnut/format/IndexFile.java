package dev.walnut.format;

import static dev.walnut.format.RecordFormat.KEY_BYTES_MAX;
import static dev.walnut.format.RecordFormat.SEGMENT_HEADER_BYTES;
import static dev.walnut.format.RecordFormat.SEGMENT_NUMBER_MAX;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of an index file (a hint file): for one data file (a log segment
 * {@code wal-NNNNNNNNNN.log} or a compacted base {@code base-NNNNNNNNNN.log}) the final state of
 * every key that file wrote, in strictly increasing unsigned-byte key order, so open can rebuild
 * the in-memory index without reading values. Written by {@link IndexFileWriter}, read by
 * {@link IndexFileReader}. Everything is little-endian.
 *
 * <pre>
 * Index file, named after its data file (wal-0000000003.log -&gt; wal-0000000003.idx), written whole
 * as &lt;name&gt;.tmp, synced, then renamed into place:
 * +-------------------+-------+-------+-----+-------+------------------+
 * | header (64 B)     | block | block | ... | block | footer (32 B)    |
 * +-------------------+-------+-------+-----+-------+------------------+
 *
 * Header, 64 bytes:
 *   0  magic               8  "WALNUTIX"
 *   8  formatVersion       u32   1
 *  12  flags               u32   bit 0: the data file is a compacted base
 *  16  dataFileNumber      u64   the number in the data file's name
 *  24  dataFileSalt        u64   the data file's segment-header salt: an index of another
 *                                 incarnation of the data file fails; seeds every block and footer checksum
 *  32  coveredEndBytes     u64   the data file offset where the last indexed record ends; records
 *                                 from here on are not covered and are replayed
 *  40  lastSequence        u64   sequence number of the last covered record
 *  48  reserved            12    zero
 *  60  headerCrc           u32   CRC32C of bytes 0..59
 *
 * Block = 12-byte header + entries; entries fill a block up to BLOCK_TARGET_BYTES (64 KiB), an
 * entry that would cross it starts the next block, and an entry larger than it has a block of
 * its own, so blockBytes &lt;= BLOCK_BYTES_MAX:
 *   0  blockBytes          u32   bytes of entries that follow, 1..BLOCK_BYTES_MAX
 *   4  entryCount          u32   1..blockBytes / ENTRY_BYTES_MIN
 *   8  blockCrc            u32   CRC32C of (dataFileSalt u64, the block's file offset u64, bytes 0..7,
 *                                 the entries): a block moved or from another incarnation fails it
 *  12  entries             blockBytes
 *
 * Entry:
 *   kind u8 | keyLength varint (1..KEY_BYTES_MAX) | key | by kind:
 *     1 put with locator:  valueLength varint | cellOffset varint64 | cellLength varint
 *                          (SEGMENT_HEADER_BYTES &lt;= cellOffset, 0 &lt; cellLength,
 *                           cellOffset + cellLength &lt;= coveredEndBytes)
 *     2 put inline:        valueLength varint (0..INLINE_VALUE_BYTES_MAX) | value
 *     3 delete:            nothing
 *   Keys increase strictly (unsigned bytes) across the whole file.
 *
 * Footer (the seal), 32 bytes, the last bytes of the file; a file without it is torn, hence damaged:
 *   0  magic               8  "WALNUTIE"
 *   8  totalEntries        u64
 *  16  totalBlocks         u32
 *  20  footerOffset        u64   the footer's own file offset: file size - 32
 *  28  footerCrc           u32   CRC32C of (dataFileSalt u64, bytes 0..27)
 *
 * Varints: unsigned LEB128 in their shortest form; lengths at most 5 bytes, cellOffset at most 10.
 * </pre>
 */
public final class IndexFile {

    /** Size of the header. */
    public static final int HEADER_BYTES = 64;
    /** Size of the footer. */
    public static final int FOOTER_BYTES = 32;
    /** Size of a block's header: blockBytes, entryCount, blockCrc. */
    public static final int BLOCK_HEADER_BYTES = 12;
    /** "WALNUTIX" little-endian. */
    public static final long HEADER_MAGIC = 0x5849_5455_4E4C_4157L;
    /** "WALNUTIE" little-endian. */
    public static final long FOOTER_MAGIC = 0x4549_5455_4E4C_4157L;
    /** The only index format version so far. */
    public static final int FORMAT_VERSION = 1;
    /** Header flag: the data file is a compacted base, not a log segment. */
    public static final int FLAG_BASE = 1;
    /** Every header flag this version knows. */
    public static final int FLAGS_KNOWN = FLAG_BASE;

    /** Entry kind: a put whose value stays in the data file, found by its locator. */
    public static final byte KIND_PUT = 1;
    /** Entry kind: a put whose value is small enough to live in the index. */
    public static final byte KIND_PUT_INLINE = 2;
    /** Entry kind: a delete. */
    public static final byte KIND_DELETE = 3;

    /** A value at most this long is kept in the index (and in memory) instead of a locator. */
    public static final int INLINE_VALUE_BYTES_MAX = 12;
    /** The smallest entry: kind, a one-byte key length, a one-byte key (a delete). */
    public static final int ENTRY_BYTES_MIN = 3;
    /** The largest entry: a locator put of a largest key with largest varints. */
    public static final int ENTRY_BYTES_MAX = 1 + Varints.BYTES_MAX_32 + KEY_BYTES_MAX
            + Math.max(Varints.BYTES_MAX_32 + Varints.BYTES_MAX_64 + Varints.BYTES_MAX_32,
                    Varints.BYTES_MAX_32 + INLINE_VALUE_BYTES_MAX);
    /** Entries fill a block up to this many bytes: one checksum per this much. */
    public static final int BLOCK_TARGET_BYTES = 64 * 1024;
    /** The reader's limit on a block's declared length, checked before anything is read or allocated. */
    public static final int BLOCK_BYTES_MAX = BLOCK_TARGET_BYTES + ENTRY_BYTES_MAX;

    /** An index file is written under its name plus this suffix, synced, then renamed into place. */
    public static final String TEMP_SUFFIX = ".tmp";
    /** The suffix of an index file's name; the data file's is {@code .log}. */
    public static final String SUFFIX = ".idx";
    private static final String DATA_SUFFIX = ".log";

    private static final int HEADER_CRC_OFFSET = HEADER_BYTES - 4;
    private static final int FOOTER_CRC_OFFSET = FOOTER_BYTES - 4;

    static {
        if (HEADER_CRC_OFFSET != 8 + 4 + 4 + 8 * 5 + 4) {
            throw new ExceptionInInitializerError("index header fields do not end where its checksum starts");
        }
        if (FOOTER_CRC_OFFSET != 8 + 8 + 4 + 8) {
            throw new ExceptionInInitializerError("index footer fields do not end where its checksum starts");
        }
        if (ENTRY_BYTES_MAX > BLOCK_BYTES_MAX || BLOCK_TARGET_BYTES > BLOCK_BYTES_MAX) {
            throw new ExceptionInInitializerError("an entry or a full block would exceed BLOCK_BYTES_MAX");
        }
        if (INLINE_VALUE_BYTES_MAX >= Varints.BYTES_MAX_32 + Varints.BYTES_MAX_64 + Varints.BYTES_MAX_32) {
            throw new ExceptionInInitializerError("an inline value should be smaller than the largest locator");
        }
    }

    private IndexFile() {
    }

    /**
     * The index file name of a data file.
     *
     * @param dataFileName a segment ({@code wal-0000000003.log}) or base ({@code base-0000000007.log}) name
     * @return the index file's name ({@code wal-0000000003.idx}, {@code base-0000000007.idx})
     * @throws IllegalArgumentException if {@code dataFileName} is neither a segment's nor a base's name
     */
    public static String nameFor(String dataFileName) {
        if (dataFileName == null || !RecordFormat.isLogFileName(dataFileName)) {
            throw new IllegalArgumentException("not a segment or base file name: name=" + dataFileName);
        }
        return dataFileName.substring(0, dataFileName.length() - DATA_SUFFIX.length()) + SUFFIX;
    }

    /**
     * Whether {@code name} is an index file's name (not its temp file's).
     *
     * @param name a file name
     * @return true for {@code wal-NNNNNNNNNN.idx} and {@code base-NNNNNNNNNN.idx}
     */
    public static boolean isIndexFileName(String name) {
        return name != null && name.endsWith(SUFFIX)
                && RecordFormat.isLogFileName(name.substring(0, name.length() - SUFFIX.length()) + DATA_SUFFIX);
    }

    /**
     * The header of an index file: which data file it covers and how far.
     *
     * @param base            whether the data file is a compacted base rather than a log segment
     * @param dataFileNumber  the number in the data file's name, 1..{@link RecordFormat#SEGMENT_NUMBER_MAX}
     * @param dataFileSalt    the data file's segment-header salt
     * @param coveredEndBytes where the last indexed record ends in the data file; at least
     *                        {@link RecordFormat#SEGMENT_HEADER_BYTES}
     * @param lastSequence    sequence number of the last covered record; not negative
     */
    public record Header(boolean base, long dataFileNumber, long dataFileSalt, long coveredEndBytes,
                         long lastSequence) {

        /**
         * Checks the same ranges {@link #decode} checks: a header that would not decode is never built.
         *
         * @throws IllegalArgumentException if a field is out of range
         */
        public Header {
            if (dataFileNumber <= 0 || dataFileNumber > SEGMENT_NUMBER_MAX || coveredEndBytes < SEGMENT_HEADER_BYTES
                    || lastSequence < 0) {
                throw new IllegalArgumentException("index header fields out of range: dataFileNumber=" + dataFileNumber
                        + " coveredEndBytes=" + coveredEndBytes + " lastSequence=" + lastSequence);
            }
        }

        /**
         * The header's bytes.
         *
         * @return a fresh buffer of {@link IndexFile#HEADER_BYTES} bytes, positioned at 0
         */
        public ByteBuffer encode() {
            ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(HEADER_MAGIC)
                    .putInt(FORMAT_VERSION)
                    .putInt(base ? FLAG_BASE : 0)
                    .putLong(dataFileNumber)
                    .putLong(dataFileSalt)
                    .putLong(coveredEndBytes)
                    .putLong(lastSequence)
                    .putLong(0)
                    .putInt(0);
            CRC32C crc = new CRC32C();
            crc.update(buffer.array(), 0, HEADER_CRC_OFFSET);
            buffer.putInt((int) crc.getValue());
            return buffer.flip();
        }

        /**
         * Decodes and verifies a header read from the start of {@code fileName}.
         *
         * @param source   the bytes from its position on; its position is left alone
         * @param fileName the index file's name, for messages
         * @return the header
         * @throws MalformedIndexException if the bytes are cut short, not an index header, fail
         *                                 their checksum, or hold an unknown version, unknown flags,
         *                                 nonzero reserved bytes or out-of-range fields
         */
        public static Header decode(ByteBuffer source, String fileName) throws MalformedIndexException {
            if (source.remaining() < HEADER_BYTES) {
                throw new MalformedIndexException("index header cut short: expected=" + HEADER_BYTES + " actual="
                        + source.remaining() + " bytes", fileName, 0);
            }
            byte[] bytes = new byte[HEADER_BYTES];
            source.slice().get(bytes);
            ByteBuffer h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (h.getLong(0) != HEADER_MAGIC) {
                throw new MalformedIndexException(String.format("not an index file: magic expected=0x%016x"
                        + " actual=0x%016x", HEADER_MAGIC, h.getLong(0)), fileName, 0);
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, HEADER_CRC_OFFSET);
            int expectedCrc = (int) crc.getValue();
            int actualCrc = h.getInt(HEADER_CRC_OFFSET);
            if (expectedCrc != actualCrc) {
                throw new MalformedIndexException(String.format("index header checksum mismatch: expected=0x%08x"
                        + " actual=0x%08x", expectedCrc, actualCrc), fileName, 0);
            }
            return fields(h, fileName);
        }

        private static Header fields(ByteBuffer h, String fileName) throws MalformedIndexException {
            int version = h.getInt(8);
            if (version != FORMAT_VERSION) {
                throw new MalformedIndexException("unsupported index format version: expected=" + FORMAT_VERSION
                        + " actual=" + version, fileName, 8);
            }
            int flags = h.getInt(12);
            if ((flags & ~FLAGS_KNOWN) != 0) {
                throw new MalformedIndexException("unknown index flags: flags=0x" + Integer.toHexString(flags)
                        + " known=0x" + Integer.toHexString(FLAGS_KNOWN), fileName, 12);
            }
            if (h.getLong(48) != 0 || h.getInt(56) != 0) {
                throw new MalformedIndexException("index header reserved bytes not zero: expected=0 actual=0x"
                        + Long.toHexString(h.getLong(48)) + Integer.toHexString(h.getInt(56)), fileName, 48);
            }
            long number = h.getLong(16);
            long coveredEnd = h.getLong(32);
            long lastSequence = h.getLong(40);
            if (number <= 0 || number > SEGMENT_NUMBER_MAX || coveredEnd < SEGMENT_HEADER_BYTES || lastSequence < 0) {
                throw new MalformedIndexException("index header fields out of range: dataFileNumber=" + number
                        + " coveredEndBytes=" + coveredEnd + " lastSequence=" + lastSequence, fileName, 16);
            }
            return new Header((flags & FLAG_BASE) != 0, number, h.getLong(24), coveredEnd, lastSequence);
        }
    }

    /**
     * What the caller knows about the data file an index file must describe; an index that names
     * another file, another incarnation of it, or more bytes than it has is refused.
     *
     * @param base              whether the data file is a compacted base
     * @param dataFileNumber    the number in the data file's name
     * @param dataFileSalt      the salt in the data file's segment header
     * @param dataFileSizeBytes the data file's size: the covered end may not exceed it
     */
    public record Expected(boolean base, long dataFileNumber, long dataFileSalt, long dataFileSizeBytes) {
    }

    /**
     * What {@link IndexFileReader#verify} found in a sound index file; {@link IndexFileReader#read}
     * takes it back.
     *
     * @param header      the file's header
     * @param entryCount  entries of every kind
     * @param deleteCount entries that are deletes
     * @param keyBytes    the sum of every entry's key length: what the keys take in memory
     * @param blockCount  blocks
     * @param fileBytes   the index file's size
     */
    public record Summary(Header header, long entryCount, long deleteCount, long keyBytes, long blockCount,
                          long fileBytes) {

        /**
         * Where the footer starts, which is where the blocks end.
         *
         * @return {@code fileBytes - FOOTER_BYTES}
         */
        public long footerOffsetBytes() {
            return fileBytes - FOOTER_BYTES;
        }
    }

    /** Receives the entries of an index file in key order; every array is fresh and the sink's to keep. */
    public interface EntrySink {
        /**
         * A key whose value stays in the data file.
         *
         * @param key         the key
         * @param valueLength the value's length
         * @param cellOffset  where the value's cell starts in the data file
         * @param cellLength  the cell's stored length
         */
        void put(byte[] key, int valueLength, long cellOffset, int cellLength);

        /**
         * A key whose value is kept in the index.
         *
         * @param key   the key
         * @param value the value, at most {@link IndexFile#INLINE_VALUE_BYTES_MAX} bytes
         */
        void putInline(byte[] key, byte[] value);

        /**
         * A key whose last write in the data file is a delete.
         *
         * @param key the key
         */
        void delete(byte[] key);
    }

    /** The footer's fields, decoded and verified. */
    record Footer(long entryCount, long blockCount, long offsetBytes) {

        static ByteBuffer encode(Checksum checksum, long salt, long entryCount, long blockCount, long offsetBytes) {
            ByteBuffer buffer = ByteBuffer.allocate(FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(FOOTER_MAGIC).putLong(entryCount).putInt((int) blockCount).putLong(offsetBytes);
            buffer.putInt(checksum.footer(salt, buffer.array()));
            return buffer.flip();
        }

        /** Verifies the footer read from {@code offsetBytes}, which must be the file size less 32. */
        static Footer decode(Checksum checksum, ByteBuffer f, long salt, long offsetBytes, String fileName)
                throws MalformedIndexException {
            byte[] bytes = new byte[FOOTER_BYTES];
            f.slice().get(bytes);
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (in.getLong(0) != FOOTER_MAGIC) {
                throw new MalformedIndexException(String.format("index file not sealed: footer magic expected=0x%016x"
                        + " actual=0x%016x", FOOTER_MAGIC, in.getLong(0)), fileName, offsetBytes);
            }
            int expectedCrc = checksum.footer(salt, bytes);
            int actualCrc = in.getInt(FOOTER_CRC_OFFSET);
            if (expectedCrc != actualCrc) {
                throw new MalformedIndexException(String.format("index footer checksum mismatch: expected=0x%08x"
                        + " actual=0x%08x", expectedCrc, actualCrc), fileName, offsetBytes);
            }
            long declaredOffset = in.getLong(20);
            if (declaredOffset != offsetBytes) {
                throw new MalformedIndexException("index footer offset mismatch: expected=" + offsetBytes + " actual="
                        + declaredOffset, fileName, offsetBytes);
            }
            long entryCount = in.getLong(8);
            if (entryCount < 0) {
                throw new MalformedIndexException("index footer entry count out of range: totalEntries="
                        + Long.toUnsignedString(entryCount), fileName, offsetBytes);
            }
            return new Footer(entryCount, Integer.toUnsignedLong(in.getInt(16)), offsetBytes);
        }
    }

    /** The block and footer checksums; one per reader or writer, reusing its scratch. */
    static final class Checksum {
        private final CRC32C crc = new CRC32C();
        private final ByteBuffer prefix = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);

        /** CRC32C of salt, the block's offset, its length and count, then the entries; their position is kept. */
        int block(long salt, long blockOffsetBytes, int blockBytes, int entryCount, ByteBuffer entries) {
            prefix.clear();
            prefix.putLong(salt).putLong(blockOffsetBytes).putInt(blockBytes).putInt(entryCount).flip();
            crc.reset();
            crc.update(prefix);
            int position = entries.position();
            crc.update(entries);
            entries.position(position);
            return (int) crc.getValue();
        }

        /** CRC32C of salt then footer bytes 0..27. */
        int footer(long salt, byte[] footerBytes) {
            prefix.clear();
            prefix.putLong(salt).flip();
            crc.reset();
            crc.update(prefix);
            crc.update(footerBytes, 0, FOOTER_CRC_OFFSET);
            return (int) crc.getValue();
        }
    }
}
