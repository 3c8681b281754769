package dev.walnut.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Keys and values as text, losslessly. Two encodings:
 * <ul>
 *   <li><b>escaped UTF-8</b> (the default for command-line arguments, {@code scan}, {@code get},
 *       CSV and TSV): well-formed UTF-8 characters from U+0020 up, other than {@code \}, DEL and the
 *       C1 controls U+0080..U+009F, stand for themselves; {@code \} is written {@code \\}; every
 *       other byte is written {@code \xNN} (two lowercase hex digits). Tabs and newlines are thus
 *       always escaped, so one line holds one entry.
 *   <li><b>base64</b> (RFC 4648, with padding).
 * </ul>
 */
final class ByteText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ByteText() {
    }

    static String escape(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            int length = Utf8.sequenceLength(bytes, i);
            if (length == 1 && b >= 0x20 && b != 0x7F && b != '\\') {
                out.append((char) b);
            } else if (length > 1 && !isC1Control(bytes, i)) {
                out.append(new String(bytes, i, length, StandardCharsets.UTF_8));
            } else if (b == '\\') {
                out.append("\\\\");
                length = 1;
            } else {
                out.append("\\x").append(HEX[b >>> 4]).append(HEX[b & 0xF]);
                length = 1;
            }
            i += length;
        }
        return out.toString();
    }

    /**
     * {@code text} for a one-line message: control characters (C0, DEL, C1) written as the
     * {@code \xNN} escapes of their UTF-8 bytes, everything else as it is. Messages quote untrusted
     * input (a field name, a file name), which must not break the line or reach a terminal raw.
     */
    static String controlsEscaped(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(escape(String.valueOf(c).getBytes(StandardCharsets.UTF_8)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Decodes escaped UTF-8.
     *
     * @throws IllegalArgumentException naming the character offset of a bad escape
     */
    static byte[] unescape(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '\\') {
                int end = i + Character.charCount(text.codePointAt(i));
                out.writeBytes(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            } else if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                out.write('\\');
                i += 2;
            } else if (i + 3 < text.length() && text.charAt(i + 1) == 'x' && hex(text.charAt(i + 2)) >= 0
                    && hex(text.charAt(i + 3)) >= 0) {
                out.write(hex(text.charAt(i + 2)) << 4 | hex(text.charAt(i + 3)));
                i += 4;
            } else {
                throw new IllegalArgumentException("bad escape: expected=\\\\ or \\xNN at charOffset=" + i);
            }
        }
        return out.toByteArray();
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** @throws IllegalArgumentException if {@code text} is not base64 */
    static byte[] unbase64(String text) {
        return Base64.getDecoder().decode(text);
    }

    private static boolean isC1Control(byte[] bytes, int i) {
        return (bytes[i] & 0xFF) == 0xC2 && (bytes[i + 1] & 0xFF) < 0xA0;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
