package dev.walnut.store;

/** Renders keys for messages: printable ASCII as is, other bytes as \xNN. */
public final class Keys {
    private static final int PRINT_BYTES_MAX = 64;

    private Keys() {
    }

    public static String printable(byte[] key) {
        StringBuilder out = new StringBuilder();
        int n = Math.min(key.length, PRINT_BYTES_MAX);
        for (int i = 0; i < n; i++) {
            int b = key[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        if (key.length > n) {
            out.append("...(").append(key.length).append(" bytes)");
        }
        return out.toString();
    }
}
