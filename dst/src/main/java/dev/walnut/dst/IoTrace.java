package dev.walnut.dst;

/**
 * A running 64-bit hash of every I/O call and fault decision: two runs of one seed must end with
 * the same hash and count, which proves the simulation deterministic.
 */
public final class IoTrace {
    private long hash = 0x9E37_79B9_7F4A_7C15L;
    private long events;

    public void record(String op, Object name, long a, long b) {
        events++;
        mix(op.hashCode());
        mix(name == null ? 0 : name.toString().hashCode());
        mix(a);
        mix(b);
    }

    private void mix(long value) {
        long z = hash ^ value;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        hash = z ^ (z >>> 31);
    }

    public long hash() {
        return hash;
    }

    public long events() {
        return events;
    }

    @Override
    public String toString() {
        return String.format("trace events=%d hash=%016x", events, hash);
    }
}
