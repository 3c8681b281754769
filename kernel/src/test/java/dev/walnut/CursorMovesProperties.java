package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * A cursor's moves — next, previous, seek — over a forward or reversed range agree with a sorted
 * model, whether the keys live in the recovered base, in the delta written since open, or both
 * (with deletes in the delta hiding base keys).
 */
class CursorMovesProperties {

    private static final int KEY_SPACE = 24;

    private final Path root;
    private int run;

    CursorMovesProperties() throws IOException {
        root = Files.createTempDirectory("cursor-moves");
    }

    @AfterProperty
    void cleanUp() throws IOException {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    enum Move { NEXT, PREVIOUS, SEEK }

    @Provide
    Arbitrary<List<Tuple.Tuple2<Move, Integer>>> moves() {
        return Combinators.combine(Arbitraries.of(Move.class), Arbitraries.integers().between(0, KEY_SPACE))
                .as(Tuple::of).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<Integer>> keys() {
        return Arbitraries.integers().between(0, KEY_SPACE - 1).list().ofMaxSize(20);
    }

    @Property(tries = 150)
    void movesAgreeWithASortedModel(@ForAll("keys") List<Integer> baseKeys, @ForAll("keys") List<Integer> deltaKeys,
                                    @ForAll("keys") List<Integer> deletes, @ForAll boolean reverse,
                                    @ForAll("bound") Integer from, @ForAll("bound") Integer to,
                                    @ForAll("moves") List<Tuple.Tuple2<Move, Integer>> moves) throws IOException {
        Path dir = root.resolve("s" + run++);
        TreeMap<String, String> model = new TreeMap<>();
        WalnutOptions options = WalnutOptions.builder().seed(3).compactionRatio(0).build();
        try (Walnut db = Walnut.open(dir, options)) {
            for (int k : baseKeys) {
                db.put(key(k), ("base" + k).getBytes());
                model.put(new String(key(k)), "base" + k);
            }
        }
        try (Walnut db = Walnut.open(dir, options)) { // the base is now the recovered index
            for (int k : deltaKeys) {
                db.put(key(k), ("delta" + k).getBytes());
                model.put(new String(key(k)), "delta" + k);
            }
            for (int k : deletes) {
                db.delete(key(k));
                model.remove(new String(key(k)));
            }
            KeyRange range = KeyRange.between(from < 0 ? null : key(from), to < 0 ? null : key(to));
            NavigableMap<String, String> view = slice(model, from, to);
            if (reverse) {
                range = range.reversed();
                view = view.descendingMap();
            }
            try (Cursor cursor = db.scan(range)) {
                check(cursor, view, moves);
            }
        }
    }

    @Provide
    Arbitrary<Integer> bound() {
        return Arbitraries.integers().between(-1, KEY_SPACE);
    }

    private static NavigableMap<String, String> slice(TreeMap<String, String> model, int from, int to) {
        NavigableMap<String, String> view = model;
        if (from >= 0) {
            view = view.tailMap(new String(key(from)), true);
        }
        if (to >= 0) {
            if (from >= 0 && from >= to) {
                return new TreeMap<>();
            }
            view = view.headMap(new String(key(to)), false);
        }
        return view;
    }

    /** Replays the moves against the model: {@code view} iterates in the cursor's direction. */
    private static void check(Cursor cursor, NavigableMap<String, String> view, List<Tuple.Tuple2<Move, Integer>> moves) {
        String at = null; // the model's anchor; null = before the first key
        boolean inclusive = false; // whether next() may return the anchor itself (after a seek)
        for (Tuple.Tuple2<Move, Integer> move : moves) {
            switch (move.get1()) {
                case NEXT -> {
                    Map.Entry<String, String> e = at == null ? view.firstEntry()
                            : inclusive ? view.ceilingEntry(at) : view.higherEntry(at);
                    assertEquals(e != null, cursor.hasNext(), "hasNext at " + at);
                    if (e == null) {
                        assertThrows(NoSuchElementException.class, cursor::next);
                    } else {
                        expect(e, cursor.next());
                        at = e.getKey();
                        inclusive = false;
                    }
                }
                case PREVIOUS -> {
                    Map.Entry<String, String> e = at == null ? null : view.lowerEntry(at);
                    assertEquals(e != null, cursor.hasPrevious(), "hasPrevious at " + at);
                    if (e == null) {
                        assertThrows(NoSuchElementException.class, cursor::previous);
                    } else {
                        expect(e, cursor.previous());
                        at = e.getKey();
                        inclusive = false;
                    }
                }
                case SEEK -> {
                    cursor.seek(key(move.get2()));
                    at = new String(key(move.get2()));
                    inclusive = true;
                }
            }
        }
    }

    private static void expect(Map.Entry<String, String> e, KeyValue kv) {
        assertEquals(e.getKey(), new String(kv.key()));
        assertArrayEquals(e.getValue().getBytes(), kv.value());
    }

    static byte[] key(int k) {
        return String.format("k%03d", k).getBytes();
    }
}
