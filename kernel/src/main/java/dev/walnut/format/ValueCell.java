package dev.walnut.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * One value as format 3 stores it: readable and verifiable alone, with one positional read of
 * {@code cellBytes} at the offset the index remembers; layout in {@link RecordFormat}.
 *
 * <pre>
 * cell = cellFlags u8 (bit 0: LZ4) | valueLength varint | [storedLength varint, if LZ4] | stored | crc u32
 * crc  = CRC32C of the key's bytes, then of the cell's bytes before the crc
 * </pre>
 *
 * The checksum covers the key, so a cell read at the wrong place, or for another key, fails it.
 */
public final class ValueCell {

    public static final int FLAG_LZ4 = 1;
    public static final int CRC_BYTES = 4;
    /** Values shorter than this are never compressed: LZ4 cannot pay for its own framing. */
    public static final int COMPRESSION_BYTES_MIN = RecordFormat.COMPRESSION_BYTES_MIN;

    /**
     * LZ4 loads its native library when first used (about 100 ms in a fresh JVM): only a store that
     * reads a compressed value pays for it, not every open.
     */
    private static final class Lz4 {
        // Stateless and thread-safe; the safe decompressor bounds every write by the declared output size.
        static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    }

    private ValueCell() {
    }

    /** The length of the cell of a value of {@code valueLength} bytes stored uncompressed. */
    public static int plainCellBytes(int valueLength) {
        return 1 + Varints.bytes32(valueLength) + valueLength + CRC_BYTES;
    }

    /** The most bytes the cell of a value of {@code valueLength} bytes takes: compression only ever saves. */
    public static long cellBytesMax(int valueLength) {
        return 1L + Varints.bytes32(valueLength) + valueLength + CRC_BYTES;
    }

    /**
     * Writes the cell of {@code value} at {@code target}'s position, LZ4-compressed when
     * {@code compressor} is not null and that saves at least an eighth.
     *
     * @param packScratch where the LZ4 block is tried; grown and returned when too small
     * @return the scratch to keep using (the same one, or a larger one)
     */
    public static ByteBuffer encode(byte[] key, byte[] value, LZ4Compressor compressor, ByteBuffer packScratch,
                                    ByteBuffer target, CRC32C crc) {
        int start = target.position();
        int valueLength = value.length;
        boolean packed = false;
        if (compressor != null && valueLength >= COMPRESSION_BYTES_MIN) {
            int bound = compressor.maxCompressedLength(valueLength);
            if (packScratch.capacity() < bound) {
                packScratch = ByteBuffer.allocate(Math.max(bound, packScratch.capacity() * 2));
            }
            int storedLength = compressor.compress(value, 0, valueLength, packScratch.array(), 0, bound);
            if (storedLength <= valueLength - (valueLength >>> 3)) {
                target.put((byte) FLAG_LZ4);
                Varints.put32(target, valueLength);
                Varints.put32(target, storedLength);
                target.put(packScratch.array(), 0, storedLength);
                packed = true;
            }
        }
        if (!packed) {
            target.put((byte) 0);
            Varints.put32(target, valueLength);
            target.put(value);
        }
        int end = target.position();
        crc.reset();
        crc.update(key);
        ByteBuffer covered = target.duplicate();
        covered.limit(end).position(start);
        crc.update(covered);
        target.order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        return packScratch;
    }

    /**
     * The layout of a cell inside a verified record body, found without copying or checking the
     * cell's own checksum (the record's payload checksum covers it).
     */
    public record Layout(int cellBytes, int valueLength, boolean compressed, int storedOffset, int storedLength) {
    }

