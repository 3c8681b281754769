package dev.walnut.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The physical limit of recovery on this machine: plain sequential positional reads of every
 * segment into one direct buffer plus CRC32C over every byte, and nothing else (no decoding, no
 * index). No replay can beat it; Walnut's open() is quoted as a fraction of it.
 */
final class PhysicalLimit {

    /** Same order of size as the store's read window. */
    static final int WINDOW_BYTES = 1024 * 1024;

    private final ByteBuffer window = ByteBuffer.allocateDirect(WINDOW_BYTES);
    private final CRC32C crc = new CRC32C();

    /** Returns the bytes read; the checksum goes to {@link #lastCrc()}. */
    long readAll(List<Path> segments) throws IOException {
        crc.reset();
        long total = 0;
        for (Path segment : segments) {
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
                long position = 0;
                while (true) {
                    window.clear();
                    int n = channel.read(window, position);
                    if (n < 0) {
                        break;
                    }
                    position += n;
                    window.flip();
                    crc.update(window);
                }
                total += position;
            }
        }
        return total;
    }

    long lastCrc() {
        return crc.getValue();
    }
}
