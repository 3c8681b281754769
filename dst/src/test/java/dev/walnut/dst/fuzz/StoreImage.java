package dev.walnut.dst.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole store directory spelled as fuzz input: entries {@code nameIndex u8, length u16, bytes}
 * (little-endian) naming files from a fixed table, so the fuzzer composes directories from raw
 * segment, base and manifest bytes. A later entry for a name replaces an earlier one; a length
 * past the end of the input takes what is left.
 */
final class StoreImage {

    static final List<String> NAMES = List.of("wal-0000000001.log", "wal-0000000002.log", "wal-0000000003.log",
            "wal-0000000004.log", "wal-0000000000.log", "MANIFEST", "base-0000000001.log", "base-0000000002.log",
            "base-0000000003.log", "MANIFEST.tmp", "wal-0000000002.log.quarantined");
    static final int ENTRY_HEADER_BYTES = 3;

    private StoreImage() {
    }

    static TreeMap<String, byte[]> decode(byte[] input) {
        TreeMap<String, byte[]> files = new TreeMap<>();
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        while (in.remaining() >= ENTRY_HEADER_BYTES) {
            String name = NAMES.get((in.get() & 0xFF) % NAMES.size());
            int length = Math.min(in.getShort() & 0xFFFF, in.remaining());
            byte[] bytes = new byte[length];
            in.get(bytes);
            files.put(name, bytes);
        }
        return files;
    }

    /** Encodes files whose names are all in {@link #NAMES} and whose sizes fit a u16, for seeds. */
    static byte[] encode(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.forEach((name, bytes) -> {
            int index = NAMES.indexOf(name);
            if (index < 0 || bytes.length > 0xFFFF) {
                throw new IllegalArgumentException("cannot encode file=" + name + " sizeBytes=" + bytes.length);
            }
            out.write(index);
            out.write(bytes.length & 0xFF);
            out.write(bytes.length >>> 8);
            out.writeBytes(bytes);
        });
        return out.toByteArray();
    }
}
