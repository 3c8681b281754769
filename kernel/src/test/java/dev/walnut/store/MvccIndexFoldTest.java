package dev.walnut.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.walnut.Cursor;
import dev.walnut.KeyRange;
import dev.walnut.WriteBatch;
import dev.walnut.format.RecordFormat;
import dev.walnut.log.CellLocations;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Folding the delta into a new base gives its memory back without changing what any reader sees. */
class MvccIndexFoldTest {

    /** Values here are short, so they are held inline: no cell is ever read. */
    private static final CellLocations INLINE = new CellLocations();

    static {
        INLINE.add(-1, 0);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Recovered k0..k9 = "old", then k0..k9 rewritten to "new" and k5 deleted, at sequences 11..21. */
    private static MvccIndex rewritten() {
        ReplayIndex replay = new ReplayIndex(42, null);
        for (int i = 0; i < 10; i++) {
            replay.putLocated(b("k" + i), 3, b("old"), -1, 0);
        }
        MvccIndex index = replay.toIndex(10);
        long sequence = 10;
        for (int i = 0; i < 10; i++) {
            index.apply(++sequence, List.of(new WriteBatch.Op(RecordFormat.OP_PUT, b("k" + i), b("new"))),
                    INLINE, 0, index.horizon());
            index.publish(sequence);
        }
        index.apply(++sequence, List.of(new WriteBatch.Op(RecordFormat.OP_DELETE, b("k5"), null)), INLINE, 0,
                index.horizon());
        index.publish(sequence);
        return index;
    }

    /** What a compaction at the visible sequence would fold. */
    private static ReplayIndex snapshotOf(MvccIndex index, ReadPoint point) {
        ReplayIndex folded = new ReplayIndex(42, null);
        try (Cursor c = index.cursor(KeyRange.all(), point, false)) {
            c.forEachRemaining(kv -> folded.putLocated(kv.key(), kv.value().length, kv.value(), -1, 0));
        }
        return folded;
    }

    @Test
    void foldingWithNoOlderReaderEmptiesTheDeltaAndKeepsEveryValue() throws Exception {
        MvccIndex index = rewritten();
        assertEquals(10, index.deltaKeys());
        ReadPoint point = index.register();
        ReplayIndex folded = snapshotOf(index, point);
        index.release(point);
        index.fold(folded, point.sequence(), List.of());
        assertEquals(0, index.deltaKeys());
        assertArrayEquals(b("new"), index.get(b("k3")));
        assertNull(index.get(b("k5")));
        assertEquals(9, index.liveKeys());
    }

    @Test
    void aReaderOnTheOldBaseKeepsTheDeltaUntilItIsReleasedAndSeesItsOwnState() throws Exception {
        MvccIndex index = rewritten();
        ReadPoint old = index.register();
        ReadPoint point = index.register();
        ReplayIndex folded = snapshotOf(index, point);
        index.release(point);
        index.fold(folded, point.sequence(), List.of());
        assertEquals(10, index.deltaKeys(), "a reader on the old base still needs the delta");
        assertArrayEquals(b("new"), index.getAt(b("k3"), old));
        assertNull(index.getAt(b("k5"), old));
        index.release(old);
        index.sweep();
        assertEquals(0, index.deltaKeys());
        assertArrayEquals(b("new"), index.get(b("k3")));
    }
}
