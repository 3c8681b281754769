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
        byte[] six = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};
        assertRefused32(six, "varint too long");
        byte[] eleven = new byte[11];
        java.util.Arrays.fill(eleven, (byte) 0x80);
        eleven[10] = 1;
        assertRefused64(eleven, "varint too long");
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
        assertRefused32(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}, "varint out of range");
        byte[] twoTo64 = new byte[10];
        java.util.Arrays.fill(twoTo64, (byte) 0x80);
        twoTo64[9] = 2;
        assertRefused64(twoTo64, "varint does not fit 64 bits");
    }

    @Test
    void aLongerThanShortestEncodingIsRefused() {
        assertRefused32(new byte[] {(byte) 0x81, 0x00}, "varint not in its shortest form");
        assertRefused64(new byte[] {(byte) 0x80, (byte) 0x80, 0x00}, "varint not in its shortest form");
    }

    private static void assertRefused32(byte[] bytes, String message) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> Varints.get32(buffer));
        assertTrue(e.getMessage().startsWith(message) && e.getMessage().contains("position=0"), e.getMessage());
        assertEquals(0, buffer.position());
    }

    private static void assertRefused64(byte[] bytes, String message) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> Varints.get64(buffer));
        assertTrue(e.getMessage().startsWith(message) && e.getMessage().contains("position=0"), e.getMessage());
        assertEquals(0, buffer.position());
    }
}
