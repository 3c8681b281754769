package dev.walnut.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;

/**
 * How both YCSB bindings store a record's fields in one value, so they store the same bytes:
 * {@code count u32, then per field: nameLength u32, name (UTF-8), valueLength u32, value}.
 * Decoding checks every length against the bytes that are left before it allocates.
 */
final class YcsbRecord {

    private YcsbRecord() {
    }

    static byte[] encode(Map<String, ByteIterator> fields) {
        Map<String, byte[]> raw = new HashMap<>();
        int bytes = Integer.BYTES;
        for (Map.Entry<String, ByteIterator> e : fields.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = e.getValue().toArray();
            raw.put(e.getKey(), value);
            bytes += 2 * Integer.BYTES + name.length + value.length;
        }
        ByteBuffer out = ByteBuffer.allocate(bytes).putInt(raw.size());
        for (Map.Entry<String, byte[]> e : raw.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            out.putInt(name.length).put(name).putInt(e.getValue().length).put(e.getValue());
        }
        return out.array();
    }

    /** Adds the fields named in {@code wanted} (every field when null) to {@code target}. */
    static void decode(byte[] record, Set<String> wanted, Map<String, ByteIterator> target) {
        ByteBuffer in = ByteBuffer.wrap(record);
        int count = length(in, "fieldCount");
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[length(in, "nameLength")];
            in.get(name);
            byte[] value = new byte[length(in, "valueLength")];
            in.get(value);
            String field = new String(name, StandardCharsets.UTF_8);
            if (wanted == null || wanted.contains(field)) {
                target.put(field, new ByteArrayByteIterator(value));
            }
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("ycsb record has trailing bytes: expected=0 actual=" + in.remaining());
        }
    }

    /** A length read from the record, refused unless that many bytes (or fields of 8+ bytes) are left. */
    private static int length(ByteBuffer in, String what) {
        if (in.remaining() < Integer.BYTES) {
            throw new IllegalArgumentException("ycsb record truncated: field=" + what + " remaining=" + in.remaining());
        }
        int n = in.getInt();
        long needed = what.equals("fieldCount") ? 2L * Integer.BYTES * n : n;
        if (n < 0 || needed > in.remaining()) {
            throw new IllegalArgumentException("ycsb record length out of range: field=" + what + " actual=" + n
                    + " remaining=" + in.remaining());
        }
        return n;
    }
}
