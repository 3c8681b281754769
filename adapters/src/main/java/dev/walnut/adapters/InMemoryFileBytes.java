package dev.walnut.adapters;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of one in-memory file, shared by every handle open on it; thread-safe (every method
 * holds this object's monitor).
 *
 * <p>Layout: a table of chunks of {@link #CHUNK_BYTES}, addressed by long offsets. Chunk 0 starts
 * small and doubles up to a full chunk, so a file of a few bytes costs a few bytes; past that, whole
 * chunks are added and the table doubles. Growing never copies the data already held, so a file of
 * hundreds of MiB never needs two copies of itself at once (a single doubling array would).
 */
final class InMemoryFileBytes {

    static final int CHUNK_SHIFT = 20;
    static final int CHUNK_BYTES = 1 << CHUNK_SHIFT;
    private static final long CHUNK_MASK = CHUNK_BYTES - 1;
    private static final int FIRST_CHUNK_BYTES_MIN = 64;
    private static final int CHUNK_TABLE_LENGTH_MIN = 4;
    /** Far beyond any heap; it only keeps the chunk table's length an int. */
    static final long SIZE_BYTES_MAX = 1L << 40;

    static {
        if (FIRST_CHUNK_BYTES_MIN > CHUNK_BYTES || Integer.bitCount(FIRST_CHUNK_BYTES_MIN) != 1) {
            throw new ExceptionInInitializerError("FIRST_CHUNK_BYTES_MIN must be a power of two <= CHUNK_BYTES");
        }
        if (SIZE_BYTES_MAX / CHUNK_BYTES > Integer.MAX_VALUE - 8) {
            throw new ExceptionInInitializerError("SIZE_BYTES_MAX needs more chunks than an array can hold");
        }
    }

    private byte[][] chunks = new byte[CHUNK_TABLE_LENGTH_MIN][];
    /** Chunks 0 .. allocatedChunks-1 are allocated, the rest null; chunk 0 always is. */
    private int allocatedChunks = 1;
    private long sizeBytes;

    InMemoryFileBytes() {
        chunks[0] = new byte[FIRST_CHUNK_BYTES_MIN];
    }

    synchronized long sizeBytes() {
        return sizeBytes;
    }

    /** Copies from {@code offsetBytes} into {@code target}; the {@code WalFile.read} contract. */
    synchronized int read(long offsetBytes, ByteBuffer target) {
        assert offsetBytes >= 0 : "negative offset: offset=" + offsetBytes;
        if (!target.hasRemaining()) {
            return 0;
        }
        if (offsetBytes >= sizeBytes) {
            return -1;
        }
        int count = (int) Math.min(target.remaining(), sizeBytes - offsetBytes);
        long position = offsetBytes;
        int left = count;
        while (left > 0) {
            int within = (int) (position & CHUNK_MASK);
            int n = Math.min(left, CHUNK_BYTES - within);
            target.put(chunks[(int) (position >>> CHUNK_SHIFT)], within, n);
            position += n;
            left -= n;
        }
        return count;
    }

    /** Appends every remaining byte of {@code source}; {@code owner} names the file in errors. */
    synchronized void append(ByteBuffer source, Object owner) throws IOException {
        long endBytes = sizeBytes + source.remaining();
        if (endBytes > SIZE_BYTES_MAX) {
            // What a full disk would do: refuse, and leave the file as it was.
            throw new IOException("file too large: sizeBytes=" + sizeBytes + " appendBytes=" + source.remaining()
                    + " sizeBytesMax=" + SIZE_BYTES_MAX + " (file=" + owner + ")");
        }
        ensureCapacity(endBytes);
        while (source.hasRemaining()) {
            int within = (int) (sizeBytes & CHUNK_MASK);
            int n = Math.min(source.remaining(), CHUNK_BYTES - within);
            source.get(chunks[(int) (sizeBytes >>> CHUNK_SHIFT)], within, n);
            sizeBytes += n;
        }
    }

    /** Shrinks to {@code newSizeBytes}; {@code owner} names the file in errors. */
    synchronized void truncate(long newSizeBytes, Object owner) {
        if (newSizeBytes < 0 || newSizeBytes > sizeBytes) {
            throw new IllegalArgumentException("truncate cannot grow a file: sizeBytes=" + newSizeBytes
                    + " currentSizeBytes=" + sizeBytes + " (file=" + owner + ")");
        }
        sizeBytes = newSizeBytes;
        // Give whole chunks past the end back to the heap; stale bytes inside the last kept chunk
        // are never read (reads stop at sizeBytes) and the next append overwrites them.
        int keptChunks = Math.max(1, chunkCount(newSizeBytes));
        Arrays.fill(chunks, keptChunks, allocatedChunks, null);
        allocatedChunks = keptChunks;
    }

    /** Allocates up to {@code endBytes} without touching chunks already held: O(new chunks). */
    private void ensureCapacity(long endBytes) {
        if (endBytes <= capacityBytes()) {
            return;
        }
        if (chunks[0].length < CHUNK_BYTES) {
            long firstBytes = Math.min(CHUNK_BYTES, Math.max(endBytes, 2L * chunks[0].length));
            chunks[0] = Arrays.copyOf(chunks[0], Math.toIntExact(firstBytes));
        }
        int needed = chunkCount(endBytes);
        if (needed > chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.max(needed, 2 * chunks.length));
        }
        for (; allocatedChunks < needed; allocatedChunks++) {
            chunks[allocatedChunks] = new byte[CHUNK_BYTES];
        }
    }

    private long capacityBytes() {
        return allocatedChunks == 1 ? chunks[0].length : (long) allocatedChunks * CHUNK_BYTES;
    }

    private static int chunkCount(long sizeBytes) {
        return Math.toIntExact((sizeBytes + CHUNK_MASK) >>> CHUNK_SHIFT);
    }
}
