package dev.walnut.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Entries loaded from index files (sorted runs, with deletes) interleaved with entries replayed
 * from records (log order) build the same sorted index as a TreeMap fed the same operations in
 * the same order: the merge of runs replaces a sort without losing, duplicating or misordering a key.
 */
class ReplayIndexRunsProperties {

    /** One source: a run (an index file: unique keys, applied in key order) or a replayed segment. */
    record Source(boolean run, List<Integer> keys, List<Boolean> deletes) {
    }

    @Provide
    Arbitrary<List<Source>> sources() {
        Arbitrary<Source> source = Arbitraries.integers().between(0, 300).list().ofMaxSize(120).flatMap(keys ->
                Arbitraries.of(true, false).list().ofSize(keys.size()).flatMap(deletes ->
                        Arbitraries.of(true, false).map(run -> new Source(run, run
                                ? keys.stream().distinct().sorted(ReplayIndexRunsProperties::byKeyBytes).toList()
                                : keys, deletes))));
        return source.list().ofMaxSize(8);
    }

    private static int byKeyBytes(int a, int b) {
        return java.util.Arrays.compareUnsigned(key(a), key(b));
    }

    private static byte[] key(int i) {
        return ("k" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 200)
    void mergedRunsAndSortedReplayGiveTheModelsKeysInOrder(@ForAll("sources") List<Source> sources)
            throws java.io.IOException {
        ReplayIndex index = new ReplayIndex(7, null);
        TreeMap<byte[], Integer> model = new TreeMap<>(MvccIndex.KEY_ORDER);
        for (Source s : sources) {
            if (s.run()) {
                index.beginRun();
            }
            for (int i = 0; i < s.keys().size(); i++) {
                byte[] k = key(s.keys().get(i));
                if (s.deletes().get(Math.min(i, s.deletes().size() - 1))) {
                    index.delete(k);
                    model.remove(k);
                } else {
                    index.putLocated(k, 1, new byte[] {(byte) i}, -1, 0); // i < 120: one byte holds it
                    model.put(k, i);
                }
            }
            if (s.run()) {
                index.endRun();
            }
        }
        BaseIndex base = index.toBase(1);
        List<String> expected = new ArrayList<>();
        for (Map.Entry<byte[], Integer> e : model.entrySet()) {
            expected.add(new String(e.getKey(), StandardCharsets.UTF_8) + "=" + e.getValue());
        }
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < base.size(); i++) {
            byte[] k = base.keyAt(i);
            actual.add(new String(k, StandardCharsets.UTF_8) + "=" + base.get(k)[0]);
        }
        assertEquals(expected, actual);
        assertEquals(model.size(), base.size());
    }
}
