package dev.walnut.dst.fuzz;

import dev.walnut.format.Manifest;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Applies byte-level damage to a store's files, as the fuzzer spells it: a list of 6-byte ops
 * {@code kind u8, file u8, offset u16, arg u16} (little-endian). Besides flips, writes, truncation
 * and deletion, ops can re-seal checksums, so the fuzzer reaches what lies behind them: records
 * and headers whose checksums pass but whose fields lie.
 */
final class Mutator {

    static final int OP_BYTES = 6;
    static final int XOR = 0;
    static final int TRUNCATE = 1;
    static final int WRITE_U32 = 2;
    static final int DELETE = 3;
    static final int SEAL_RECORD = 4;
    static final int SEAL_SEGMENT_HEADER = 5;
    static final int SEAL_MANIFEST = 6;
    static final int COPY_TO_END = 7;
    static final int KINDS = 8;

    /** Values a length or number field is most likely to go wrong with. */
    private static final int[] U32_VALUES = {0, 1, -1, 1 << 30, Integer.MAX_VALUE, RecordFormat.SEGMENT_HEADER_BYTES,
            RecordFormat.RECORD_BYTES_LIMIT_MIN, RecordFormat.RECORD_BYTES_DEFAULT};

    private static final RecordCodec CODEC = new RecordCodec(RecordFormat.RECORD_BYTES_DEFAULT, false);

    private Mutator() {
    }

    /** A mutated copy of {@code files}; only the files named in {@code targets} are touched. */
    static TreeMap<String, byte[]> apply(Map<String, byte[]> files, List<String> targets, byte[] ops, int from) {
        TreeMap<String, byte[]> out = new TreeMap<>();
        files.forEach((name, bytes) -> out.put(name, bytes.clone()));
        ByteBuffer in = ByteBuffer.wrap(ops).order(ByteOrder.LITTLE_ENDIAN).position(Math.min(from, ops.length));
        while (in.remaining() >= OP_BYTES) {
            int kind = (in.get() & 0xFF) % KINDS;
            String name = targets.get((in.get() & 0xFF) % targets.size());
            int offset = in.getShort() & 0xFFFF;
            int arg = in.getShort() & 0xFFFF;
            byte[] bytes = out.get(name);
            if (bytes != null) {
                byte[] changed = mutate(kind, bytes, offset, arg);
                if (changed == null) {
                    out.remove(name);
                } else {
                    out.put(name, changed);
                }
            }
        }
        return out;
    }

    /** The file after one op; null if the op deleted it. */
    private static byte[] mutate(int kind, byte[] bytes, int offset, int arg) {
        if (kind == DELETE) {
            return null;
        }
        if (kind == TRUNCATE) {
            return Arrays.copyOf(bytes, offset % (bytes.length + 1));
        }
        if (bytes.length == 0) {
            return bytes;
        }
        int at = offset % bytes.length;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (kind) {
            case XOR -> bytes[at] ^= (byte) (arg | 1);
            case WRITE_U32 -> {
                if (at + 4 <= bytes.length) {
                    b.putInt(at, arg < U32_VALUES.length ? U32_VALUES[arg] : arg);
                }
            }
            case SEAL_RECORD -> sealRecord(b, at);
            case SEAL_SEGMENT_HEADER -> seal(b, RecordFormat.SEGMENT_HEADER_BYTES - 4);
            case SEAL_MANIFEST -> seal(b, Manifest.BYTES - 4);
            case COPY_TO_END -> {
                int length = Math.min(arg & 0xFF, bytes.length - at);
                byte[] grown = Arrays.copyOf(bytes, bytes.length + length);
                System.arraycopy(bytes, at, grown, bytes.length, length);
                return grown;
            }
            default -> throw new IllegalStateException("op kind=" + kind);
        }
        return bytes;
    }

    /** Recomputes both checksums of the record whose header starts at {@code at}, if it fits the file. */
    private static void sealRecord(ByteBuffer b, int at) {
        if (b.capacity() < RecordFormat.SEGMENT_HEADER_BYTES || at + RecordFormat.RECORD_HEADER_BYTES > b.capacity()) {
            return;
        }
        long payloadLength = Integer.toUnsignedLong(b.getInt(at));
        long payloadEnd = at + RecordFormat.RECORD_HEADER_BYTES + payloadLength;
        if (payloadEnd > b.capacity()) {
            return;
        }
        ByteBuffer payload = b.duplicate().limit((int) payloadEnd).position(at + RecordFormat.RECORD_HEADER_BYTES);
        int payloadCrc = CODEC.payloadChecksum(payload);
        long salt = b.getLong(24);
        b.putInt(at + 4, payloadCrc).putInt(at + 8, CODEC.headerChecksum(salt, at, (int) payloadLength, payloadCrc));
    }

    /** Writes the CRC32C of bytes [0, crcOffset) at crcOffset, if the file is long enough. */
    private static void seal(ByteBuffer b, int crcOffset) {
        if (b.capacity() < crcOffset + 4) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, crcOffset);
        b.putInt(crcOffset, (int) crc.getValue());
    }

    /** Encodes one op, for seeds. */
    static byte[] op(int kind, int file, int offset, int arg) {
        return ByteBuffer.allocate(OP_BYTES).order(ByteOrder.LITTLE_ENDIAN).put((byte) kind).put((byte) file)
                .putShort((short) offset).putShort((short) arg).array();
    }
}
