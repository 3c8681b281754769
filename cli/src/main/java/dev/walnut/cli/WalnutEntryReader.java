package dev.walnut.cli;

import dev.walnut.WalnutOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads the {@link WalnutStream} format, checking everything it promises: magic and version, each
 * entry's checksum, strictly ascending keys, the end marker's count and the stream checksum, and
 * nothing after the end. Lengths are checked before anything is allocated from them.
 */
final class WalnutEntryReader {

    static final int BUFFER_BYTES = 64 * 1024;

    private final InputStream in;
    private final String source;
    private final long entryBytesMax;
    private final CRC32C streamCrc = new CRC32C();
    private final CRC32C entryCrc = new CRC32C();
    private long offsetBytes;
    private long entryIndex;

    WalnutEntryReader(InputStream in, String source, long entryBytesMax) {
        this.in = new BufferedInputStream(in, BUFFER_BYTES);
        this.source = source;
        this.entryBytesMax = entryBytesMax;
    }

    void readAll(EntrySink sink) throws IOException {
        byte[] magic = readBytes(WalnutStream.MAGIC.length, "magic");
        if (!Arrays.equals(magic, WalnutStream.MAGIC)) {
            throw bad(0, "not a walnut export: magic expected=WALNUTEX actual=" + ByteText.escape(magic));
        }
        int version = readBytes(1, "version")[0] & 0xFF;
        if (version != WalnutStream.VERSION) {
            throw bad(8, "unsupported version: expected=" + WalnutStream.VERSION + " actual=" + version);
        }
        byte[] previousKey = null;
        while (true) {
            long entryStart = offsetBytes;
            entryCrc.reset();
            int keyLength = readVarint("key length");
            if (keyLength == WalnutStream.END_MARKER) {
                readEnd();
                return;
            }
            entryIndex++;
            int valueLength = readVarint("value length");
            if (keyLength > WalnutOptions.KEY_BYTES_MAX || (long) keyLength + valueLength > entryBytesMax) {
                throw bad(entryStart, "entry too large: keyLength=" + keyLength + " valueLength=" + valueLength
                        + " maxKeyBytes=" + WalnutOptions.KEY_BYTES_MAX + " maxEntryBytes=" + entryBytesMax);
            }
            byte[] key = readBytes(keyLength, "key");
            byte[] value = readBytes(valueLength, "value");
            int expected = (int) entryCrc.getValue();
            int actual = readIntLe("entry checksum");
            if (expected != actual) {
                throw bad(entryStart, String.format("entry checksum mismatch: expected=0x%08x actual=0x%08x",
                        expected, actual));
            }
            if (previousKey != null && Arrays.compareUnsigned(previousKey, key) >= 0) {
                throw bad(entryStart, "keys out of order: expected a key above " + ByteText.escape(previousKey)
                        + " actual=" + ByteText.escape(key));
            }
            sink.accept(key, value);
            previousKey = key;
        }
    }

    private void readEnd() throws IOException {
        long endAt = offsetBytes - 1;
        byte[] count = readBytes(8, "entry count");
        long declared = java.nio.ByteBuffer.wrap(count).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        int expectedCrc = (int) streamCrc.getValue();
        int actualCrc = readIntLe("stream checksum");
        if (declared != entryIndex) {
            throw bad(endAt, "entry count mismatch: expected=" + declared + " actual=" + entryIndex);
        }
        if (expectedCrc != actualCrc) {
            throw bad(endAt, String.format("stream checksum mismatch: expected=0x%08x actual=0x%08x", expectedCrc,
                    actualCrc));
        }
        if (in.read() >= 0) {
            throw bad(offsetBytes, "trailing bytes after the end of the stream");
        }
    }

    private int readVarint(String what) throws IOException {
        int value = 0;
        for (int i = 0; i < WalnutStream.VARINT_BYTES_MAX; i++) {
            int b = readBytes(1, what)[0] & 0xFF;
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (value < 0 || (i == WalnutStream.VARINT_BYTES_MAX - 1 && b > 0x07)) {
                    break;
                }
                return value;
            }
        }
        throw bad(offsetBytes, what + " out of range: varint longer than " + WalnutStream.VARINT_BYTES_MAX
                + " bytes or above 2^31-1");
    }

    private int readIntLe(String what) throws IOException {
        byte[] b = readBytesUnchecked(4, what);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    /** Reads bytes that the entry and stream checksums cover. */
    private byte[] readBytes(int length, String what) throws IOException {
        byte[] b = readBytesUnchecked(length, what);
        entryCrc.update(b);
        return b;
    }

    private byte[] readBytesUnchecked(int length, String what) throws IOException {
        byte[] b = in.readNBytes(length);
        if (b.length < length) {
            throw bad(offsetBytes + b.length, "stream ends inside " + what + " of entry " + (entryIndex == 0 ? "header"
                    : Long.toString(entryIndex)) + ": expected=" + length + " actual=" + b.length + " bytes"
                    + " (the export is cut short)");
        }
        streamCrc.update(b);
        offsetBytes += length;
        return b;
    }

    private CliException bad(long at, String what) {
        return new CliException(ExitCode.BAD_INPUT, "malformed walnut export: " + what + " (input=" + source + " entry="
                + entryIndex + " offset=" + at + ")");
    }
}
