package dev.walnut.cli;

/** Strict UTF-8 well-formedness (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF. */
final class Utf8 {

    private Utf8() {
    }

    /** True if every byte belongs to a well-formed UTF-8 sequence. */
    static boolean isWellFormed(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int length = sequenceLength(bytes, i);
            if (length == 0) {
                return false;
            }
            i += length;
        }
        return true;
    }

    /**
     * The length of the well-formed sequence starting at {@code i} (1 to 4), or 0 if the bytes there
     * do not start one.
     */
    static int sequenceLength(byte[] b, int i) {
        int b0 = b[i] & 0xFF;
        if (b0 < 0x80) {
            return 1;
        }
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            return continuation(b, i + 1, 0x80, 0xBF) ? 2 : 0;
        }
        if (b0 >= 0xE0 && b0 <= 0xEF) {
            int lo = b0 == 0xE0 ? 0xA0 : 0x80;
            int hi = b0 == 0xED ? 0x9F : 0xBF;
            return continuation(b, i + 1, lo, hi) && continuation(b, i + 2, 0x80, 0xBF) ? 3 : 0;
        }
        if (b0 >= 0xF0 && b0 <= 0xF4) {
            int lo = b0 == 0xF0 ? 0x90 : 0x80;
            int hi = b0 == 0xF4 ? 0x8F : 0xBF;
            return continuation(b, i + 1, lo, hi) && continuation(b, i + 2, 0x80, 0xBF)
                    && continuation(b, i + 3, 0x80, 0xBF) ? 4 : 0;
        }
        return 0;
    }

    private static boolean continuation(byte[] b, int i, int lo, int hi) {
        if (i >= b.length) {
            return false;
        }
        int v = b[i] & 0xFF;
        return v >= lo && v <= hi;
    }
}
