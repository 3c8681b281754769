package dev.walnut.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.walnut.Cursor;
import dev.walnut.KeyRange;
import dev.walnut.KeyValue;
import dev.walnut.Snapshot;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The store behaves as a sorted map through any sequence of puts, deletes, batches, scans,
 * snapshots, syncs, rotations, compactions, and close-and-reopen. Keys are strings over a small
 * alphabet (so operations collide); 4 KiB segments make rotation frequent.
 */
class StoreModelProperties {

    /** The store and its model, side by side. */
    static final class Sut {
        final InMemoryWalStorage storage = new InMemoryWalStorage("model");
        final TreeMap<String, String> model = new TreeMap<>();
        Walnut db;

        Sut() {
            db = open();
        }

        Walnut open() {
            try {
                return Walnut.open(storage, WalnutOptions.builder().seed(3).segmentBytes(4096).compactionRatio(0)
                        .build());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void checkEverything() {
            assertEquals(model.size(), db.size());
            assertEquals(scanToMap(db.scan(KeyRange.all())), model);
            for (Map.Entry<String, String> e : model.entrySet()) {
                assertArrayEquals(bytes(e.getValue()), getOrFail(bytes(e.getKey())));
            }
        }

        // Gets read values from the segment now, so they can fail with an IOException; a test failure here.
        byte[] getOrFail(byte[] key) {
            try {
                return db.get(key);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static TreeMap<String, String> scanToMap(Cursor cursor) {
        TreeMap<String, String> out = new TreeMap<>();
        try (cursor) {
            while (cursor.hasNext()) {
                KeyValue kv = cursor.next();
                out.put(new String(kv.key(), StandardCharsets.UTF_8), new String(kv.value(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static List<String> scanKeys(Cursor cursor) {
        return new ArrayList<>(scanToMap(cursor).keySet());
    }

    static Arbitrary<String> keys() {
        return Arbitraries.strings().withChars("abc").ofMinLength(1).ofMaxLength(3);
    }

    static Arbitrary<String> values() {
        return Arbitraries.strings().alpha().ofMaxLength(200);
    }

    private interface IoConsumer {
        void accept(Sut sut) throws IOException;
    }

    private static Transformer<Sut> io(String description, IoConsumer body) {
        return Transformer.mutate(description, sut -> {
            try {
                body.accept(sut);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static final class Put implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return Combinators.combine(keys(), values()).as((k, v) -> io("put " + k + "=" + v.length(), s -> {
                s.db.put(bytes(k), bytes(v));
                s.model.put(k, v);
                assertArrayEquals(bytes(v), s.db.get(bytes(k)));
            }));
        }
    }

    static final class Delete implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return keys().map(k -> io("delete " + k, s -> {
                s.db.delete(bytes(k));
                s.model.remove(k);
                assertEquals(null, s.db.get(bytes(k)));
            }));
        }
    }

    static final class Batch implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            Arbitrary<String[]> op = Combinators.combine(Arbitraries.of("put", "delete"), keys(), values())
                    .as((kind, k, v) -> new String[] {kind, k, v});
            return op.list().ofMinSize(1).ofMaxSize(8).map(ops -> io("batch of " + ops.size(), s -> {
                WriteBatch batch = new WriteBatch();
                for (String[] o : ops) {
                    if (o[0].equals("put")) {
                        batch.put(bytes(o[1]), bytes(o[2]));
                        s.model.put(o[1], o[2]);
                    } else {
                        batch.delete(bytes(o[1]));
                        s.model.remove(o[1]);
                    }
                }
                s.db.write(batch);
            }));
        }
    }

    static final class Scan implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return Combinators.combine(keys(), keys(), Arbitraries.of(true, false)).as((a, b, reverse) ->
                    io("scan [" + a + ", " + b + ")" + (reverse ? " reversed" : ""), s -> {
                        KeyRange range = KeyRange.between(bytes(a), bytes(b));
                        NavigableMap<String, String> expected = a.compareTo(b) < 0
                                ? s.model.subMap(a, true, b, false) : new TreeMap<>();
                        List<String> keys = new ArrayList<>(expected.keySet());
                        List<String> actual = new ArrayList<>();
                        try (Cursor c = s.db.scan(reverse ? range.reversed() : range)) {
                            c.forEachRemaining(kv -> actual.add(new String(kv.key(), StandardCharsets.UTF_8)));
                        }
                        if (reverse) {
                            java.util.Collections.reverse(keys);
                        }
                        assertEquals(keys, actual);
                        assertEquals(new ArrayList<>(s.model.subMap(a, true, a + "\uffff", true).keySet()),
                                scanKeys(s.db.scan(KeyRange.prefix(bytes(a)))));
                    }));
        }
    }

    static final class SnapshotUnderWrites implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return Combinators.combine(keys(), values()).as((k, v) -> io("snapshot, then put " + k, s -> {
                TreeMap<String, String> before = new TreeMap<>(s.model);
                try (Snapshot snap = s.db.snapshot()) {
                    s.db.put(bytes(k), bytes(v));
                    s.db.delete(bytes(before.isEmpty() ? k : before.firstKey()));
                    assertEquals(before, scanToMap(snap.scan(KeyRange.all())));
                }
                s.model.put(k, v);
                s.model.remove(before.isEmpty() ? k : before.firstKey());
            }));
        }
    }

    static final class Maintenance implements Action.Independent<Sut> {
        @Override
        public Arbitrary<Transformer<Sut>> transformer() {
            return Arbitraries.of("sync", "compact", "reopen").map(what -> io(what, s -> {
                switch (what) {
                    case "sync" -> s.db.sync();
                    case "compact" -> s.db.compact();
                    default -> {
                        s.db.close();
                        s.db = s.open();
                    }
                }
                s.checkEverything();
            }));
        }
    }

    @Provide
    Arbitrary<ActionChain<Sut>> chains() {
        return ActionChain.startWith(Sut::new)
                .withAction(4, new Put())
                .withAction(2, new Delete())
                .withAction(2, new Batch())
                .withAction(1, new Scan())
                .withAction(1, new SnapshotUnderWrites())
                .withAction(1, new Maintenance())
                .withMaxTransformations(60);
    }

    @Property(tries = 60)
    void storeBehavesLikeASortedMapThroughAnySequenceOfOperations(@ForAll("chains") ActionChain<Sut> chain) {
        Sut end = chain.withInvariant("size matches the model", s -> assertEquals(s.model.size(), s.db.size()))
                .run();
        end.checkEverything();
        try {
            end.db.close();
            end.db = end.open();
            end.checkEverything();
            end.db.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
