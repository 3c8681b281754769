package dev.walnut.cli;

import dev.walnut.WalnutOptions;
import picocli.CommandLine.Option;

/**
 * How keys and values appear on the command line and in ad-hoc output: escaped UTF-8 by default
 * ({@code \xNN} for any byte, {@code \\} for a backslash), base64 with {@code --base64}.
 */
final class KeyEncoding {

    @Option(names = "--base64", description = "Keys and values in arguments and output are base64.")
    boolean base64;

    byte[] decode(String what, String text) {
        try {
            return base64 ? ByteText.unbase64(text) : ByteText.unescape(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, what + " is not " + (base64 ? "base64" : "escaped UTF-8") + ": "
                    + e.getMessage() + " (value=" + text + ")");
        }
    }

    String encode(byte[] bytes) {
        return base64 ? ByteText.base64(bytes) : ByteText.escape(bytes);
    }

    static void requireKey(byte[] key) {
        if (key.length == 0) {
            throw new CliException(ExitCode.USAGE, "empty key: keys must have 1.."
                    + WalnutOptions.KEY_BYTES_MAX + " bytes");
        }
        if (key.length > WalnutOptions.KEY_BYTES_MAX) {
            throw new CliException(ExitCode.USAGE, "key too large: keyBytes=" + key.length + " max="
                    + WalnutOptions.KEY_BYTES_MAX);
        }
    }
}
