package dev.walnut.format;

/**
 * The on-disk byte layout of Walnut's log, in one place. Everything is little-endian.
 *
 * <pre>
 * A store directory:   wal-0000000001.log  wal-0000000002.log ...  LOCK
 *
 * Segment file:
 * +-------------------------+--------+--------+-----+--------+
 * | segment header (64 B)   | record | record | ... | record |
 * +-------------------------+--------+--------+-----+--------+
 *
 * Segment header, 64 bytes, written and synced (with the directory) before any record:
 *   0  magic               8  "WALNUTSG"
 *   8  formatVersion       u32
 *  12  flags               u32   bit 0: the predecessor was cut at a corruption (point-in-time)
 *  16  segmentNumber       u64   equals the number in the file name
 *  24  salt                u64   random per segment; seeds every record header checksum
 *  32  firstSequence       u64   sequence number of this segment's first record
 *  40  predecessorSegment  u64   0 for the first segment of the log
 *  48  predecessorEndBytes u64   where the predecessor's valid records end
 *  56  recordBytesMax      u32   the writer's maxRecordBytes: the reader's length limit here
 *  60  headerCrc           u32   CRC32C of bytes 0..59
 *
 * Record = 12-byte header + payload:
 *   0  payloadLength       u32   PREAMBLE_BYTES <= payloadLength <= recordBytesMax - 12
 *   4  payloadCrc          u32   CRC32C of the payload
 *   8  headerCrc           u32   CRC32C of (salt u64, fileOffset u64, bytes 0..7): a record
 *                                 from another segment, or moved, fails it; length 0 never passes
 *  12  payload:
 *        flags             u8    bit 1: seal (clean close); bit 0 (format 2's whole-body LZ4) unused
 *        sequence          u64   exactly previous + 1, across segments
 *        syncedThrough     u64   offset in this segment known durable when this record was made
 *        bodyBytes         u32   body length: the rest of the payload
 *        body              bodyBytes, never compressed as a whole: each value is a cell
 *
 * Body (a batch, applied atomically):
 *   opCount                varint
 *   op*:  kind u8 (1 put, 2 delete) | keyLength varint | key | [value cell, for a put]
 *
 * Value cell (format 3; {@link ValueCell}): readable and verifiable alone at the file offset the
 * index keeps, so a get is one positional read:
 *   cellFlags u8 (bit 0: LZ4) | valueLength varint | [storedLength varint, if LZ4] | stored | crc u32
 *   crc = CRC32C of the key, then of the cell's bytes before it; LZ4 only for values of at least
 *   COMPRESSION_BYTES_MIN bytes, and only when it saves an eighth
 *
 * Varints are unsigned LEB128, shortest form ({@link Varints}).
 * </pre>
 */
public final class RecordFormat {

    public static final int SEGMENT_HEADER_BYTES = 64;
    /** The largest segment number a file name holds: ten decimal digits. */
    public static final long SEGMENT_NUMBER_MAX = 9_999_999_999L;
    public static final long SEGMENT_MAGIC = 0x4753_5455_4E4C_4157L; // "WALNUTSG" little-endian
    /**
     * 3: every value is an addressable, checksummed, individually compressed cell, and bodies are
     * never compressed whole. 2: segment header offset 56 holds recordBytesMax (1 had it reserved).
     */
    public static final int FORMAT_VERSION = 3;
    public static final int SEGMENT_FLAG_PREDECESSOR_CUT = 1;

    public static final int RECORD_HEADER_BYTES = 12;
    /** flags u8 + sequence u64 + syncedThrough u64 + bodyBytes u32. */
    public static final int PREAMBLE_BYTES = 1 + 8 + 8 + 4;

    public static final int FLAG_SEAL = 1 << 1;
    public static final int FLAGS_KNOWN = FLAG_SEAL;

    public static final byte OP_PUT = 1;
    public static final byte OP_DELETE = 2;

    /** Keys are small by design: the index holds them all. */
    public static final int KEY_BYTES_MAX = 64 * 1024;
    public static final int RECORD_BYTES_DEFAULT = 64 * 1024 * 1024;
    /** Smallest allowed maxRecordBytes: room for a header, preamble and a modest batch. */
    public static final int RECORD_BYTES_LIMIT_MIN = 4 * 1024;
    /** Largest allowed maxRecordBytes: a record must fit one Java array. */
    public static final int RECORD_BYTES_LIMIT_MAX = 1 << 30;

    /**
     * The most bytes one stored byte of an LZ4 block can decompress to: a match-length byte of 255
     * adds 255 bytes, and every other byte of a block adds fewer. A declared body longer than
     * storedBytes times this cannot be produced, whatever the block holds.
     */
    public static final int LZ4_EXPANSION_MAX = 255;

    /** Values shorter than this are never compressed: LZ4 cannot pay for its own framing. */
    public static final int COMPRESSION_BYTES_MIN = 128;

    static {
        if (SEGMENT_HEADER_BYTES % 8 != 0) {
            throw new ExceptionInInitializerError("SEGMENT_HEADER_BYTES must keep the header's u64 fields aligned");
        }
        if (RECORD_BYTES_LIMIT_MIN < RECORD_HEADER_BYTES + PREAMBLE_BYTES + KEY_BYTES_MAX / 64) {
            throw new ExceptionInInitializerError("RECORD_BYTES_LIMIT_MIN too small for a record");
        }
        if (RECORD_BYTES_DEFAULT > RECORD_BYTES_LIMIT_MAX || RECORD_BYTES_DEFAULT < RECORD_BYTES_LIMIT_MIN) {
            throw new ExceptionInInitializerError("RECORD_BYTES_DEFAULT outside its limits");
        }
    }

    private RecordFormat() {
    }

    public static String segmentName(long segmentNumber) {
        return String.format("wal-%010d.log", segmentNumber);
    }

    /** Suffix of a segment file set aside by a point-in-time recovery; never deleted by Walnut. */
    public static final String QUARANTINE_SUFFIX = ".quarantined";

    /**
     * Whether a file of this name is one a store writes: a segment, a compacted base, an index file
     * or its temp file, the MANIFEST or its temp file, the lock, or a quarantined segment. Lets open tell a store (or an empty
     * directory) from a directory that holds something else.
     */
    public static boolean isStoreFileName(String name) {
        String n = name.endsWith(QUARANTINE_SUFFIX) ? name.substring(0, name.length() - QUARANTINE_SUFFIX.length()) : name;
        String t = n.endsWith(IndexFile.TEMP_SUFFIX) ? n.substring(0, n.length() - IndexFile.TEMP_SUFFIX.length()) : n;
        return isLogFileName(n) || IndexFile.isIndexFileName(t) || n.equals(Manifest.NAME)
                || n.equals(Manifest.TEMP_NAME) || n.equals(dev.walnut.io.WalStorage.LOCK_NAME);
    }

    /** Whether a file of this name holds log records: a segment, or a compacted base (base-NNNNNNNNNN.log). */
    public static boolean isLogFileName(String name) {
        return segmentNumberOf(name) >= 0 || (name.startsWith("base-") && segmentNumberOf("wal-" + name.substring(5)) >= 0);
    }

    /** The segment number in a segment file name, or -1 if the name is not a segment's. */
    public static long segmentNumberOf(String name) {
        if (name.length() != 18 || !name.startsWith("wal-") || !name.endsWith(".log")) {
            return -1;
        }
        long number = 0;
        for (int i = 4; i < 14; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return number;
    }
}
