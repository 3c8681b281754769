package dev.walnut.log;

/**
 * Counts the bytes a reader holds in buffers, and their peak: the figure that proves recovery's
 * memory is bounded by the read window plus the largest record, whatever the log's size.
 */
public final class ReadMeter {
    private long heldBytes;
    private long peakBytes;

    public void acquire(long bytes) {
        assert bytes >= 0;
        heldBytes += bytes;
        peakBytes = Math.max(peakBytes, heldBytes);
    }

    public void release(long bytes) {
        heldBytes -= bytes;
        assert heldBytes >= 0 : "released more than held: heldBytes=" + heldBytes;
    }

    public long heldBytes() {
        return heldBytes;
    }

    public long peakBytes() {
        return peakBytes;
    }
}
