package dev.walnut.format;

import dev.walnut.UnsupportedFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The MANIFEST file: which compacted base and which segments make up the log. Written only by
 * write-temp, sync, atomic rename, directory sync, so it is never torn; a damaged one is corruption.
 *
 * <pre>
 * MANIFEST, 44 bytes, little-endian:
 *   0  magic             8  "WALNUTMF"
 *   8  formatVersion     u32
 *  12  flags             u32  bit 0: the base has an index file, base-NNNNNNNNNN.idx
 *  16  baseNumber        u64  the compacted base file base-NNNNNNNNNN.log, 0 for none
 *  24  baseSequence      u64  the sequence number the base's state is at
 *  32  firstLiveSegment  u64  segments numbered below it are retired
 *  40  crc               u32  CRC32C of bytes 0..39
 * </pre>
 */
public record Manifest(long baseNumber, long baseSequence, long firstLiveSegment, int flags) {

    /** Flag: the compaction wrote the base's index file; open reads it instead of the base's records. */
    public static final int FLAG_BASE_INDEXED = 1;
    public static final int FLAGS_KNOWN = FLAG_BASE_INDEXED;

    /** A manifest whose base has no index file. */
    public Manifest(long baseNumber, long baseSequence, long firstLiveSegment) {
        this(baseNumber, baseSequence, firstLiveSegment, 0);
    }

    /** Whether the base's index file was written (it may since be lost: it is derived). */
    public boolean baseIndexed() {
        return (flags & FLAG_BASE_INDEXED) != 0;
    }

    public static final String NAME = "MANIFEST";
    public static final String TEMP_NAME = "MANIFEST.tmp";
    public static final int BYTES = 44;
    public static final long MAGIC = 0x464D_5455_4E4C_4157L; // "WALNUTMF" little-endian
    public static final int FORMAT_VERSION = 1;

    public static String baseName(long baseNumber) {
        return String.format("base-%010d.log", baseNumber);
    }

    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC).putInt(FORMAT_VERSION).putInt(flags).putLong(baseNumber).putLong(baseSequence)
                .putLong(firstLiveSegment);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, BYTES - 4);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /**
     * Decodes and verifies a manifest.
     *
     * @throws IllegalArgumentException naming what is wrong, when the bytes are not a valid manifest
     */
    public static Manifest decode(ByteBuffer source) throws UnsupportedFormatException {
        if (source.remaining() != BYTES) {
            throw new IllegalArgumentException("manifest size mismatch: expected=" + BYTES + " actual="
                    + source.remaining() + " (file=" + NAME + " offset=0)");
        }
        ByteBuffer b = source.slice().order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[BYTES];
        b.get(bytes);
        ByteBuffer m = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, BYTES - 4);
        int expected = (int) crc.getValue();
        int actual = m.getInt(BYTES - 4);
        if (expected != actual) {
            throw new IllegalArgumentException(String.format("manifest checksum mismatch: expected=0x%08x"
                    + " actual=0x%08x (file=%s offset=%d)", expected, actual, NAME, BYTES - 4));
        }
        if (m.getLong(0) != MAGIC) {
            throw new IllegalArgumentException("not a manifest: magic expected=0x" + Long.toHexString(MAGIC)
                    + " actual=0x" + Long.toHexString(m.getLong(0)) + " (file=" + NAME + " offset=0)");
        }
        if (m.getInt(8) != FORMAT_VERSION) {
            throw new UnsupportedFormatException("unsupported manifest format: expected=" + FORMAT_VERSION
                    + " actual=" + m.getInt(8) + " (file=" + NAME + " offset=8)");
        }
        int flags = m.getInt(12);
        if ((flags & ~FLAGS_KNOWN) != 0) {
            throw new IllegalArgumentException("unknown manifest flags: flags=0x" + Integer.toHexString(flags)
                    + " (file=" + NAME + " offset=12)");
        }
        long base = m.getLong(16);
        long baseSequence = m.getLong(24);
        long firstLive = m.getLong(32);
        // A number past what a segment name holds would make the writer create a file no open finds.
        if (base < 0 || baseSequence < 0 || firstLive <= 0 || base > RecordFormat.SEGMENT_NUMBER_MAX
                || firstLive > RecordFormat.SEGMENT_NUMBER_MAX) {
            throw new IllegalArgumentException("manifest fields out of range: baseNumber=" + base + " baseSequence="
                    + baseSequence + " firstLiveSegment=" + firstLive + " (file=" + NAME + " offset=16)");
        }
        return new Manifest(base, baseSequence, firstLive, flags);
    }
}