    /**
     * Parses the cell at {@code body}'s position and moves past it.
     *
     * @throws MalformedRecordException if the cell does not fit what is left or its fields disagree
     */
    public static Layout skip(ByteBuffer body, int valueBytesMax) throws MalformedRecordException {
        int start = body.position();
        if (!body.hasRemaining()) {
            throw new MalformedRecordException("body ends before a value cell at bodyOffset=" + start);
        }
        int flags = body.get() & 0xFF;
        if ((flags & ~FLAG_LZ4) != 0) {
            throw new MalformedRecordException("unknown value cell flags: flags=0x" + Integer.toHexString(flags)
                    + " at bodyOffset=" + start);
        }
        int valueLength = Varints.get32(body);
        boolean compressed = (flags & FLAG_LZ4) != 0;
        int storedLength = compressed ? Varints.get32(body) : valueLength;
        if (valueLength > valueBytesMax) {
            throw new MalformedRecordException("value length out of range: valueLength=" + valueLength + " max="
                    + valueBytesMax + " (the segment's recordBytesMax) at bodyOffset=" + start);
        }
        if (compressed && (valueLength < COMPRESSION_BYTES_MIN
                || (long) storedLength * RecordFormat.LZ4_EXPANSION_MAX < valueLength)) {
            throw new MalformedRecordException("compressed value lengths impossible: valueLength=" + valueLength
                    + " storedLength=" + storedLength + " at bodyOffset=" + start);
        }
        if ((long) storedLength + CRC_BYTES > body.remaining()) {
            throw new MalformedRecordException("value cell exceeds body: storedLength=" + storedLength + " remaining="
                    + body.remaining() + " at bodyOffset=" + start);
        }
        int storedOffset = body.position();
        body.position(storedOffset + storedLength + CRC_BYTES);
        return new Layout(body.position() - start, valueLength, compressed, storedOffset - start, storedLength);
    }

    /**
     * Verifies a cell read alone and returns its value. {@code cell} holds exactly the cell's bytes.
     *
     * @param valueLengthExpected the length the index recorded for this value
     * @throws MalformedRecordException if the checksum, the lengths or the LZ4 block do not verify
     */
    public static byte[] decode(byte[] key, ByteBuffer cell, int valueLengthExpected) throws MalformedRecordException {
        int start = cell.position();
        int length = cell.remaining();
        if (length < 1 + 1 + CRC_BYTES) {
            throw new MalformedRecordException("value cell too short: cellBytes=" + length);
        }
        CRC32C crc = new CRC32C();
        crc.update(key);
        ByteBuffer covered = cell.duplicate();
        covered.limit(start + length - CRC_BYTES);
        crc.update(covered);
        int expected = (int) crc.getValue();
        int actual = cell.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(start + length - CRC_BYTES);
        if (expected != actual) {
            throw new MalformedRecordException(String.format("value checksum mismatch: expected=0x%08x actual=0x%08x",
                    expected, actual));
        }
        Layout layout = skip(cell.duplicate(), Integer.MAX_VALUE);
        if (layout.cellBytes() != length || layout.valueLength() != valueLengthExpected) {
            throw new MalformedRecordException("value cell does not match the index: cellBytes expected=" + length
                    + " actual=" + layout.cellBytes() + " valueLength expected=" + valueLengthExpected + " actual="
                    + layout.valueLength());
        }
        return value(cell, start, layout);
    }

    /** The value of the cell at {@code cellStart} of a verified body: a fresh array. */
    public static byte[] valueIn(ByteBuffer body, int cellStart) throws MalformedRecordException {
        ByteBuffer b = body.duplicate();
        b.position(cellStart);
        return value(body, cellStart, skip(b, Integer.MAX_VALUE));
    }

    /** The value of a cell at {@code cellStart} of {@code source} whose layout was parsed: a fresh array. */
    public static byte[] value(ByteBuffer source, int cellStart, Layout layout) throws MalformedRecordException {
        byte[] value = new byte[layout.valueLength()];
        int storedAt = cellStart + layout.storedOffset();
        if (!layout.compressed()) {
            source.duplicate().position(storedAt).get(value);
            return value;
        }
        try {
            int produced = Lz4.DECOMPRESSOR.decompress(source, storedAt, layout.storedLength(), ByteBuffer.wrap(value), 0,
                    value.length);
            if (produced != value.length) {
                throw new MalformedRecordException("decompressed length mismatch: expected=" + value.length
                        + " actual=" + produced);
            }
        } catch (LZ4Exception e) {
            throw new MalformedRecordException("LZ4 block does not decompress: " + e.getMessage());
        }
        return value;
    }
}
