package dev.walnut.dst;

import dev.walnut.format.RecordFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Which index files the next open under TOLERATE_TORN_TAIL reads, decided from the files' bytes by
 * the fixed layouts (never by the kernel's reader): the live base's, and a live segment's whose
 * successor declares it ends exactly where the file does.
 */
final class IndexFileUse {

    static final int MANIFEST_BYTES = 44;
    private static final int MANIFEST_BASE_OFFSET = 16;
    private static final int MANIFEST_FIRST_LIVE_OFFSET = 32;
    private static final int HEADER_PREDECESSOR_OFFSET = 40;
    private static final int HEADER_PREDECESSOR_END_OFFSET = 48;
    private static final String INDEX_SUFFIX = ".idx";

    private IndexFileUse() {
    }

    /** The MANIFEST's base number (0: none) and first live segment, or null if it is not a whole MANIFEST. */
    static long[] manifest(byte[] manifest) {
        if (manifest == null || manifest.length != MANIFEST_BYTES) {
            return null;
        }
        ByteBuffer m = ByteBuffer.wrap(manifest).order(ByteOrder.LITTLE_ENDIAN);
        return new long[] {m.getLong(MANIFEST_BASE_OFFSET), m.getLong(MANIFEST_FIRST_LIVE_OFFSET)};
    }

    /** Whether {@code data} starts with a whole segment header whose magic and checksum hold. */
    private static boolean headerValid(byte[] data) {
        if (data == null || data.length < RecordLedger.SEGMENT_HEADER_BYTES) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data, 0, RecordLedger.SEGMENT_HEADER_BYTES - 4);
        return b.getLong(0) == RecordLedger.SEGMENT_MAGIC
                && b.getInt(RecordLedger.SEGMENT_HEADER_BYTES - 4) == (int) crc.getValue();
    }

    /** Whether the next open reads index file {@code indexName} (if it is valid) instead of its data file. */
    static boolean readAtOpen(SimulatedStorage storage, String indexName) {
        String dataName = indexName.substring(0, indexName.length() - INDEX_SUFFIX.length()) + ".log";
        long[] m = manifest(storage.bytes("MANIFEST"));
        if (dataName.startsWith("base-")) {
            return m != null && m[0] != 0 && dataName.equals(String.format("base-%010d.log", m[0]))
                    && headerValid(storage.bytes(dataName));
        }
        long number = RecordFormat.segmentNumberOf(dataName);
        byte[] data = storage.bytes(dataName);
        // An open checks an index file against its data file's header (its salt): a data file whose
        // header is damaged is header damage to the open, and its index file is never read (seed 70874).
        if (number < 0 || !headerValid(data) || (m != null && number < m[1])) {
            return false;
        }
        for (String name : storage.names()) {
            byte[] h = RecordFormat.segmentNumberOf(name) > number ? storage.bytes(name) : null;
            if (h != null && h.length >= RecordLedger.SEGMENT_HEADER_BYTES) {
                ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
                if (b.getLong(0) == RecordLedger.SEGMENT_MAGIC && b.getLong(HEADER_PREDECESSOR_OFFSET) == number
                        && b.getLong(HEADER_PREDECESSOR_END_OFFSET) == data.length) {
                    return true;
                }
            }
        }
        return false;
    }
}
