package dev.walnut.format;

import java.nio.ByteBuffer;

/** Unsigned LEB128 varints (7 bits a byte, low group first), the one home for them in the formats. */
final class Varints {

    private Varints() {
    }

    static int bytes32(int value) {
        return bytes64(value & 0xFFFF_FFFFL);
    }

    static int bytes64(long value) {
        int bytes = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    /** Writes a non-negative int. */
    static void put32(ByteBuffer target, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint of a negative length: value=" + value);
        }
        put64(target, value);
    }

    /** Writes a non-negative long. */
    static void put64(ByteBuffer target, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint of a negative value: value=" + value);
        }
        while ((value & ~0x7FL) != 0) {
            target.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        target.put((byte) value);
    }

    /** Reads a varint that must fit a non-negative int. */
    static int get32(ByteBuffer source) throws MalformedRecordException {
        long value = get(source, 5);
        if (value > Integer.MAX_VALUE) {
            throw new MalformedRecordException("varint out of range: value=" + value + " max=" + Integer.MAX_VALUE
                    + " at position=" + source.position());
        }
        return (int) value;
    }

    /** Reads a varint that must fit a non-negative long. */
    static long get64(ByteBuffer source) throws MalformedRecordException {
        long value = get(source, 10);
        if (value < 0) {
            throw new MalformedRecordException("varint out of range: exceeds " + Long.MAX_VALUE + " at position="
                    + source.position());
        }
        return value;
    }

    private static long get(ByteBuffer source, int bytesMax) throws MalformedRecordException {
        long value = 0;
        int start = source.position();
        for (int i = 0; i < bytesMax; i++) {
            if (!source.hasRemaining()) {
                throw new MalformedRecordException("ends inside a varint at position=" + start);
            }
            byte b = source.get();
            value |= (long) (b & 0x7F) << (7 * i);
            if (b >= 0) {
                if (i > 0 && b == 0) {
                    throw new MalformedRecordException("varint not in its shortest form at position=" + start);
                }
                return value;
            }
        }
        throw new MalformedRecordException("varint longer than " + bytesMax + " bytes at position=" + start);
    }
}
