package dev.walnut.log;

import java.util.Arrays;

/**
 * Where the value cells of the records last appended landed, one per put in op order across the
 * records: what the index keeps instead of the values. Reused by its writer; valid until the next append.
 */
public final class CellLocations {
    private long[] locations = new long[64];
    private int[] cellBytes = new int[64];
    private int count;

    public void clear() {
        count = 0;
    }

    public void add(long location, int bytes) {
        if (count == locations.length) {
            locations = Arrays.copyOf(locations, count * 2);
            cellBytes = Arrays.copyOf(cellBytes, count * 2);
        }
        locations[count] = location;
        cellBytes[count++] = bytes;
    }

    public int count() {
        return count;
    }

    /** The {@link ValueFiles} location of cell {@code i}. */
    public long location(int i) {
        return locations[i];
    }

    public int cellBytes(int i) {
        return cellBytes[i];
    }
}
