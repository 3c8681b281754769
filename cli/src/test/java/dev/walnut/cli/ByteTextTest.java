package dev.walnut.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteTextTest {

    static final long SEED = 0xB17E5L;

    @Test
    void escapedUtf8RoundTripsEveryByteStringAndNeverHoldsControlCharacters() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            String text = ByteText.escape(bytes);
            assertArrayEquals(bytes, ByteText.unescape(text), text);
            assertEquals(-1, text.chars().filter(c -> c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)).findAny()
                    .orElse(-1), text);
        }
    }

    @Test
    void escapingKeepsTextAndWritesOtherBytesAsHex() {
        assertEquals("plain key", ByteText.escape(Stores.utf8("plain key")));
        assertEquals("日本語", ByteText.escape(Stores.utf8("日本語")));
        assertEquals("a\\\\b", ByteText.escape(Stores.utf8("a\\b")));
        assertEquals("\\x00\\xff\\x0a\\x09", ByteText.escape(new byte[] {0, (byte) 0xFF, '\n', '\t'}));
        assertEquals("\\xc2\\x85", ByteText.escape(new byte[] {(byte) 0xC2, (byte) 0x85}));
        assertEquals("\\xed\\xa0\\x80", ByteText.escape(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
        assertArrayEquals(new byte[] {'A', 0}, ByteText.unescape("\\x41\\x00"));
        assertThrows(IllegalArgumentException.class, () -> ByteText.unescape("bad \\q escape"));
        assertThrows(IllegalArgumentException.class, () -> ByteText.unescape("cut \\x4"));
    }

    @Test
    void wellFormedUtf8AgreesWithTheJdkStrictDecoder() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = new byte[random.nextInt(6)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length > 0) {
                bytes[0] = (byte) (0xC0 | random.nextInt(0x40));
            }
            assertEquals(jdkAccepts(bytes), Utf8.isWellFormed(bytes), () -> java.util.HexFormat.of().formatHex(bytes));
        }
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
