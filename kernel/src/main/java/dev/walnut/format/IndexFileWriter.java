package dev.walnut.format;

import static dev.walnut.format.IndexFile.BLOCK_BYTES_MAX;
import static dev.walnut.format.IndexFile.BLOCK_HEADER_BYTES;
import static dev.walnut.format.IndexFile.BLOCK_TARGET_BYTES;
import static dev.walnut.format.IndexFile.FOOTER_BYTES;
import static dev.walnut.format.IndexFile.HEADER_BYTES;
import static dev.walnut.format.IndexFile.INLINE_VALUE_BYTES_MAX;
import static dev.walnut.format.RecordFormat.KEY_BYTES_MAX;
import static dev.walnut.format.RecordFormat.RECORD_BYTES_LIMIT_MAX;
import static dev.walnut.format.RecordFormat.SEGMENT_HEADER_BYTES;

import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Writes one index file (layout in {@link IndexFile}) into an empty file: the header at once, then
 * entries in strictly increasing key order, buffered a block at a time in one reused direct
 * buffer and appended with one {@link WalFile#append} per block, then the footer and a sync in
 * {@link #finish()}. Every entry is checked before it is buffered, so the file holds only what the
 * reader accepts. Not thread-safe.
 *
 * <p>The writer owns the file from construction on: {@link #close()} closes it (without syncing),
 * and a constructor that throws has closed it. After an append or sync failed, the file's content
 * is unknown and every later call throws {@link IllegalStateException}; the caller deletes the file.
 */
public final class IndexFileWriter implements AutoCloseable {

    /** The footer counts blocks in a u32. */
    static final long BLOCK_COUNT_MAX = 0xFFFF_FFFFL;

    private final WalFile file;
    private final IndexFile.Header header;
    private final IndexFile.Checksum checksum = new IndexFile.Checksum();
    private final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_HEADER_BYTES + BLOCK_BYTES_MAX)
            .order(ByteOrder.LITTLE_ENDIAN).position(BLOCK_HEADER_BYTES);
    /** A copy, not the caller's array: the caller may reuse its arrays. */
    private final byte[] previousKey = new byte[KEY_BYTES_MAX];
    private int previousKeyLength;
    private long nextBlockOffsetBytes = HEADER_BYTES;
    private int blockEntries;
    private long entryCount;
    private long blockCount;
    private boolean finished;
    private boolean failed;

    /**
     * Writes the header into {@code file}, which must be empty.
     *
     * @param file   the index file (its temp name), empty; owned by the writer from now on
     * @param header what the index covers
     * @throws IllegalArgumentException if {@code file} is not empty (the file is closed)
     * @throws IOException              if the header cannot be appended (the file is closed)
     */
    public IndexFileWriter(WalFile file, IndexFile.Header header) throws IOException {
        this.file = file;
        this.header = header;
        try {
            long sizeBytes = file.sizeBytes();
            if (sizeBytes != 0) {
                throw new IllegalArgumentException("index file not empty: expected=0 actual=" + sizeBytes
                        + " bytes (file=" + file + ")");
            }
            file.append(header.encode());
        } catch (IOException | RuntimeException e) {
            closeAfter(e);
            throw e;
        }
    }

    /**
     * Adds a key whose value stays in the data file.
     *
     * @param key         1..{@link RecordFormat#KEY_BYTES_MAX} bytes, greater than the previous key
     * @param valueLength the value's length, 0..{@link RecordFormat#RECORD_BYTES_LIMIT_MAX}
     * @param cellOffset  where the value's cell starts in the data file, at least
     *                    {@link RecordFormat#SEGMENT_HEADER_BYTES}
     * @param cellLength  the cell's length, positive; the cell ends at or before the covered end
     * @throws IllegalArgumentException if the key is out of order or a field out of range; nothing is written
     * @throws IllegalStateException    if the writer is finished or failed
     * @throws IOException              if a full block cannot be appended
     */
    public void put(byte[] key, int valueLength, long cellOffset, int cellLength) throws IOException {
        checkKey(key);
        if (valueLength < 0 || valueLength > RECORD_BYTES_LIMIT_MAX || cellLength <= 0
                || cellOffset < SEGMENT_HEADER_BYTES || cellOffset > header.coveredEndBytes() - cellLength) {
            throw new IllegalArgumentException("index locator out of range: valueLength=" + valueLength
                    + " cellOffset=" + cellOffset + " cellLength=" + cellLength + " coveredEndBytes="
                    + header.coveredEndBytes() + " entry=" + entryCount);
        }
        ByteBuffer b = startEntry(IndexFile.KIND_PUT, key, Varints.bytes32(valueLength) + Varints.bytes64(cellOffset)
                + Varints.bytes32(cellLength));
        Varints.put32(b, valueLength);
        Varints.put64(b, cellOffset);
        Varints.put32(b, cellLength);
        endEntry(key);
    }

    /**
     * Adds a key whose value is kept in the index.
     *
     * @param key   1..{@link RecordFormat#KEY_BYTES_MAX} bytes, greater than the previous key
     * @param value 0..{@link IndexFile#INLINE_VALUE_BYTES_MAX} bytes
     * @throws IllegalArgumentException if the key is out of order or the value too long; nothing is written
     * @throws IllegalStateException    if the writer is finished or failed
     * @throws IOException              if a full block cannot be appended
     */
    public void putInline(byte[] key, byte[] value) throws IOException {
        checkKey(key);
        if (value.length > INLINE_VALUE_BYTES_MAX) {
            throw new IllegalArgumentException("inline value too long: valueLength=" + value.length + " max="
                    + INLINE_VALUE_BYTES_MAX + " entry=" + entryCount);
        }
        ByteBuffer b = startEntry(IndexFile.KIND_PUT_INLINE, key, Varints.bytes32(value.length) + value.length);
        Varints.put32(b, value.length);
        b.put(value);
        endEntry(key);
    }

    /**
     * Adds a key whose last write in the data file is a delete.
     *
     * @param key 1..{@link RecordFormat#KEY_BYTES_MAX} bytes, greater than the previous key
     * @throws IllegalArgumentException if the key is out of order; nothing is written
     * @throws IllegalStateException    if the writer is finished or failed
     * @throws IOException              if a full block cannot be appended
     */
    public void delete(byte[] key) throws IOException {
        checkKey(key);
        startEntry(IndexFile.KIND_DELETE, key, 0);
        endEntry(key);
    }

    /**
     * Appends the last block and the footer, then syncs the file. The caller then closes it and
     * renames it into place (and syncs the directory).
     *
     * @return the index file's size
     * @throws IllegalStateException if the writer is finished or failed
     * @throws IOException           if an append or the sync fails: the file is then not to be used
     */
    public long finish() throws IOException {
        checkUsable();
        if (blockEntries > 0) {
            flushBlock();
        }
        long endBytes = nextBlockOffsetBytes + FOOTER_BYTES;
        failed = true;
        file.append(IndexFile.Footer.encode(checksum, header.dataFileSalt(), entryCount, blockCount,
                nextBlockOffsetBytes));
        file.sync();
        long sizeBytes = file.sizeBytes();
        if (sizeBytes != endBytes) {
            throw new IOException("index file size after finish: expected=" + endBytes + " actual=" + sizeBytes
                    + " (file=" + file + ")");
        }
        failed = false;
        finished = true;
        return endBytes;
    }

    /**
     * Entries added so far.
     *
     * @return the count
     */
    public long entryCount() {
        return entryCount;
    }

    /**
     * Closes the file without syncing it; a file closed before {@link #finish()} has no footer and
     * is refused by the reader.
     *
     * @throws IOException if closing the file fails
     */
    @Override
    public void close() throws IOException {
        file.close();
    }

    private void checkKey(byte[] key) {
        checkUsable();
        if (key.length == 0 || key.length > KEY_BYTES_MAX) {
            throw new IllegalArgumentException("index key length out of range: keyLength=" + key.length
                    + " expected in [1, " + KEY_BYTES_MAX + "] entry=" + entryCount);
        }
        if (previousKeyLength > 0 && Arrays.compareUnsigned(previousKey, 0, previousKeyLength, key, 0, key.length) >= 0) {
            throw new IllegalArgumentException("index keys must increase strictly: entry=" + entryCount
                    + " keyLength=" + key.length + " previousKeyLength=" + previousKeyLength + " (file=" + file + ")");
        }
    }

    private void checkUsable() {
        if (finished || failed) {
            throw new IllegalStateException("index writer " + (finished ? "finished" : "failed earlier") + " (file="
                    + file + ")");
        }
    }

    /** Starts the next block first if this entry would cross the target; returns the buffer past the key. */
    private ByteBuffer startEntry(byte kind, byte[] key, int tailBytes) throws IOException {
        int entryBytes = 1 + Varints.bytes32(key.length) + key.length + tailBytes;
        assert entryBytes <= IndexFile.ENTRY_BYTES_MAX : "entry larger than ENTRY_BYTES_MAX: " + entryBytes;
        if (blockEntries > 0 && block.position() - BLOCK_HEADER_BYTES + entryBytes > BLOCK_TARGET_BYTES) {
            flushBlock();
        }
        block.put(kind);
        Varints.put32(block, key.length);
        return block.put(key);
    }

    private void endEntry(byte[] key) {
        System.arraycopy(key, 0, previousKey, 0, key.length);
        previousKeyLength = key.length;
        blockEntries++;
        entryCount++;
    }

    private void flushBlock() throws IOException {
        if (blockCount == BLOCK_COUNT_MAX) {
            throw new IllegalStateException("index file has too many blocks: max=" + BLOCK_COUNT_MAX + " (file="
                    + file + ")");
        }
        int blockBytes = block.position() - BLOCK_HEADER_BYTES;
        block.limit(block.position()).position(BLOCK_HEADER_BYTES);
        int crc = checksum.block(header.dataFileSalt(), nextBlockOffsetBytes, blockBytes, blockEntries, block);
        block.putInt(0, blockBytes).putInt(4, blockEntries).putInt(8, crc).position(0);
        failed = true;
        file.append(block);
        failed = false;
        block.clear().position(BLOCK_HEADER_BYTES);
        nextBlockOffsetBytes += BLOCK_HEADER_BYTES + blockBytes;
        blockEntries = 0;
        blockCount++;
    }

    private void closeAfter(Exception cause) {
        try {
            file.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
