package dev.walnut.dst;

import dev.walnut.WriteBatch;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A read-only segment of any size (4 GiB and more) whose bytes are computed from the offset: valid
 * records encoded on demand by the kernel's {@link RecordCodec}, so recovery can read a huge log
 * that exists nowhere. Record sizes follow a repeating pattern of value lengths; record {@code i}
 * puts key {@code key-(j % keys)} where {@code j = i % pattern.length}, so the live state stays
 * small however long the log is.
 */
public final class SyntheticSegmentFile implements WalFile {

    public static final String NAME = RecordFormat.segmentName(1);
    static final int KEYS = 4;

    private final SegmentHeader header;
    private final ByteBuffer headerBytes;
    private final RecordCodec codec;
    private final int[] valueBytes;
    /** Byte length of each record of the pattern, and where it starts within one cycle. */
    private final int[] recordBytes;
    private final long[] startInCycle;
    private final long cycleBytes;
    private final long cycles;
    private final byte[][] values;
    private long cachedIndex = -1;
    private byte[] cached;
    private boolean closed;

    /**
     * @param targetBytes  the file is at least this long: whole cycles of the pattern after the header
     * @param valueBytes   the value length of each record of the repeating pattern
     * @param compress     LZ4-compress values (they are compressible filler)
     */
    public SyntheticSegmentFile(long salt, long targetBytes, int[] valueBytes, boolean compress) {
        this.header = new SegmentHeader(0, 1, salt, 1, 0, 0);
        this.headerBytes = header.encode();
        this.codec = new RecordCodec(RecordFormat.RECORD_BYTES_LIMIT_MAX, compress);
        this.valueBytes = valueBytes.clone();
        this.values = new byte[valueBytes.length][];
        this.recordBytes = new int[valueBytes.length];
        this.startInCycle = new long[valueBytes.length];
        long cycle = 0;
        for (int j = 0; j < valueBytes.length; j++) {
            values[j] = filler(valueBytes[j], j);
            startInCycle[j] = cycle;
            // The length does not depend on the record's position: only the preamble differs.
            recordBytes[j] = encode(j, 1, RecordFormat.SEGMENT_HEADER_BYTES).length;
            cycle += recordBytes[j];
        }
        this.cycleBytes = cycle;
        this.cycles = Math.max(1, (targetBytes - RecordFormat.SEGMENT_HEADER_BYTES + cycle - 1) / cycle);
    }

    private static byte[] filler(int length, int j) {
        byte[] v = new byte[length];
        for (int i = 0; i < length; i++) {
            v[i] = (byte) ('a' + (i / 7 + j) % 26);
        }
        return v;
    }

    public SegmentHeader header() {
        return header;
    }

    public long records() {
        return cycles * valueBytes.length;
    }

    /** The largest record, header included. */
    public int largestRecordBytes() {
        return Arrays.stream(recordBytes).max().orElse(0);
    }

    public static byte[] key(int j) {
        return ("key-" + (j % KEYS)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encode(int j, long sequence, long offsetBytes) {
        List<WriteBatch.Op> ops = List.of(new WriteBatch.Op(RecordFormat.OP_PUT, key(j), values[j]));
        ByteBuffer record = codec.encode(ops, 0, sequence, offsetBytes, header.salt(), offsetBytes);
        byte[] out = new byte[record.remaining()];
        record.get(out);
        return out;
    }

    @Override
    public synchronized int read(long offsetBytes, ByteBuffer target) throws IOException {
        ensureOpen();
        if (offsetBytes < 0) {
            throw new IllegalArgumentException("negative read offset: offset=" + offsetBytes + " (file=" + this + ")");
        }
        if (!target.hasRemaining()) {
            return 0;
        }
        long size = sizeBytes();
        if (offsetBytes >= size) {
            return -1;
        }
        int copied = 0;
        long at = offsetBytes;
        while (target.hasRemaining() && at < size) {
            int n;
            if (at < RecordFormat.SEGMENT_HEADER_BYTES) {
                n = (int) Math.min(target.remaining(), RecordFormat.SEGMENT_HEADER_BYTES - at);
                target.put(headerBytes.duplicate().position((int) at).limit((int) at + n));
            } else {
                n = copyRecordBytes(at, target);
            }
            at += n;
            copied += n;
        }
        return copied;
    }

    private int copyRecordBytes(long at, ByteBuffer target) {
        long inLog = at - RecordFormat.SEGMENT_HEADER_BYTES;
        long cycle = inLog / cycleBytes;
        long within = inLog % cycleBytes;
        int j = Arrays.binarySearch(startInCycle, within);
        if (j < 0) {
            j = -j - 2;
        }
        long index = cycle * valueBytes.length + j;
        long recordStart = RecordFormat.SEGMENT_HEADER_BYTES + cycle * cycleBytes + startInCycle[j];
        if (index != cachedIndex) {
            cached = encode(j, index + 1, recordStart);
            cachedIndex = index;
        }
        int from = (int) (at - recordStart);
        int n = Math.min(target.remaining(), cached.length - from);
        target.put(cached, from, n);
        return n;
    }

    @Override
    public void append(ByteBuffer source) throws IOException {
        throw new IOException("read-only synthetic segment: append refused (file=" + this + ")");
    }

    @Override
    public void sync() throws IOException {
        ensureOpen();
    }

    @Override
    public long sizeBytes() throws IOException {
        ensureOpen();
        return RecordFormat.SEGMENT_HEADER_BYTES + cycles * cycleBytes;
    }

    @Override
    public void truncate(long sizeBytes) throws IOException {
        throw new IOException("read-only synthetic segment: truncate refused (file=" + this + ")");
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private synchronized void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        return "synthetic:/" + NAME;
    }
}
