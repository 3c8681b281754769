package dev.walnut.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Varints round-trip every edge value in their shortest form and refuse every other byte string. */
class VarintsTest {

    private static final int[] EDGES_32 = {0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 0x1F_FFFF, 0x20_0000, 0xFFF_FFFF,
        0x1000_0000, Integer.MAX_VALUE};
    private static final long[] EDGES_64 = {0, 1, 0x7F, 0x80, 0xFFFF_FFFFL, 0x1_0000_0000L, (1L << 56) - 1, 1L << 56,
        (1L << 63) - 1, Long.MIN_VALUE, -1};

    @Test
    void every32BitEdgeValueRoundTripsInTheBytesItsLengthPredicts() throws MalformedRecordException {
        for (int value : EDGES_32) {
            ByteBuffer buffer = ByteBuffer.allocate(Varints.BYTES_MAX_32);
            Varints.put32(buffer, value);
            assertEquals(Varints.bytes32(value), buffer.position(), "value=" + value);
            assertEquals(value, Varints.get32(buffer.flip()), "value=" + value);
            assertEquals(buffer.limit(), buffer.position(), "value=" + value);
        }
        assertEquals(Varints.BYTES_MAX_32, Varints.bytes32(Integer.MAX_VALUE));
    }

    @Test
    void every64BitEdgeValueRoundTripsUnsignedInTheBytesItsLengthPredicts() throws MalformedRecordException {
        for (long value : EDGES_64) {
            ByteBuffer buffer = ByteBuffer.allocate(Varints.BYTES_MAX_64);
            Varints.put64(buffer, value);
            assertEquals(Varints.bytes64(value), buffer.position(), "value=" + Long.toUnsignedString(value));
            assertEquals(value, Varints.get64(buffer.flip()), "value=" + Long.toUnsignedString(value));
        }
        assertEquals(Varints.BYTES_MAX_64, Varints.bytes64(-1));
    }

    @Test
    void aNegativeIntIsRefusedBeforeAnythingIsWritten() {
        ByteBuffer buffer = ByteBuffer.allocate(8);
        assertThrows(IllegalArgumentException.class, () -> Varints.put32(buffer, -1));
        assertThrows(IllegalArgumentException.class, () -> Varints.bytes32(Integer.MIN_VALUE));
        assertEquals(0, buffer.position());
    }

    @Test
    void aVarintLongerThanItsTypeAllowsIsRefused() {
        assertRefused32(continued(6, 1), "varint too long");
        assertRefused64(continued(11, 1), "varint too long");
    }

    @Test
    void aVarintCutShortByTheLimitIsRefusedAndTheBufferLeftAtItsStart() {
        assertRefused32(new byte[] {(byte) 0x80, (byte) 0x80}, "varint runs past the end");
        assertRefused64(new byte[] {(byte) 0xFF}, "varint runs past the end");
        assertRefused32(new byte[0], "varint runs past the end");
    }

    @Test
    void aValueBeyondTheTypeIsRefused() {
        // 2^31 in five bytes: a valid u64, not a non-negative int.
        assertRefused32(continued(5, 0x08), "varint out of range");
        // 2^64: bit 1 of the tenth group.
        assertRefused64(continued(10, 2), "varint does not fit 64 bits");
    }

    @Test
    void aLongerThanShortestEncodingIsRefused() {
        assertRefused32(new byte[] {(byte) 0x81, 0x00}, "varint not in its shortest form");
        assertRefused64(new byte[] {(byte) 0x80, (byte) 0x80, 0x00}, "varint not in its shortest form");
    }

    /** {@code bytes - 1} zero groups with the continuation bit, then {@code last}. */
    private static byte[] continued(int bytes, int last) {
        byte[] varint = new byte[bytes];
        java.util.Arrays.fill(varint, (byte) 0x80);
        varint[bytes - 1] = (byte) last;
        return varint;
    }

    /** A varint getter, 32 or 64 bits. */
    private interface Getter {
        long get(ByteBuffer source) throws MalformedRecordException;
    }

    private static void assertRefused32(byte[] bytes, String message) {
        assertRefused(bytes, Varints::get32, message);
    }

    private static void assertRefused64(byte[] bytes, String message) {
        assertRefused(bytes, Varints::get64, message);
    }

    /** Refused with a message that says what and where, and the buffer left at the varint's start. */
    private static void assertRefused(byte[] bytes, Getter getter, String message) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> getter.get(buffer));
        assertTrue(e.getMessage().startsWith(message) && e.getMessage().contains("position=0"), e.getMessage());
        assertEquals(0, buffer.position());
    }
}
