package dev.walnut.dst;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The bytes of one simulated file: a volatile image (what reads see: the page cache) and a durable
 * image (what the platter holds), and the 4 KiB blocks written since the last sync. Not
 * thread-safe: {@link SimulatedStorage} calls it under its monitor.
 *
 * <p>It also remembers what a successful sync promised ({@link #promisedBytes()}): after a power
 * loss, every promised byte that differs from what the volatile image held is damage a fault did,
 * and the oracle holds the store to classifying it.
 */
final class SimulatedInode {

    static final int BLOCK_BYTES = 4096;
    static final int SECTOR_BYTES = 512;
    private static final int CAPACITY_BYTES_MIN = 256;

    static {
        if (BLOCK_BYTES % SECTOR_BYTES != 0) {
            throw new ExceptionInInitializerError("BLOCK_BYTES must be a multiple of SECTOR_BYTES");
        }
    }

    final long id;
    private byte[] volatileBytes = new byte[CAPACITY_BYTES_MIN];
    private int volatileSizeBytes;
    private byte[] durableBytes = new byte[CAPACITY_BYTES_MIN];
    private int durableSizeBytes;
    private final BitSet dirtyBlocks = new BitSet();
    private int promisedBytes;
    /** Size before a truncate that a fault dropped; the durable size never goes below it. -1: none. */
    private int droppedTruncateSizeBytes = -1;

    SimulatedInode(long id) {
        this.id = id;
    }

    int sizeBytes() {
        return volatileSizeBytes;
    }

    int durableSizeBytes() {
        return durableSizeBytes;
    }

    int promisedBytes() {
        return Math.min(promisedBytes, volatileSizeBytes);
    }

    boolean hasUnsyncedChanges() {
        return !dirtyBlocks.isEmpty() || durableSizeBytes != volatileSizeBytes;
    }

    /** Copies up to {@code maxBytes} from {@code offsetBytes}; the caller checked the offset is inside. */
    int read(long offsetBytes, ByteBuffer target, int maxBytes) {
        int n = (int) Math.min(Math.min(target.remaining(), maxBytes), volatileSizeBytes - offsetBytes);
        target.put(volatileBytes, (int) offsetBytes, n);
        return n;
    }

    /**
     * Flips bit {@code bit} of the byte at {@code offsetBytes} in the cache and, if the platter holds
     * that byte, there too: rot at rest that every later read sees. Flipping again heals it.
     */
    void flipAtRest(int offsetBytes, int bit) {
        volatileBytes[offsetBytes] ^= (byte) (1 << bit);
        if (offsetBytes < durableSizeBytes) {
            durableBytes[offsetBytes] ^= (byte) (1 << bit);
        }
    }

    void append(byte[] source, int length) {
        long end = (long) volatileSizeBytes + length;
        if (end > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("simulated files stay under 2 GiB: end=" + end);
        }
        volatileBytes = ensure(volatileBytes, (int) end);
        System.arraycopy(source, 0, volatileBytes, volatileSizeBytes, length);
        if (length > 0) {
            dirtyBlocks.set(volatileSizeBytes / BLOCK_BYTES, (int) ((end - 1) / BLOCK_BYTES) + 1);
        }
        volatileSizeBytes = (int) end;
    }

    void truncate(int sizeBytes, boolean dropped) {
        if (dropped) {
            droppedTruncateSizeBytes = Math.max(droppedTruncateSizeBytes, durableSizeBytes);
        }
        Arrays.fill(volatileBytes, sizeBytes, volatileSizeBytes, (byte) 0);
        volatileSizeBytes = sizeBytes;
        if (sizeBytes % BLOCK_BYTES != 0) {
            dirtyBlocks.set(sizeBytes / BLOCK_BYTES);
        }
        dirtyBlocks.clear((sizeBytes + BLOCK_BYTES - 1) / BLOCK_BYTES, Integer.MAX_VALUE);
    }

    /**
     * A successful sync: writes every dirty block and the size. With {@code misdirectTo >= 0} one
     * dirty block lands at that block index instead of its own.
     *
     * @return the block that was misdirected, or -1
     */
    int sync(int misdirectTo) {
        int misdirected = -1;
        if (misdirectTo >= 0 && !dirtyBlocks.isEmpty()) {
            misdirected = dirtyBlocks.nextSetBit(0);
        }
        int newSize = Math.max(volatileSizeBytes, droppedTruncateSizeBytes);
        if (newSize < durableSizeBytes) {
            Arrays.fill(durableBytes, newSize, durableSizeBytes, (byte) 0);
        }
        durableBytes = ensure(durableBytes, Math.max(newSize, (misdirectTo + 1) * BLOCK_BYTES));
        for (int b = dirtyBlocks.nextSetBit(0); b >= 0; b = dirtyBlocks.nextSetBit(b + 1)) {
            copyBlock(b, b == misdirected ? misdirectTo : b);
        }
        dirtyBlocks.clear();
        durableSizeBytes = newSize;
        promisedBytes = volatileSizeBytes;
        return misdirected;
    }

    /**
     * A failed sync: some dirty blocks (chosen by {@code random}) reached the disk. With {@code lie}
     * the rest are marked clean anyway, so no later sync writes them.
     */
    void failSync(SplittableRandom random, boolean lie) {
        durableBytes = ensure(durableBytes, volatileSizeBytes);
        for (int b = dirtyBlocks.nextSetBit(0); b >= 0; b = dirtyBlocks.nextSetBit(b + 1)) {
            if (random.nextBoolean()) {
                copyBlock(b, b);
                dirtyBlocks.clear(b);
            }
        }
        if (lie) {
            dirtyBlocks.clear();
        }
    }

    int dirtyBlockCount() {
        return dirtyBlocks.cardinality();
    }

    int firstDirtyBlock() {
        return dirtyBlocks.nextSetBit(0);
    }

    int blockCount() {
        return (Math.max(volatileSizeBytes, durableSizeBytes) + BLOCK_BYTES - 1) / BLOCK_BYTES;
    }

    private void copyBlock(int from, int to) {
        int start = from * BLOCK_BYTES;
        int length = Math.max(0, Math.min(BLOCK_BYTES, volatileSizeBytes - start));
        System.arraycopy(volatileBytes, start, durableBytes, to * BLOCK_BYTES, length);
    }

    /** The bytes reads see now (a copy). */
    byte[] volatileImage() {
        return Arrays.copyOf(volatileBytes, volatileSizeBytes);
    }

    /**
     * The bytes a power loss leaves: the durable image, the size either synced or not, and every
     * dirty block independently written whole, dropped (zeros past the old end) or torn sector by
     * sector, in any order.
     */
    byte[] powerLossImage(SplittableRandom random) {
        int size = durableSizeBytes;
        if (volatileSizeBytes != durableSizeBytes) {
            int choice = random.nextInt(3);
            if (choice == 1) {
                size = volatileSizeBytes;
            } else if (choice == 2) {
                int low = Math.min(volatileSizeBytes, durableSizeBytes);
                int high = Math.max(volatileSizeBytes, durableSizeBytes);
                size = low + random.nextInt(high - low + 1);
            }
        }
        byte[] image = new byte[size];
        System.arraycopy(durableBytes, 0, image, 0, Math.min(size, durableSizeBytes));
        for (int b = dirtyBlocks.nextSetBit(0); b >= 0 && b * BLOCK_BYTES < size; b = dirtyBlocks.nextSetBit(b + 1)) {
            int choice = random.nextInt(3);
            for (int s = 0; s < BLOCK_BYTES / SECTOR_BYTES; s++) {
                boolean written = choice == 0 || (choice == 2 && random.nextBoolean());
                int start = b * BLOCK_BYTES + s * SECTOR_BYTES;
                int end = Math.min(Math.min(start + SECTOR_BYTES, size), volatileSizeBytes);
                if (written && start < end) {
                    System.arraycopy(volatileBytes, start, image, start, end - start);
                }
            }
        }
        return image;
    }

    /** Exactly what the disk holds: the durable image at its durable size. */
    byte[] durableImage() {
        return Arrays.copyOf(durableBytes, durableSizeBytes);
    }

    /** After a crash: the image is what the disk holds and every byte of it is durable. */
    void resetTo(byte[] image) {
        volatileBytes = ensure(new byte[CAPACITY_BYTES_MIN], image.length);
        System.arraycopy(image, 0, volatileBytes, 0, image.length);
        volatileSizeBytes = image.length;
        durableBytes = ensure(new byte[CAPACITY_BYTES_MIN], image.length);
        System.arraycopy(image, 0, durableBytes, 0, image.length);
        durableSizeBytes = image.length;
        dirtyBlocks.clear();
        promisedBytes = image.length;
        droppedTruncateSizeBytes = -1;
    }

    private static byte[] ensure(byte[] bytes, int sizeBytes) {
        if (bytes.length >= sizeBytes) {
            return bytes;
        }
        return Arrays.copyOf(bytes, (int) Math.max(sizeBytes, Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length)));
    }
}
