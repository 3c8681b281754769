package dev.walnut.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Keys crafted to collide under a fixed polynomial hash cost the index no more probes than random
 * keys: counted, not timed.
 */
public class HashFloodingTest {

    static final long SEED = 0x5EED_F100DL;
    /** 2^15 keys: every string of 15 blocks, each block "Aa" or "BB". */
    static final int BLOCKS = 15;
    /** Colliding keys may cost at most this many times the probes of random keys. */
    static final double PROBE_RATIO_MAX = 2.0;

    /** Every concatenation of {@code blocks} blocks "Aa"/"BB": equal under {@code 31 * h + b}. */
    public static List<byte[]> collidingKeys(int blocks) {
        List<byte[]> keys = new ArrayList<>(1 << blocks);
        for (int bits = 0; bits < 1 << blocks; bits++) {
            byte[] key = new byte[2 * blocks];
            for (int b = 0; b < blocks; b++) {
                boolean aa = (bits >>> b & 1) == 0;
                key[2 * b] = (byte) (aa ? 'A' : 'B');
                key[2 * b + 1] = (byte) (aa ? 'a' : 'B');
            }
            keys.add(key);
        }
        return keys;
    }

    /** {@code count} distinct random keys of {@code length} bytes. */
    static List<byte[]> randomKeys(int count, int length, SplittableRandom random) {
        Set<String> seen = new HashSet<>();
        List<byte[]> keys = new ArrayList<>(count);
        while (keys.size() < count) {
            byte[] key = new byte[length];
            random.nextBytes(key);
            if (seen.add(Arrays.toString(key))) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The hash the index used before it was seeded, kept here only as a reference. */
    static int fixedPolynomial(byte[] key) {
        int h = 1;
        for (byte b : key) {
            h = 31 * h + b;
        }
        return h;
    }

    private record Probes(long insert, long get) {
    }

    private static Probes probesOf(List<byte[]> keys) {
        ReplayIndex replay = new ReplayIndex(SEED, null);
        for (byte[] key : keys) {
            replay.putLocated(key, 0, new byte[0], -1, 0);
        }
        long insert = replay.probes();
        BaseIndex base = replay.toBase(0);
        long get = 0;
        for (byte[] key : keys) {
            get += base.probes(key);
            assertEquals(0, base.valueLength(key));
        }
        return new Probes(insert, get);
    }

    @Test
    void theCraftedKeysAllCollideUnderTheFixedPolynomial() {
        Set<Integer> hashes = new HashSet<>();
        for (byte[] key : collidingKeys(BLOCKS)) {
            hashes.add(fixedPolynomial(key));
            assertEquals(Arrays.hashCode(key), fixedPolynomial(key));
        }
        assertEquals(1, hashes.size(), "the negative control: one bucket for all 32768 keys");
    }

    @Test
    void collidingKeysCostNoMoreProbesThanRandomKeysToInsertAndToGet() {
        List<byte[]> colliding = collidingKeys(BLOCKS);
        List<byte[]> random = randomKeys(colliding.size(), 2 * BLOCKS, new SplittableRandom(SEED));
        Probes crafted = probesOf(colliding);
        Probes baseline = probesOf(random);
        assertTrue(crafted.insert() <= PROBE_RATIO_MAX * baseline.insert(), "insert probes: colliding="
                + crafted.insert() + " random=" + baseline.insert() + " keys=" + colliding.size());
        assertTrue(crafted.get() <= PROBE_RATIO_MAX * baseline.get(), "get probes: colliding=" + crafted.get()
                + " random=" + baseline.get() + " keys=" + colliding.size());
    }

    @Test
    void whichKeysShareAHashDependsOnTheSeed() {
        KeyHash one = new KeyHash(SEED);
        KeyHash other = new KeyHash(SEED + 1);
        int differ = 0;
        for (byte[] key : collidingKeys(8)) {
            differ += one.hash(key) != other.hash(key) ? 1 : 0;
        }
        assertTrue(differ >= 250, "hashes differing between two seeds: " + differ + " of 256");
    }
}
