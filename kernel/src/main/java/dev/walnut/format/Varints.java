package dev.walnut.format;

import java.nio.ByteBuffer;

/**
 * Unsigned LEB128 varints: 7 bits per byte, low group first, the high bit set on every byte but the
 * last. The one home for varints in the formats: lengths ({@code 32}, a non-negative {@code int}
 * in at most {@link #BYTES_MAX_32} bytes) and file offsets ({@code 64}, any {@code long} read as
 * unsigned, in at most {@link #BYTES_MAX_64} bytes).
 *
 * <p>The getters read from the buffer's position and never past its limit, so a caller that sets
 * the limit to the end of a checksummed region has every varint checked against what is left. They
 * accept only the shortest encoding of a value: a value has exactly one encoding, so a flipped
 * continuation bit cannot turn into an equal value.
 */
final class Varints {

    /** A non-negative int needs at most 31 bits: five 7-bit groups. */
    static final int BYTES_MAX_32 = 5;
    /** A u64 needs at most 64 bits: ten 7-bit groups, the last holding one bit. */
    static final int BYTES_MAX_64 = 10;

    private Varints() {
    }

    /** Encoded length of {@code value}, a non-negative int. */
    static int bytes32(int value) {
        checkNonNegative(value);
        return bytes64(value);
    }

    /** Encoded length of {@code value}, read as unsigned. */
    static int bytes64(long value) {
        int bytes = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    /**
     * Writes {@code value}, a non-negative int.
     *
     * @throws IllegalArgumentException if {@code value} is negative: a caller's bug, never written
     */
    static void put32(ByteBuffer target, int value) {
        checkNonNegative(value);
        put64(target, value);
    }

    /** Writes {@code value}, read as unsigned. */
    static void put64(ByteBuffer target, long value) {
        while ((value & ~0x7FL) != 0) {
            target.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        target.put((byte) value);
    }

    /**
     * Reads a non-negative int.
     *
     * @throws MalformedRecordException if the buffer ends inside the varint, it is longer than
     *                                  needed, or its value exceeds {@link Integer#MAX_VALUE}
     */
    static int get32(ByteBuffer source) throws MalformedRecordException {
        int start = source.position();
        long value = get(source, BYTES_MAX_32);
        if (value > Integer.MAX_VALUE) {
            source.position(start);
            throw new MalformedRecordException("varint out of range: value=" + value + " max=" + Integer.MAX_VALUE
                    + " at position=" + start);
        }
        return (int) value;
    }

    /**
     * Reads a u64 (a negative result is a value of 2^63 or more).
     *
     * @throws MalformedRecordException if the buffer ends inside the varint, it is longer than
     *                                  needed, or it does not fit 64 bits
     */
    static long get64(ByteBuffer source) throws MalformedRecordException {
        return get(source, BYTES_MAX_64);
    }

    /**
     * Reads at most {@code bytesMax} bytes; on failure the position is left at the varint's start.
     * The tenth byte of a u64 may hold only bit 63.
     */
    private static long get(ByteBuffer source, int bytesMax) throws MalformedRecordException {
        int start = source.position();
        long value = 0;
        for (int i = 0; i < bytesMax; i++) {
            if (!source.hasRemaining()) {
                source.position(start);
                throw new MalformedRecordException("varint runs past the end: bytesRead=" + i + " remaining=0"
                        + " at position=" + start);
            }
            int b = source.get() & 0xFF;
            int shift = 7 * i;
            if (shift == 63 && b > 1 && (b & 0x80) == 0) {
                source.position(start);
                throw new MalformedRecordException("varint does not fit 64 bits: lastByte=0x" + Integer.toHexString(b)
                        + " at position=" + start);
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    source.position(start);
                    throw new MalformedRecordException("varint not in its shortest form: bytes=" + (i + 1)
                            + " at position=" + start);
                }
                return value;
            }
        }
        source.position(start);
        throw new MalformedRecordException("varint too long: expected at most " + bytesMax + " bytes at position="
                + start);
    }

    private static void checkNonNegative(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint of a negative value: value=" + value);
        }
    }
}
