package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fail-stop contract at the store's edges: close, rotation, and what an outcome means. A write
 * reported done is durable and visible; a write reported failed is not visible and, when it failed
 * before its append, absent after recovery; {@code close()} seals and syncs or throws.
 */
class FailStopTest {

    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Records every append and sync on segment files, with its outcome, in order. */
    static final class RecordingStorage extends ForwardingWalStorage {
        final List<String> events = new ArrayList<>();

        RecordingStorage(Path directory) throws IOException {
            super(new FileChannelWalStorage(directory));
        }

        synchronized void event(String e) {
            events.add(e);
        }

        @Override
        protected WalFile wrap(String name, WalFile file) {
            return new ForwardingWalFile(file) {
                @Override
                public void append(ByteBuffer source) throws IOException {
                    try {
                        file.append(source);
                        event("append " + name);
                    } catch (IOException e) {
                        event("append-failed " + name);
                        throw e;
                    }
                }

                @Override
                public void sync() throws IOException {
                    try {
                        file.sync();
                        event("sync " + name);
                    } catch (IOException e) {
                        event("sync-failed " + name + " " + e.getClass().getSimpleName());
                        throw e;
                    }
                }
            };
        }

        /** The last append and everything after it. */
        synchronized List<String> afterLastAppend() {
            int last = -1;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).startsWith("append")) {
                    last = i;
                }
            }
            return List.copyOf(events.subList(Math.max(last, 0), events.size()));
        }
    }

    @Test
    void closeUnderBackgroundDurabilitySealsAndSyncsOrThrows() throws IOException {
        // shutdownNow() used to interrupt the background fsync; FileChannel then closed itself and
        // close() swallowed the poison and returned as if it had sealed.
        for (int round = 0; round < 60; round++) {
            Path d = Files.createDirectories(dir.resolve("r" + round));
            RecordingStorage storage = new RecordingStorage(d);
            WalnutOptions options = WalnutOptions.builder().seed(round).durability(Durability.BACKGROUND)
                    .syncIntervalMs(1).build();
            try (Walnut db = Walnut.open(storage, options)) {
                for (int i = 0; i < 200; i++) {
                    db.put(b("k" + i), b("v" + i));
                }
            }
            List<String> tail = storage.afterLastAppend();
            assertTrue(tail.size() >= 2 && tail.get(0).startsWith("append ") && tail.get(tail.size() - 1)
                    .startsWith("sync "), "round " + round + ": close() returned but the seal was not synced: " + tail);
            assertTrue(tail.stream().noneMatch(e -> e.startsWith("sync-failed")), "round " + round + ": " + tail);
            storage.close();
            try (Walnut db = Walnut.open(d, options)) {
                assertTrue(db.recoveryReport().clean(), db.recoveryReport().describe());
                assertEquals(200, db.size());
            }
        }
    }

    /** Fails the creation of any segment once armed; everything else passes through. */
    static final class FailingCreateStorage extends ForwardingWalStorage {
        volatile boolean failCreate;

        FailingCreateStorage(Path directory) throws IOException {
            super(new FileChannelWalStorage(directory));
        }

        @Override
        public WalFile create(String name) throws IOException {
            if (failCreate && name.startsWith("wal-")) {
                throw new IOException("injected: cannot create " + name);
            }
            return super.create(name);
        }
    }

    @Test
    void aWriteReportedFailedByRotationIsNeitherVisibleNorRecovered() throws IOException {
        FailingCreateStorage storage = new FailingCreateStorage(dir);
        WalnutOptions options = WalnutOptions.builder().seed(7).segmentBytes(WalnutOptions.SEGMENT_BYTES_MIN)
                .compactionRatio(0).build();
        List<String> acknowledged = new ArrayList<>();
        String failed = null;
        Walnut db = Walnut.open(storage, options);
        storage.failCreate = true;
        for (int i = 0; i < 1000 && failed == null; i++) {
            String key = "key-" + i;
            try {
                db.put(b(key), new byte[100]);
                acknowledged.add(key);
            } catch (IOException e) {
                failed = key;
            }
        }
        if (failed == null) {
            fail("no rotation happened in 1000 writes of 100 bytes with segmentBytes=" + WalnutOptions.SEGMENT_BYTES_MIN);
        }
        assertNull(db.get(b(failed)), "a write reported failed is visible: " + failed);
        for (String key : acknowledged) {
            assertArrayEquals(new byte[100], db.get(b(key)), key);
        }
        assertThrows(StorePoisonedException.class, () -> db.put(b("after"), b("x")));
        assertThrows(IOException.class, db::close, "close() of a poisoned store cannot seal, so it throws");
        storage.failCreate = false;
        storage.close();
        try (Walnut reopened = Walnut.open(dir, options)) {
            assertNull(reopened.get(b(failed)), "a write reported failed before its append was recovered: " + failed);
            for (String key : acknowledged) {
                assertArrayEquals(new byte[100], reopened.get(b(key)), key);
            }
        }
    }

    @Test
    void closeOfAPoisonedStoreThrowsThePoison() throws IOException {
        FailingCreateStorage storage = new FailingCreateStorage(dir);
        Walnut db = Walnut.open(storage, WalnutOptions.builder().seed(3).compactionRatio(0).build());
        db.put(b("a"), b("1"));
        storage.failCreate = true;
        // compact() rotates first; the failed creation poisons the store.
        assertThrows(IOException.class, db::compact);
        IOException closing = assertThrows(IOException.class, db::close);
        assertTrue(closing instanceof StorePoisonedException, String.valueOf(closing));
        assertEquals(closing, assertThrows(IOException.class, db::close), "a second close() must not read as success");
        storage.close();
    }

    @Test
    void aRuntimeExceptionOnceAnAppendBeganPoisonsTheStoreInsteadOfPassingForABug() throws IOException {
        // The bytes reached the file, then the append threw unchecked: the outcome is unknown, so the
        // write must be reported failed as I/O and nothing later acknowledged.
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        ForwardingWalStorage storage = new ForwardingWalStorage(new FileChannelWalStorage(dir)) {
            @Override
            protected WalFile wrap(String name, WalFile file) {
                return new ForwardingWalFile(file) {
                    @Override
                    public void append(ByteBuffer source) throws IOException {
                        file.append(source);
                        if (armed.getAndSet(false)) {
                            throw new IllegalStateException("injected: unchecked failure after the bytes were written");
                        }
                    }
                };
            }
        };
        Walnut db = Walnut.open(storage, WalnutOptions.builder().seed(4).compactionRatio(0).build());
        db.put(b("before"), b("1"));
        armed.set(true);
        IOException failed = assertThrows(IOException.class, () -> db.put(b("unknown"), b("2")));
        assertTrue(failed.getMessage().contains("after its append"), failed.getMessage());
        assertNull(db.get(b("unknown")), "a write reported failed is visible");
        assertThrows(StorePoisonedException.class, () -> db.put(b("later"), b("3")));
        assertThrows(StorePoisonedException.class, db::close);
        storage.close();
        try (Walnut reopened = Walnut.open(dir, WalnutOptions.builder().seed(4).build())) {
            assertArrayEquals(b("1"), reopened.get(b("before")));
            assertNull(reopened.get(b("later")), "nothing after the poison was written");
        }
    }

    @Test
    void statsAndSizeAfterCloseThrowLikeEveryOtherMethod() throws IOException {
        Walnut db = Walnut.open(dir, WalnutOptions.builder().seed(1).build());
        db.close();
        assertThrows(IllegalStateException.class, db::stats);
        assertThrows(IllegalStateException.class, db::size);
        assertThrows(IllegalStateException.class, () -> db.get(b("k")));
    }

    @Test
    void openRefusesADirectoryThatHoldsOtherFilesAndNoWalnutFile() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not a store");
        IOException e = assertThrows(IOException.class, () -> Walnut.open(dir));
        assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("not a Walnut store"), e.getMessage());
        assertEquals(List.of("notes.txt"), List.of(dir.toFile().list()), "the refused open created a file");
    }

    @Test
    void openAcceptsAnEmptyDirectoryAndAnExistingStore() throws IOException {
        try (Walnut db = Walnut.open(dir)) {
            db.put(b("k"), b("v"));
        }
        Files.writeString(dir.resolve("README"), "a user's note beside a store is fine");
        try (Walnut db = Walnut.open(dir)) {
            assertArrayEquals(b("v"), db.get(b("k")));
        }
    }

    @Test
    void aSnapshotCursorFailsFastOnceItsSnapshotIsClosed() throws IOException {
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().seed(1).compactionRatio(0).build())) {
            for (int i = 0; i < 10; i++) {
                db.put(b("k" + i), b("old"));
            }
            Snapshot snapshot = db.snapshot();
            Cursor cursor = snapshot.scan(KeyRange.all());
            assertArrayEquals(b("old"), cursor.next().value());
            snapshot.close();
            for (int i = 0; i < 10; i++) {
                db.put(b("k" + i), b("new"));
            }
            db.compact();
            IllegalStateException e = assertThrows(IllegalStateException.class, cursor::hasNext,
                    "a cursor read on after its snapshot was closed and could mix versions");
            assertTrue(e.getMessage().contains("snapshot is closed"), e.getMessage());
            cursor.close();
        }
    }

    @Test
    void aReversedScanResumesTowardsTheLowEnd() throws IOException {
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().seed(1).build())) {
            for (int i = 1; i <= 5; i++) {
                db.put(b("p" + i), b("v"));
            }
            db.put(b("q"), b("outside"));
            KeyRange range = KeyRange.prefix(b("p")).reversed();
            assertEquals(List.of("p5", "p4"), firstKeys(db.scan(range), 2));
            assertEquals(List.of("p3", "p2", "p1"), StoreApiTest.keys(db.scan(range.startAfter(b("p4")))));
            assertEquals(List.of("p5", "p4", "p3", "p2", "p1"), StoreApiTest.keys(db.scan(range.startAfter(b("p9")))));
            assertEquals(List.of(), StoreApiTest.keys(db.scan(range.startAfter(b("p1")))));
            assertEquals(List.of("p4", "p5"), StoreApiTest.keys(db.scan(KeyRange.prefix(b("p")).startAfter(b("p3")))));
        }
    }

    private static List<String> firstKeys(Cursor cursor, int n) {
        List<String> out = new ArrayList<>();
        try (cursor) {
            while (out.size() < n && cursor.hasNext()) {
                out.add(new String(cursor.next().key(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
