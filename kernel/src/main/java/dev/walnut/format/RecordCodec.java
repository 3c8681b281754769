package dev.walnut.format;

import static dev.walnut.format.RecordFormat.COMPRESSION_BYTES_MIN;
import static dev.walnut.format.RecordFormat.FLAG_COMPRESSED;
import static dev.walnut.format.RecordFormat.PREAMBLE_BYTES;
import static dev.walnut.format.RecordFormat.RECORD_HEADER_BYTES;

import dev.walnut.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Encodes records for the writer and checks them for the reader; layout in {@link RecordFormat}.
 * One instance per thread: it reuses its scratch buffers.
 */
public final class RecordCodec {

    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

    private final int maxRecordBytes;
    private final boolean compress;
    private final LZ4Compressor compressor = LZ4.fastCompressor();
    // The safe decompressor bounds every write by the declared output size, so a crafted block
    // whose checksum happens to pass cannot write out of bounds.
    private final LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer headerScratch = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer bodyScratch = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer packScratch = ByteBuffer.allocate(0);
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
     * {@code salt}. The returned buffer is this codec's scratch, valid until the next call.
     *
     * @throws IllegalArgumentException if the batch does not fit in maxRecordBytes
     */
    public ByteBuffer encode(List<WriteBatch.Op> ops, int flags, long sequence, long syncedThroughBytes,
                             long salt, long offsetBytes) {
        long rawBodyBytes = BatchCodec.encodedBytes(ops);
        if (RECORD_HEADER_BYTES + PREAMBLE_BYTES + rawBodyBytes > maxRecordBytes) {
            throw new IllegalArgumentException("batch too large: recordBytes="
                    + (RECORD_HEADER_BYTES + PREAMBLE_BYTES + rawBodyBytes) + " maxRecordBytes=" + maxRecordBytes);
        }
        int bodyBytes = (int) rawBodyBytes;
        ByteBuffer body = bodyScratch(bodyBytes);
        BatchCodec.encode(ops, body);
        body.flip();
        ByteBuffer stored = body;
        if (compress && bodyBytes >= COMPRESSION_BYTES_MIN) {
            ByteBuffer packed = compressed(body, bodyBytes);
            if (packed != null) {
                stored = packed;
                flags |= FLAG_COMPRESSED;
            }
        }
        int payloadLength = PREAMBLE_BYTES + stored.remaining();
        ByteBuffer out = recordScratch(RECORD_HEADER_BYTES + payloadLength);
        out.position(RECORD_HEADER_BYTES);
        out.put((byte) flags).putLong(sequence).putLong(syncedThroughBytes).putInt(bodyBytes).put(stored);
        int payloadCrc = payloadChecksum(out.duplicate().position(RECORD_HEADER_BYTES).limit(out.position()));
        out.putInt(0, payloadLength).putInt(4, payloadCrc)
                .putInt(8, headerChecksum(salt, offsetBytes, payloadLength, payloadCrc));
        out.flip();
        verifyEncoded(out, salt, offsetBytes, sequence);
        return out;
    }

    /** Returns the LZ4 block in the compression scratch, or null when it would not save space. */
    private ByteBuffer compressed(ByteBuffer body, int bodyBytes) {
        int bound = compressor.maxCompressedLength(bodyBytes);
        if (packScratch.capacity() < bound) {
            packScratch = ByteBuffer.allocate(Math.max(bound, packScratch.capacity() * 2));
        }
        ByteBuffer target = packScratch.clear();
        int packedBytes = compressor.compress(body.duplicate(), body.position(), bodyBytes, target, 0, bound);
        // Only worth it when it saves at least an eighth: decompression is not free on replay.
        if (packedBytes > bodyBytes - (bodyBytes >>> 3)) {
            return null;
        }
        return target.limit(packedBytes);
    }

    /**
     * Returns the uncompressed body of a verified payload whose preamble says it is compressed,
     * refusing a declared length above {@code bodyBytesMax} before allocating anything.
     *
     * @throws MalformedRecordException if the block does not decompress to exactly bodyBytes
     */
    public ByteBuffer decompress(ByteBuffer block, int bodyBytes) throws MalformedRecordException {
        return decompress(block, bodyBytes, maxRecordBytes);
    }

    /**
     * As {@link #decompress(ByteBuffer, int)}, bounded by a segment's own record size limit and by
     * what the block can produce: nothing is allocated for a length the stored bytes cannot justify.
     */
    public ByteBuffer decompress(ByteBuffer block, int bodyBytes, int bodyBytesMax) throws MalformedRecordException {
        if (bodyBytes < 0 || bodyBytes > bodyBytesMax) {
            throw new MalformedRecordException("declared body length out of range: bodyBytes=" + bodyBytes
                    + " max=" + bodyBytesMax);
        }
        long producibleBytes = (long) block.remaining() * RecordFormat.LZ4_EXPANSION_MAX;
        if (bodyBytes > producibleBytes) {
            throw new MalformedRecordException("declared body length impossible: bodyBytes=" + bodyBytes
                    + " expected at most=" + producibleBytes + " from storedBytes=" + block.remaining()
                    + " (LZ4 expands a byte at most " + RecordFormat.LZ4_EXPANSION_MAX + "x)");
        }
        ByteBuffer target = bodyScratch(bodyBytes);
        try {
            int produced = decompressor.decompress(block, block.position(), block.remaining(), target, 0, bodyBytes);
            if (produced != bodyBytes) {
                throw new MalformedRecordException("decompressed length mismatch: expected=" + bodyBytes
                        + " actual=" + produced);
            }
        } catch (LZ4Exception e) {
            throw new MalformedRecordException("LZ4 block does not decompress: " + e.getMessage());
        }
        return target.limit(bodyBytes).position(0);
    }

    /** Bytes this codec holds in scratch buffers; counted into a reader's peak. */
    public long scratchBytes() {
        return bodyScratch.capacity() + packScratch.capacity() + recordScratch.capacity() + headerScratch.capacity();
    }

    private ByteBuffer bodyScratch(int bytes) {
        if (bodyScratch.capacity() < bytes) {
            // Doubling amortises growth, but never past what was asked and the codec's own limit.
            int grown = (int) Math.min(bodyScratch.capacity() * 2L, maxRecordBytes);
            bodyScratch = ByteBuffer.allocate(Math.max(bytes, grown)).order(ByteOrder.LITTLE_ENDIAN);
        }
        return bodyScratch.clear();
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
