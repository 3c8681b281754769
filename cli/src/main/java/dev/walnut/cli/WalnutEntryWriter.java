package dev.walnut.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/** Writes the {@link WalnutStream} format. */
final class WalnutEntryWriter implements ExportFormat.EntryWriter {

    static final int BUFFER_BYTES = 64 * 1024;

    private final OutputStream out;
    private final CRC32C streamCrc = new CRC32C();
    private final CRC32C entryCrc = new CRC32C();
    private final byte[] lengths = new byte[2 * WalnutStream.VARINT_BYTES_MAX];
    private long entryCount;

    WalnutEntryWriter(OutputStream out) throws IOException {
        this.out = new BufferedOutputStream(out, BUFFER_BYTES);
        write(WalnutStream.MAGIC, 0, WalnutStream.MAGIC.length);
        write(new byte[] {(byte) WalnutStream.VERSION}, 0, 1);
    }

    @Override
    public void accept(byte[] key, byte[] value) throws IOException {
        assert key.length > 0 : "keys are never empty";
        int n = putVarint(lengths, 0, key.length);
        n = putVarint(lengths, n, value.length);
        entryCrc.reset();
        entryCrc.update(lengths, 0, n);
        entryCrc.update(key);
        entryCrc.update(value);
        write(lengths, 0, n);
        write(key, 0, key.length);
        write(value, 0, value.length);
        byte[] crc = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) entryCrc.getValue()).array();
        write(crc, 0, crc.length);
        entryCount++;
    }

    @Override
    public void finish() throws IOException {
        byte[] end = ByteBuffer.allocate(1 + 8).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) WalnutStream.END_MARKER).putLong(entryCount).array();
        write(end, 0, end.length);
        byte[] crc = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) streamCrc.getValue()).array();
        out.write(crc);
        out.flush();
    }

    private void write(byte[] bytes, int offset, int length) throws IOException {
        streamCrc.update(bytes, offset, length);
        out.write(bytes, offset, length);
    }

    static int putVarint(byte[] target, int at, int value) {
        assert value >= 0;
        while ((value & ~0x7F) != 0) {
            target[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        target[at++] = (byte) value;
        return at;
    }
}
