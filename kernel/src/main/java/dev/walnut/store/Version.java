package dev.walnut.store;

/**
 * One value of a key at one sequence number; {@code value == null} is a delete. Versions form a
 * chain from newest to oldest; only versions an open reader may still see are kept.
 *
 * <p>In the index a key maps to a Version, or, for an entry recovered at open and not written
 * since, to its bare {@code byte[]} value: sequence 0, no older versions, one object fewer per key.
 */
final class Version {
    final long sequence;
    final byte[] value;
    /** Cut to null when no reader can see older versions. Written by the single writer, read by anyone. */
    volatile Version older;

    Version(long sequence, byte[] value, Version older) {
        this.sequence = sequence;
        this.value = value;
        this.older = older;
    }

    /** The value visible at {@code sequence} in an index slot, or null (absent or deleted). */
    static byte[] valueAt(Object slot, long sequence) {
        if (slot instanceof byte[] recovered) {
            return recovered;
        }
        for (Version v = (Version) slot; v != null; v = v.older) {
            if (v.sequence <= sequence) {
                return v.value;
            }
        }
        return null;
    }

    /** True if some version in the slot is visible at {@code sequence} (a delete counts). */
    static boolean hasVersionAt(Object slot, long sequence) {
        if (slot instanceof byte[]) {
            return true;
        }
        for (Version v = (Version) slot; v != null; v = v.older) {
            if (v.sequence <= sequence) {
                return true;
            }
        }
        return false;
    }

    /** The slot as a chain head: a recovered bare value becomes a version at sequence 0. */
    static Version of(Object slot) {
        return slot instanceof byte[] recovered ? new Version(0, recovered, null) : (Version) slot;
    }
}
