package dev.walnut.format;

import static dev.walnut.format.RecordFormat.PREAMBLE_BYTES;
import static dev.walnut.format.RecordFormat.RECORD_HEADER_BYTES;

import dev.walnut.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Encodes records for the writer and checks them for the reader; layout in {@link RecordFormat}.
 * One instance per thread: it reuses its scratch buffers.
 */
public final class RecordCodec {


    private final int maxRecordBytes;
    private final boolean compress;
    /** Made at the first value worth compressing: LZ4's native library costs ~100 ms to load. */
    private LZ4Compressor compressor;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer headerScratch = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer packScratch = ByteBuffer.allocate(0);
    private int[] cellOffsets = new int[16];
    private int[] cellLengths = new int[16];
    private int cellCount;
    private ByteBuffer recordScratch = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);

    /** Records up to this size are encoded into a kept direct buffer; larger ones get a one-off heap buffer. */
    public static final int DIRECT_SCRATCH_BYTES_MAX = 1024 * 1024;

    public RecordCodec(int maxRecordBytes, boolean compress) {
        this.maxRecordBytes = maxRecordBytes;
        this.compress = compress;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** Header checksum: CRC32C of the segment salt, the record's own offset and header bytes 0..7. */
    public int headerChecksum(long salt, long offsetBytes, int payloadLength, int payloadCrc) {
        ByteBuffer h = headerScratch.clear();
        h.putLong(salt).putLong(offsetBytes).putInt(payloadLength).putInt(payloadCrc).flip();
        crc.reset();
        crc.update(h);
        return (int) crc.getValue();
    }

    /** CRC32C of the remaining bytes of {@code payload}; its position is left unchanged. */
    public int payloadChecksum(ByteBuffer payload) {
        int position = payload.position();
        crc.reset();
        crc.update(payload);
        payload.position(position);
        return (int) crc.getValue();
    }

    /**
     * Encodes one record, ready to append at {@code offsetBytes} of a segment salted with
     * {@code salt}. The returned buffer is this codec's scratch, valid until the next call; where
     * each put's value cell landed is then in {@link #cellCount()}, {@link #cellOffset(int)} and
     * {@link #cellBytes(int)}.
     *
     * @throws IllegalArgumentException if the batch does not fit in maxRecordBytes
     */
    public ByteBuffer encode(List<WriteBatch.Op> ops, int flags, long sequence, long syncedThroughBytes,
                             long salt, long offsetBytes) {
        long bodyBytesMax = BatchCodec.encodedBytesMax(ops);
        if (RECORD_HEADER_BYTES + PREAMBLE_BYTES + bodyBytesMax > maxRecordBytes) {
            throw new IllegalArgumentException("batch too large: recordBytes="
                    + (RECORD_HEADER_BYTES + PREAMBLE_BYTES + bodyBytesMax) + " maxRecordBytes=" + maxRecordBytes);
        }
        ByteBuffer out = recordScratch((int) (RECORD_HEADER_BYTES + PREAMBLE_BYTES + bodyBytesMax));
        out.position(RECORD_HEADER_BYTES + PREAMBLE_BYTES);
        encodeBody(ops, out);
        int bodyBytes = out.position() - RECORD_HEADER_BYTES - PREAMBLE_BYTES;
        int payloadLength = PREAMBLE_BYTES + bodyBytes;
        out.position(RECORD_HEADER_BYTES);
        out.put((byte) flags).putLong(sequence).putLong(syncedThroughBytes).putInt(bodyBytes);
        out.position(RECORD_HEADER_BYTES + payloadLength);
        int payloadCrc = payloadChecksum(out.duplicate().position(RECORD_HEADER_BYTES).limit(out.position()));
        out.putInt(0, payloadLength).putInt(4, payloadCrc)
                .putInt(8, headerChecksum(salt, offsetBytes, payloadLength, payloadCrc));
        out.flip();
        verifyEncoded(out, salt, offsetBytes, sequence);
        return out;
    }

    private void encodeBody(List<WriteBatch.Op> ops, ByteBuffer out) {
        cellCount = 0;
        if (cellOffsets.length < ops.size()) {
            cellOffsets = new int[Math.max(ops.size(), cellOffsets.length * 2)];
            cellLengths = new int[cellOffsets.length];
        }
        Varints.put32(out, ops.size());
        for (WriteBatch.Op op : ops) {
            out.put(op.kind());
            Varints.put32(out, op.key().length);
            out.put(op.key());
            if (op.isPut()) {
                int at = out.position();
                boolean worthIt = compress && op.value().length >= ValueCell.COMPRESSION_BYTES_MIN;
                packScratch = ValueCell.encode(op.key(), op.value(), worthIt ? compressor() : null, packScratch, out,
                        crc);
                cellOffsets[cellCount] = at;
                cellLengths[cellCount++] = out.position() - at;
            }
        }
    }

    private LZ4Compressor compressor() {
        if (compressor == null) {
            compressor = LZ4Factory.fastestInstance().fastCompressor();
        }
        return compressor;
    }

    /** Value cells in the record last encoded: one per put, in op order. */
    public int cellCount() {
        return cellCount;
    }

    /** Where cell {@code i} of the record last encoded starts, from the record's first byte. */
    public int cellOffset(int i) {
        return cellOffsets[i];
    }

    /** The length of cell {@code i} of the record last encoded. */
    public int cellBytes(int i) {
        return cellLengths[i];
    }

    /** Bytes this codec holds in scratch buffers; counted into a reader's peak. */
    public long scratchBytes() {
        return packScratch.capacity() + recordScratch.capacity() + headerScratch.capacity();
    }

    private ByteBuffer recordScratch(int bytes) {
        if (bytes > DIRECT_SCRATCH_BYTES_MAX) {
            // Rare, large record: do not keep its memory. The file writes it in bounded slices.
            return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (recordScratch.capacity() < bytes) {
            // Direct, so a FileChannel write does not copy through a hidden temporary direct buffer.
            recordScratch = ByteBuffer.allocateDirect(Math.min(DIRECT_SCRATCH_BYTES_MAX,
                    Math.max(bytes, recordScratch.capacity() * 2))).order(ByteOrder.LITTLE_ENDIAN);
        }
        return recordScratch.clear();
    }

    /** Checks a record before it is written: a broken encoder must never reach the log. */
    private void verifyEncoded(ByteBuffer record, long salt, long offsetBytes, long sequence) {
        ByteBuffer r = record.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int payloadLength = r.getInt(0);
        int payloadCrc = r.getInt(4);
        long actualSequence = r.getLong(RECORD_HEADER_BYTES + 1);
        if (payloadLength + RECORD_HEADER_BYTES != r.remaining() || actualSequence != sequence
                || r.getInt(8) != headerChecksum(salt, offsetBytes, payloadLength, payloadCrc)) {
            throw new IllegalStateException("encoded record does not verify: payloadLength=" + payloadLength
                    + " recordBytes=" + r.remaining() + " sequence expected=" + sequence + " actual=" + actualSequence
                    + " offset=" + offsetBytes);
        }
    }
}
