package dev.walnut.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The recovery key sort orders exactly as unsigned byte comparison does. */
class KeySorterProperties {

    @Provide
    Arbitrary<List<byte[]>> keySets() {
        // Few byte values and shared prefixes: many ties on the 8-byte prefix, keys that are
        // prefixes of others, and zero bytes that collide with the prefix's zero padding.
        Arbitrary<byte[]> shared = Arbitraries.bytes().between((byte) -2, (byte) 2).array(byte[].class)
                .ofMinSize(1).ofMaxSize(20).map(tail -> {
                    byte[] k = new byte[5 + tail.length];
                    System.arraycopy("user:".getBytes(), 0, k, 0, 5);
                    System.arraycopy(tail, 0, k, 5, tail.length);
                    return k;
                });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16);
        return Arbitraries.oneOf(shared, random).list().ofMaxSize(400);
    }

    @Property(tries = 300)
    void sortsExactlyLikeUnsignedByteComparison(@ForAll("keySets") List<byte[]> raw) {
        Set<String> seen = new LinkedHashSet<>();
        byte[][] keys = raw.stream().filter(k -> seen.add(Arrays.toString(k))).toArray(byte[][]::new);
        Slabs slabs = new Slabs();
        long[] refs = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            // The value repeats the key's length, so the test sees each entry stay whole through the sort.
            refs[i] = slabs.append(keys[i], keys[i].length + 13, null, keys[i].length, 7);
        }
        byte[][] expected = keys.clone();
        Arrays.sort(expected, Arrays::compareUnsigned);
        KeySorter.sort(slabs, refs);
        for (int i = 0; i < keys.length; i++) {
            assertArrayEquals(expected[i], slabs.key(refs[i]));
            assertEquals(expected[i].length, slabs.location(refs[i]));
            assertEquals(expected[i].length + 13, slabs.valueLength(refs[i]));
        }
    }
}
