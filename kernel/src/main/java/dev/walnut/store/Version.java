package dev.walnut.store;

import dev.walnut.log.ValueFiles;
import java.io.IOException;

/**
 * One value of a key at one sequence number. Versions written since open form a chain from newest
 * to oldest in the index's delta; only versions an open reader may still see are kept. Below every
 * chain lies the {@link BaseIndex}, which every reader sees (its entries are older than any
 * version above its sequence). A version holds its value when that is short, else where the
 * value's cell is on disk.
 */
final class Version {
    final long sequence;
    /** -1 for a delete. */
    final int valueLength;
    /** The value when it is short ({@link Slabs#inline}); else null. */
    private final byte[] inlineValue;
    private final long location;
    private final int cellBytes;
    /** Cut to null when no reader can see older versions. Written by the single writer, read by anyone. */
    volatile Version older;

    private Version(long sequence, int valueLength, byte[] inlineValue, long location, int cellBytes, Version older) {
        this.sequence = sequence;
        this.valueLength = valueLength;
        this.inlineValue = inlineValue;
        this.location = location;
        this.cellBytes = cellBytes;
        this.older = older;
    }

    static Version put(long sequence, byte[] value, long location, int cellBytes, Version older) {
        boolean inline = Slabs.inline(value.length);
        return new Version(sequence, value.length, inline ? value : null, inline ? -1 : location, cellBytes, older);
    }

    static Version delete(long sequence, Version older) {
        return new Version(sequence, -1, null, -1, 0, older);
    }

    boolean isDelete() {
        return valueLength < 0;
    }

    /** A copy of the value (reads its cell unless it is inline); only for a put. */
    byte[] value(byte[] key, ValueFiles files) throws IOException {
        return inlineValue != null ? inlineValue.clone() : files.read(key, location, cellBytes, valueLength);
    }

    /**
     * The newest version visible at {@code sequence} above the base at {@code baseSequence}, or null
     * if the base decides: a version at or below the base's sequence says what the base says, and
     * its cell may be in a file the base's compaction retired.
     */
    Version visibleAt(long sequence, long baseSequence) {
        for (Version v = this; v != null; v = v.older) {
            if (v.sequence <= sequence) {
                return v.sequence > baseSequence ? v : null;
            }
        }
        return null;
    }

    /** The live value length this chain's newest version stands for, or -1 if it is a delete. */
    int valueLength() {
        return valueLength;
    }
}
