package dev.walnut;

import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.log.ReadMeter;
import dev.walnut.log.SegmentReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes logs through the real store and damages them at byte level. A "crash" copies the segment
 * files while the store is still open, before any close could seal them: the image a process
 * killed at that moment leaves (every write was synced before it returned).
 */
public final class LogFixture {

    /** One record of a segment, as the reader sees it. */
    public record RecordAt(long offsetBytes, int lengthBytes, long sequence) {
        public long endBytes() {
            return offsetBytes + lengthBytes;
        }
    }

    private LogFixture() {
    }

    public static byte[] key(int i) {
        return String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] value(int i) {
        return ("value-" + i + "-" + "x".repeat(i % 17)).getBytes(StandardCharsets.UTF_8);
    }

    public static WalnutOptions small(RecoveryPolicy policy) {
        return WalnutOptions.builder().recoveryPolicy(policy).seed(42).build();
    }

    /** Writes records 0..count-1 (one put each), then crashes: returns the crash image directory. */
    public static Path writeAndCrash(Path root, int count, WalnutOptions options) throws IOException {
        return writeAndCrash(root, count, options, false);
    }

    /**
     * As {@link #writeAndCrash(Path, int, WalnutOptions)}; with {@code flushFirst} the store's
     * buffered unsynced writes reach the files ({@link Walnut#flush}) before the copy, as they would
     * reach the page cache before a process kill.
     */
    public static Path writeAndCrash(Path root, int count, WalnutOptions options, boolean flushFirst)
            throws IOException {
        Path live = root.resolve("live");
        Path crash = root.resolve("crash");
        try (Walnut db = Walnut.open(live, options)) {
            for (int i = 0; i < count; i++) {
                db.put(key(i), value(i));
            }
            if (flushFirst) {
                db.flush();
            }
            copySegments(live, crash);
        }
        return crash;
    }

    public static void copySegments(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.toList()) {
                if (RecordFormat.segmentNumberOf(p.getFileName().toString()) >= 0) {
                    Files.copy(p, to.resolve(p.getFileName()));
                }
            }
        }
    }

    public static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> RecordFormat.segmentNumberOf(p.getFileName().toString()) >= 0).sorted().toList();
        }
    }

    /** The newest segment that holds at least one record. */
    public static Path lastSegmentWithRecords(Path dir) throws IOException {
        List<Path> all = segments(dir);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (!records(all.get(i)).isEmpty()) {
                return all.get(i);
            }
        }
        throw new IllegalStateException("no records in " + dir);
    }

    public static SegmentHeader header(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES);
        try (FileChannel ch = FileChannel.open(segment)) {
            ch.read(bytes, 0);
        }
        return SegmentHeader.decode(bytes.flip(), segment.getFileName().toString()).header();
    }

    /** Every valid record of an undamaged segment, in order. */
    public static List<RecordAt> records(Path segment) throws IOException {
        List<RecordAt> out = new ArrayList<>();
        SegmentHeader header = header(segment);
        try (FileChannelWalStorage storage = new FileChannelWalStorage(segment.getParent());
             WalFile file = storage.open(segment.getFileName().toString());
             SegmentReader reader = new SegmentReader(file, segment.getFileName().toString(), header, file.sizeBytes(),
                     64 * 1024, new RecordCodec(RecordFormat.RECORD_BYTES_DEFAULT, false), new ReadMeter())) {
            while (reader.next() == SegmentReader.Step.RECORD) {
                out.add(new RecordAt(reader.offsetBytes(), reader.recordBytes(), reader.sequence()));
            }
        }
        return out;
    }

    public static void truncate(Path file, long sizeBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(sizeBytes);
        }
    }

    public static void overwrite(Path file, long offsetBytes, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offsetBytes);
        }
    }

    public static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    public static void flipBit(Path file, long offsetBytes, int bit) throws IOException {
        byte[] one = new byte[1];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.read(ByteBuffer.wrap(one), offsetBytes);
            one[0] ^= (byte) (1 << bit);
            ch.write(ByteBuffer.wrap(one), offsetBytes);
        }
    }

    public static byte[] read(Path file, long offsetBytes, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        try (FileChannel ch = FileChannel.open(file)) {
            ch.read(bytes, offsetBytes);
        }
        return bytes.array();
    }

    /** A digest of every file's name and bytes: proves a failed open changed nothing. */
    public static String digest(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : files.sorted().toList()) {
                if (p.getFileName().toString().equals("LOCK")) {
                    continue;
                }
                md.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(p));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Stored bytes of the LZ4 block in {@link #segmentDeclaringABody}. */
    public static final int DECLARING_SEGMENT_STORED_BYTES = 20;
    /** Bytes of the segment {@link #segmentDeclaringABody} makes. */
    public static final int DECLARING_SEGMENT_BYTES = 132;

    /**
     * A segment whose header allows {@code recordBytesMax} and whose one record, with valid
     * checksums, puts one value whose LZ4-compressed cell declares {@code valueBytes}: 20 stored
     * bytes (a literal, then match-length bytes) cannot produce more than 255 times their length.
     */
    public static byte[] segmentDeclaringABody(int recordBytesMax, int valueBytes) {
        long salt = 0x1234_5678_9abc_def0L;
        ByteBuffer body = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        body.put((byte) 1).put(RecordFormat.OP_PUT).put((byte) 1).put((byte) 'k');
        body.put((byte) dev.walnut.format.ValueCell.FLAG_LZ4);
        for (int v = valueBytes; ; v >>>= 7) {
            if ((v & ~0x7F) == 0) {
                body.put((byte) v);
                break;
            }
            body.put((byte) ((v & 0x7F) | 0x80));
        }
        body.put((byte) DECLARING_SEGMENT_STORED_BYTES);
        body.put((byte) 0x1F).put((byte) 'x').putShort((short) 1);
        for (int i = 4; i < DECLARING_SEGMENT_STORED_BYTES; i++) {
            body.put((byte) 0xFF);
        }
        body.putInt(0); // the cell checksum: never reached, the lengths are refused first
        body.flip();
        int payloadLength = RecordFormat.PREAMBLE_BYTES + body.remaining();
        ByteBuffer payload = ByteBuffer.allocate(payloadLength).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        payload.put((byte) 0).putLong(1).putLong(RecordFormat.SEGMENT_HEADER_BYTES).putInt(body.remaining()).put(body);
        payload.flip();
        RecordCodec codec = new RecordCodec(RecordFormat.RECORD_BYTES_DEFAULT, false);
        int payloadCrc = codec.payloadChecksum(payload);
        ByteBuffer out = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES + RecordFormat.RECORD_HEADER_BYTES
                + payloadLength).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(new SegmentHeader(0, 1, salt, 1, 0, 0, recordBytesMax).encode());
        out.putInt(payloadLength).putInt(payloadCrc)
                .putInt(codec.headerChecksum(salt, RecordFormat.SEGMENT_HEADER_BYTES, payloadLength, payloadCrc))
                .put(payload);
        return out.array();
    }
}
