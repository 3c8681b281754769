package dev.walnut.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One file of a store, seen through the narrow seam the log needs: positional reads, appends,
 * sync, size, truncate. Every implementation runs the contract suite {@code WalStorageContractTest}.
 *
 * <p>Contract, each rule proven by that suite:
 * <ul>
 *   <li>{@link #read} must not change the file, its size or the append position; it must return
 *       {@code -1} when {@code offsetBytes >= sizeBytes()} and the target has room, {@code 0} when
 *       the target has no room, and otherwise the number of bytes copied, which may be fewer than
 *       asked but at least one. A negative {@code offsetBytes} must be rejected with
 *       {@link IllegalArgumentException}.
 *   <li>{@link #read} must advance the target's position by exactly the count it returns and leave
 *       its limit, and its bytes outside the copied range, alone.
 *   <li>{@link #append} must write every remaining byte of the source at the current end of the
 *       file, or throw; a successful append must be visible to {@link #read} and
 *       {@link #sizeBytes()} at once, before any {@link #sync()}.
 *   <li>{@link #sync()} must make every byte appended before it, and every truncation before it,
 *       durable (survive a power loss) or throw; after it throws, nothing is known about unsynced
 *       bytes.
 *   <li>{@link #truncate} must shrink the file to {@code sizeBytes}; a size larger than the current
 *       size, or negative, must be rejected with {@link IllegalArgumentException} and leave the
 *       file alone. Later appends go at the new end.
 *   <li>A handle must be safe for concurrent use by several threads: concurrent appends through one
 *       handle must never interleave their bytes, and reads, {@link #sizeBytes()} and
 *       {@link #sync()} may run beside them. Appending to one file through two handles at once is a
 *       caller error.
 *   <li>Every operation but {@code close()} and {@code toString()} must throw
 *       {@link java.nio.channels.ClosedChannelException} (an {@link IOException}) after close;
 *       {@code close()} must be idempotent.
 *   <li>{@code toString()} must name the resource (file name or path), for error messages.
 *   <li>An I/O failure must surface as an {@link IOException}; it must never look like end of file.
 * </ul>
 */
public interface WalFile extends Closeable {

    /**
     * Copies bytes starting at {@code offsetBytes} into {@code target}. May return fewer bytes
     * than {@code target.remaining()}; the caller loops. Positional: it moves no file position,
     * so reads may run concurrently with each other and with appends.
     *
     * @param offsetBytes where to start reading; not negative
     * @param target      receives the bytes from its position on; its position advances by the count
     * @return bytes copied, 0 if {@code target} has no room, or -1 at or past end of file
     * @throws IllegalArgumentException if {@code offsetBytes} is negative
     * @throws java.nio.channels.ClosedChannelException if the file is closed
     * @throws IOException on an I/O error, never reported as end of file
     */
    int read(long offsetBytes, ByteBuffer target) throws IOException;

    /**
     * Appends every remaining byte of {@code source} at the end of the file, or throws. The bytes
     * are readable at once and durable only after {@link #sync()}.
     *
     * @param source the bytes from its position to its limit; drained on success
     * @throws java.nio.channels.ClosedChannelException if the file is closed
     * @throws IOException on an I/O error; how many bytes reached the file is then unknown
     */
    void append(ByteBuffer source) throws IOException;

    /**
     * Makes every byte appended, and every truncation, before this call durable; the expensive
     * call (an fsync or its equivalent).
     *
     * @throws java.nio.channels.ClosedChannelException if the file is closed
     * @throws IOException if the data may not be durable; nothing is then known about unsynced bytes
     */
    void sync() throws IOException;

    /**
     * The current size, including appended bytes not yet synced.
     *
     * @return bytes
     * @throws java.nio.channels.ClosedChannelException if the file is closed
     * @throws IOException on an I/O error
     */
    long sizeBytes() throws IOException;

    /**
     * Shrinks the file to {@code sizeBytes}; later appends go at the new end. Durable only after
     * {@link #sync()}.
     *
     * @param sizeBytes the new size: 0 up to the current size
     * @throws IllegalArgumentException if {@code sizeBytes} is negative or above the current size
     * @throws java.nio.channels.ClosedChannelException if the file is closed
     * @throws IOException on an I/O error
     */
    void truncate(long sizeBytes) throws IOException;

    /**
     * Releases the file handle; idempotent. Does not sync.
     *
     * @throws IOException if releasing the handle fails
     */
    @Override
    void close() throws IOException;

    /**
     * Reads until {@code target} is full, looping over {@link #read}: one call per short read.
     *
     * @param offsetBytes where to start reading
     * @param target      filled from its position to its limit
     * @throws java.io.EOFException if the file ends first; the message names this file and the offset
     * @throws IOException on an I/O error
     */
    default void readFully(long offsetBytes, ByteBuffer target) throws IOException {
        long position = offsetBytes;
        while (target.hasRemaining()) {
            int n = read(position, target);
            if (n < 0) {
                throw new java.io.EOFException("unexpected end of file: wanted=" + target.remaining()
                        + " more bytes (file=" + this + " offset=" + position + ")");
            }
            position += n;
        }
    }
}
