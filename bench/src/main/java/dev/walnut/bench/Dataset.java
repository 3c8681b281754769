package dev.walnut.bench;

import java.util.SplittableRandom;

/**
 * The seeded data every engine is fed: record {@code i} has a unique key that looks random (so
 * inserts land all over an ordered index) and an incompressible value, both a pure function of the
 * seed and {@code i}, so a reopening JVM can verify a sample without storing anything.
 *
 * @param seed       the one seed of the run (logged in every result)
 * @param keyBytes   key length, at least {@link #KEY_BYTES_MIN}
 * @param valueBytes value length
 */
public record Dataset(long seed, int keyBytes, int valueBytes) {

    /** 8 bytes of hash (spreads keys) + 8 bytes of index (makes them unique). */
    public static final int KEY_BYTES_MIN = 16;
    public static final int KEY_BYTES_DEFAULT = 16;
    public static final long SEED_DEFAULT = 0x5EEDL;

    public Dataset {
        if (keyBytes < KEY_BYTES_MIN) {
            throw new IllegalArgumentException("keyBytes too small: actual=" + keyBytes + " min=" + KEY_BYTES_MIN);
        }
        if (valueBytes < 0) {
            throw new IllegalArgumentException("valueBytes negative: actual=" + valueBytes);
        }
    }

    public byte[] key(long index) {
        byte[] key = new byte[keyBytes];
        putLong(key, 0, mix(seed ^ index));
        putLong(key, keyBytes - 8, index);
        return key;
    }

    /** A key no record has: same shape, index space disjoint from every written record. */
    public byte[] missingKey(long index) {
        return key(Long.MIN_VALUE | index);
    }

    public byte[] value(long index) {
        byte[] value = new byte[valueBytes];
        new SplittableRandom(mix(seed + 0x9E3779B97F4A7C15L * (index + 1))).nextBytes(value);
        return value;
    }

    /** Stafford's mix13 (the SplittableRandom finalizer): a bijection, so distinct inputs stay distinct. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void putLong(byte[] target, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            target[offset + i] = (byte) (value >>> (56 - 8 * i));
        }
    }
}
