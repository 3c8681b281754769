package dev.walnut;

import static dev.walnut.LogFixture.key;
import static dev.walnut.LogFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the process before each storage step of rotation and of compaction in turn, reopens the
 * image left behind, and checks every acknowledged write is there and no deleted key came back.
 */
class CrashAtEveryStepTest {

    @TempDir
    Path root;

    /** No background thread touches the storage: every step is the test's own, so each can be the crash. */
    private static WalnutOptions options() {
        return WalnutOptions.builder().seed(5).segmentBytes(4096).compactionRatio(0).backgroundIndexing(false)
                .build();
    }

    /** Keys 0..199 written, every third deleted, key 5 overwritten: a model of the state. */
    private static TreeMap<Integer, byte[]> populate(Walnut db) throws IOException {
        TreeMap<Integer, byte[]> model = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            db.put(key(i), value(i));
            model.put(i, value(i));
        }
        for (int i = 0; i < 200; i += 3) {
            db.delete(key(i));
            model.remove(i);
        }
        db.put(key(5), value(5005));
        model.put(5, value(5005));
        return model;
    }

    private static void assertState(Path image, TreeMap<Integer, byte[]> model, int keysMax) throws IOException {
        try (Walnut db = Walnut.open(image, options())) {
            for (int i = 0; i < keysMax; i++) {
                byte[] expected = model.get(i);
                if (expected == null) {
                    assertNull(db.get(key(i)), "key " + i + " was deleted and came back\n"
                            + db.recoveryReport().describe());
                } else {
                    assertArrayEquals(expected, db.get(key(i)), "key " + i + "\n" + db.recoveryReport().describe());
                }
            }
            assertTrue(db.recoveryReport().clean() || !db.recoveryReport().hasCorruption(),
                    db.recoveryReport().describe());
        }
    }

    @Test
    void crashBeforeAnyStepOfACompactionRecoversTheFullState() throws IOException {
        int crashes = 0;
        for (long step = 1; ; step++) {
            Path live = root.resolve("live-" + step);
            Path image = root.resolve("image-" + step);
            StepCrashStorage storage = new StepCrashStorage(live, image);
            TreeMap<Integer, byte[]> model;
            Walnut db = Walnut.open(storage, options());
            try {
                model = populate(db);
                storage.arm(step);
                try {
                    db.compact();
                } catch (IOException e) {
                    assertTrue(e.getMessage().contains("injected crash"), e.toString());
                }
            } finally {
                try {
                    db.close();
                } catch (IOException ignored) {
                    // The "crashed" process cannot close cleanly; the image was taken before.
                }
                storage.close();
            }
            if (!storage.crashed()) {
                assertTrue(step > 5, "compaction must take several steps, took " + (step - 1));
                assertState(live, model, 200); // the completed compaction, for good measure
                break;
            }
            crashes++;
            assertState(image, model, 200);
        }
        assertTrue(crashes >= 8, "crashes=" + crashes);
    }

    @Test
    void crashBeforeAnyStepOfWritingIndexFilesLosesNothingAndTheNextOpenIgnoresWhatItLeft() throws IOException {
        int crashes = 0;
        for (long step = 1; ; step++) {
            Path live = root.resolve("index-live-" + step);
            Path image = root.resolve("index-image-" + step);
            StepCrashStorage storage = new StepCrashStorage(live, image);
            TreeMap<Integer, byte[]> model;
            Walnut db = Walnut.open(storage, options());
            try {
                model = populate(db);
                storage.arm(step);
                try {
                    assertTrue(db.writeIndexFiles() > 0 || storage.crashed(), "populate leaves sealed segments");
                } catch (IOException e) {
                    assertTrue(e.getMessage().contains("injected crash"), e.toString());
                }
            } finally {
                try {
                    db.close();
                } catch (IOException ignored) {
                    // see above
                }
                storage.close();
            }
            if (!storage.crashed()) {
                assertTrue(step > 6, "index files take several steps, took " + (step - 1));
                assertState(live, model, 200);
                break;
            }
            crashes++;
            assertState(image, model, 200);
            try (Walnut reopened = Walnut.open(image, options())) {
                // A half-written index file is never read: at most a whole one that was renamed in place.
                assertEquals(List.of(), reopened.recoveryReport().indexFilesRebuilt(),
                        reopened.recoveryReport().describe());
            }
        }
        assertTrue(crashes >= 6, "crashes=" + crashes);
    }

    @Test
    void crashBeforeAnyStepOfWritingAndRotatingKeepsEveryAcknowledgedWrite() throws IOException {
        for (long step = 1; step <= 60; step++) {
            Path live = root.resolve("live-" + step);
            Path image = root.resolve("image-" + step);
            StepCrashStorage storage = new StepCrashStorage(live, image);
            TreeMap<Integer, byte[]> model = new TreeMap<>();
            Walnut db = Walnut.open(storage, options());
            try {
                storage.arm(step);
                for (int i = 0; i < 400 && !storage.crashed(); i++) {
                    try {
                        db.put(key(i), value(i));
                        model.put(i, value(i));
                    } catch (IOException e) {
                        assertTrue(storage.crashed(), e.toString());
                    }
                }
            } finally {
                try {
                    db.close();
                } catch (IOException ignored) {
                    // see above
                }
                storage.close();
            }
            assertTrue(storage.crashed(), "step " + step + " was never reached");
            // Acknowledged writes survive; the one that failed may or may not (it was not acknowledged).
            try (Walnut reopened = Walnut.open(image, options())) {
                for (int i : model.keySet()) {
                    assertArrayEquals(model.get(i), reopened.get(key(i)), "step " + step + " key " + i);
                }
                assertTrue(reopened.size() <= model.size() + 1);
            }
        }
    }

    @Test
    void aFailedSyncPoisonsTheStoreAndNothingLaterIsAcknowledged() throws IOException {
        Path live = root.resolve("live");
        StepCrashStorage storage = new StepCrashStorage(live, root.resolve("image"));
        Walnut db = Walnut.open(storage, options());
        db.put(key(1), value(1));
        storage.arm(2); // the next put appends (step 1) and fails to sync (step 2)
        IOException first = assertThrows(IOException.class, () -> db.put(key(2), value(2)));
        StorePoisonedException later = assertThrows(StorePoisonedException.class, () -> db.put(key(3), value(3)));
        assertTrue(later.getMessage().contains(first.getMessage()), later.getMessage());
        assertThrows(StorePoisonedException.class, db::sync);
        assertArrayEquals(value(1), db.get(key(1)), "reads of memory go on");
        assertNull(db.get(key(2)), "a write whose sync failed is not visible");
        assertThrows(StorePoisonedException.class, db::close, "a poisoned store cannot seal: close() says so");
        storage.close();
        try (Walnut reopened = Walnut.open(root.resolve("image"), options())) {
            assertArrayEquals(value(1), reopened.get(key(1)));
            assertNull(reopened.get(key(3)));
        }
    }

    @Test
    void anErrorInTheCommitLeaderPoisonsTheStoreInsteadOfWedgingIt() throws IOException {
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        java.nio.file.Files.createDirectories(root.resolve("err"));
        dev.walnut.io.WalStorage storage = new dev.walnut.io.ForwardingWalStorage(
                new dev.walnut.io.FileChannelWalStorage(root.resolve("err"))) {
            @Override
            protected dev.walnut.io.WalFile wrap(String name, dev.walnut.io.WalFile file) {
                return new dev.walnut.io.ForwardingWalFile(file) {
                    @Override
                    public void append(java.nio.ByteBuffer source) throws IOException {
                        if (armed.getAndSet(false)) {
                            throw new OutOfMemoryError("Direct buffer memory");
                        }
                        super.append(source);
                    }
                };
            }
        };
        Walnut db = Walnut.open(storage, options());
        db.put(key(1), value(1));
        armed.set(true);
        assertThrows(OutOfMemoryError.class, () -> db.put(key(2), value(2)));
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            StorePoisonedException e = assertThrows(StorePoisonedException.class, () -> db.put(key(3), value(3)));
            assertTrue(e.getMessage().contains("Direct buffer memory"), e.getMessage());
            assertThrows(StorePoisonedException.class, db::close);
        });
        storage.close();
    }

    @Test
    void recoveryAfterCompactionReplaysOnlyTheBaseAndLaterRecords() throws IOException {
        Path dir = root.resolve("db");
        TreeMap<Integer, byte[]> model;
        try (Walnut db = Walnut.open(dir, options())) {
            model = populate(db);
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 200; i++) {
                    if (model.containsKey(i)) {
                        db.put(key(i), model.get(i));
                    }
                }
            }
            long before = db.stats().logBytes();
            db.compact();
            assertTrue(db.stats().logBytes() < before / 3, "before=" + before + " after=" + db.stats().logBytes());
            assertEquals(1, db.stats().compactions());
            db.put(key(1000), value(1000));
            model.put(1000, value(1000));
        }
        try (Walnut db = Walnut.open(dir, options())) {
            RecoveryReport report = db.recoveryReport();
            assertTrue(report.recordsReplayed() < 20, report.describe());
            assertEquals(model.size(), db.size());
        }
        assertState(dir, model, 1001);
    }
}
