package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.StorageLockedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's API: ordered scans, snapshots, limits and errors, stats. */
class StoreApiTest {

    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> keys(Cursor cursor) {
        List<String> out = new ArrayList<>();
        try (cursor) {
            cursor.forEachRemaining(kv -> out.add(new String(kv.key(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    private Walnut open() throws IOException {
        return Walnut.open(dir, WalnutOptions.builder().seed(1).build());
    }

    @Test
    void keysAreOrderedAsUnsignedBytes() throws IOException {
        try (Walnut db = open()) {
            db.put(new byte[] {(byte) 0x80}, b("high"));
            db.put(new byte[] {0x01}, b("low"));
            db.put(new byte[] {0x7F}, b("mid"));
            List<byte[]> seen = new ArrayList<>();
            try (Cursor c = db.scan(KeyRange.all())) {
                c.forEachRemaining(kv -> seen.add(kv.key()));
            }
            assertArrayEquals(new byte[] {0x01}, seen.get(0));
            assertArrayEquals(new byte[] {0x7F}, seen.get(1));
            assertArrayEquals(new byte[] {(byte) 0x80}, seen.get(2));
        }
    }

    @Test
    void rangePrefixReverseAndResumedScansReturnExactlyTheirKeys() throws IOException {
        try (Walnut db = open()) {
            for (String k : List.of("a", "b1", "b2", "b3", "c", "d")) {
                db.put(b(k), b("v-" + k));
            }
            db.delete(b("b2"));
            assertEquals(List.of("b1", "b3", "c"), keys(db.scan(KeyRange.between(b("b"), b("d")))));
            assertEquals(List.of("a", "b1", "b3"), keys(db.scan(KeyRange.between(null, b("c")))));
            assertEquals(List.of("c", "d"), keys(db.scan(KeyRange.between(b("c"), null))));
            assertEquals(List.of("b1", "b3"), keys(db.scan(KeyRange.prefix(b("b")))));
            assertEquals(List.of("d", "c", "b3", "b1", "a"), keys(db.scan(KeyRange.all().reversed())));
            assertEquals(List.of("b3", "c", "d"), keys(db.scan(KeyRange.all().startAfter(b("b1")))));
            assertEquals(List.of(), keys(db.scan(KeyRange.between(b("d"), b("a")))));
        }
    }

    @Test
    void prefixOfAllOnesBytesHasAnOpenEnd() throws IOException {
        try (Walnut db = open()) {
            db.put(new byte[] {(byte) 0xFF, 1}, b("x"));
            db.put(new byte[] {(byte) 0xFE}, b("y"));
            assertEquals(1, keys(db.scan(KeyRange.prefix(new byte[] {(byte) 0xFF}))).size());
        }
    }

    @Test
    void snapshotSeesOneSequenceWhileWritesGoOn() throws IOException {
        try (Walnut db = open()) {
            db.put(b("k1"), b("old"));
            db.put(b("k2"), b("old"));
            try (Snapshot snap = db.snapshot()) {
                db.put(b("k1"), b("new"));
                db.delete(b("k2"));
                db.put(b("k3"), b("new"));
                assertArrayEquals(b("old"), snap.get(b("k1")));
                assertArrayEquals(b("old"), snap.get(b("k2")));
                assertNull(snap.get(b("k3")));
                assertEquals(List.of("k1", "k2"), keys(snap.scan(KeyRange.all())));
                assertArrayEquals(b("new"), db.get(b("k1")));
                assertNull(db.get(b("k2")));
            }
        }
    }

    @Test
    void cursorReadsOneSequenceEvenWhenWritesLandMidScan() throws IOException {
        try (Walnut db = open()) {
            for (int i = 0; i < 100; i++) {
                db.put(b(String.format("k%03d", i)), b("v"));
            }
            int seen = 0;
            try (Cursor c = db.scan(KeyRange.all())) {
                while (c.hasNext()) {
                    c.next();
                    if (seen++ == 10) {
                        db.put(b("k050x"), b("late"));
                        db.delete(b("k099"));
                    }
                }
            }
            assertEquals(100, seen);
        }
    }

    @Test
    void badInputIsRejectedWithAMessageNamingIt() throws IOException {
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().maxRecordBytes(8192).build())) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> db.put(new byte[0], b("v")))
                    .getMessage().contains("empty key"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> db.put(new byte[64 * 1024 + 1], b("v"))).getMessage().contains("key too large"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> db.put(b("k"), new byte[9000]))
                    .getMessage().contains("batch too large"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> db.write(new WriteBatch()))
                    .getMessage().contains("empty batch"));
            assertThrows(NullPointerException.class, () -> db.put(null, b("v")));
            assertThrows(NullPointerException.class, () -> db.put(b("k"), null));
            assertEquals(0, db.size(), "no rejected write may land");
        }
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> WalnutOptions.builder().segmentBytes(10)).getMessage().contains("segmentBytes out of range"));
    }

    @Test
    void recordsLargerThanTheReadersLimitAreReadUnderTheLimitTheirSegmentDeclares() throws IOException {
        byte[] big = new byte[200 * 1024];
        java.util.Arrays.fill(big, (byte) 7);
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().maxRecordBytes(256 * 1024).compression(false)
                .build())) {
            db.put(b("big"), big);
            LogFixture.copySegments(dir, dir.resolve("image")); // crash: no seal, the big record is last
        }
        try (Walnut db = Walnut.open(dir.resolve("image"), WalnutOptions.builder().maxRecordBytes(16 * 1024)
                .build())) {
            assertTrue(db.recoveryReport().clean(), db.recoveryReport().describe());
            assertArrayEquals(big, db.get(b("big")));
        }
    }

    @Test
    void recoveredStateAnswersGetsAndScansUnderLaterWritesDeletesAndSnapshots() throws IOException {
        byte[] huge = new byte[9 * 1024 * 1024]; // larger than one slab of the recovered index
        java.util.Arrays.fill(huge, (byte) 3);
        WalnutOptions options = WalnutOptions.builder().maxRecordBytes(16 * 1024 * 1024).build();
        try (Walnut db = Walnut.open(dir, options)) {
            for (String k : List.of("a", "c", "e", "g")) {
                db.put(b(k), b("base-" + k));
            }
            db.put(b("huge"), huge);
        }
        try (Walnut db = Walnut.open(dir, options)) {
            assertArrayEquals(huge, db.get(b("huge")));
            db.delete(b("huge"));
            try (Snapshot before = db.snapshot()) {
                db.put(b("b"), b("delta-b"));
                db.put(b("c"), b("delta-c"));
                db.delete(b("e"));
                assertEquals(List.of("a", "b", "c", "g"), keys(db.scan(KeyRange.all())));
                assertEquals(List.of("g", "c", "b", "a"), keys(db.scan(KeyRange.all().reversed())));
                assertEquals(List.of("c", "g"), keys(db.scan(KeyRange.all().startAfter(b("b")))));
                assertEquals(List.of("a", "c", "e", "g"), keys(before.scan(KeyRange.all())));
                assertArrayEquals(b("base-c"), before.get(b("c")));
                assertArrayEquals(b("delta-c"), db.get(b("c")));
                assertNull(db.get(b("e")));
                assertArrayEquals(b("base-e"), before.get(b("e")));
                assertEquals(4, db.size());
                assertEquals((1 + 6) + (1 + 7) + (1 + 7) + (1 + 6), db.stats().liveBytes()); // a, b, c, g
            }
            db.compact();
            assertEquals(List.of("a", "b", "c", "g"), keys(db.scan(KeyRange.all())));
        }
        try (Walnut db = Walnut.open(dir, options)) {
            assertEquals(List.of("a", "b", "c", "g"), keys(db.scan(KeyRange.all())));
            assertNull(db.get(b("huge")));
        }
    }

    @Test
    void useAfterCloseFailsClearly() throws IOException {
        Walnut db = open();
        Snapshot snap = db.snapshot();
        snap.close();
        db.close();
        db.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> db.get(b("k")));
        assertThrows(IllegalStateException.class, () -> db.put(b("k"), b("v")));
        assertThrows(IllegalStateException.class, () -> db.scan(KeyRange.all()));
        assertThrows(IllegalStateException.class, () -> snap.get(b("k")));
    }

    @Test
    void secondOpenOfTheSameDirectoryFailsAtOnce() throws IOException {
        try (Walnut db = open()) {
            StorageLockedException e = assertThrows(StorageLockedException.class, this::open);
            assertTrue(e.getMessage().contains(dir.getFileName().toString()), e.getMessage());
        }
        open().close(); // released on close
    }

    @Test
    void statsCountLiveDataWritesAndFsyncs() throws IOException {
        try (Walnut db = open()) {
            db.put(b("a"), b("12345"));
            db.put(b("b"), b("123"));
            db.put(b("a"), b("1"));
            db.delete(b("b"));
            Stats s = db.stats();
            assertEquals(1, s.liveKeys());
            assertEquals(2, s.liveBytes());
            assertEquals(4, s.writes());
            assertTrue(s.fsyncs() >= 4, s.toString());
            assertEquals(4, s.lastSequence());
            assertEquals(1, s.segments());
            assertTrue(s.logBytes() > 64, s.toString());
        }
    }

    @Test
    void manualDurabilityWritesAreVisibleAndBecomeDurableOnSync() throws IOException {
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().durability(Durability.MANUAL).build())) {
            long fsyncsBefore = db.stats().fsyncs();
            for (int i = 0; i < 10; i++) {
                db.put(b("k" + i), b("v"));
            }
            assertEquals(fsyncsBefore, db.stats().fsyncs(), "manual writes must not fsync");
            assertArrayEquals(b("v"), db.get(b("k3")));
            db.sync();
            assertEquals(fsyncsBefore + 1, db.stats().fsyncs());
        }
    }

    @Test
    void backgroundDurabilitySyncsWithinTheInterval() throws Exception {
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().durability(Durability.BACKGROUND)
                .syncIntervalMs(5).build())) {
            long before = db.stats().fsyncs();
            db.put(b("k"), b("v"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (db.stats().fsyncs() == before && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(before + 1, db.stats().fsyncs(), "the background thread must sync the write");
        }
    }
}
