package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint is a consistent, openable copy of the store at exactly the sequence it returns. */
class CheckpointTest {

    private static final int WRITERS = 4;

    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static WalnutOptions options() {
        return WalnutOptions.builder().seed(11).segmentBytes(64 * 1024).compactionRatio(0).build();
    }

    @Test
    void aCheckpointTakenDuringConcurrentWritesHoldsExactlyThePrefixUpToItsSequence() throws Exception {
        Path store = dir.resolve("store");
        List<Long> sequences = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        long[] written = new long[WRITERS];
        try (Walnut db = Walnut.open(store, options())) {
            for (int i = 0; i < 300; i++) {
                db.put(b("pre-" + i), b("v" + i));
            }
            db.compact(); // the checkpoint must carry a base and a MANIFEST too
            long before = db.recoveryReport().lastSequence();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (long i = 0; !stop.get() || i < 200; i++) {
                        db.put(b(thread + "-" + i), b("value-" + thread + "-" + i));
                        written[thread] = i + 1;
                    }
                    return null;
                }));
            }
            for (int c = 0; c < 3; c++) {
                Thread.sleep(20);
                sequences.add(db.checkpoint(dir.resolve("cp" + c)));
            }
            stop.set(true);
            for (Future<?> f : writers) {
                f.get();
            }
            pool.shutdown();
            long preSequence = before + 300; // 300 puts, one record each, on a fresh store
            for (int c = 0; c < 3; c++) {
                verifyPrefix(db, dir.resolve("cp" + c), sequences.get(c), preSequence);
            }
        }
        assertTrue(sequences.get(0) <= sequences.get(1) && sequences.get(1) <= sequences.get(2), "" + sequences);
    }

    /** The copy opens cleanly at {@code sequence}; each writer's keys in it are a prefix of what it wrote. */
    private static void verifyPrefix(Walnut live, Path copy, long sequence, long preSequence) throws IOException {
        try (Walnut cp = Walnut.open(copy, options())) {
            assertTrue(cp.recoveryReport().clean(), cp.recoveryReport().describe());
            assertEquals(sequence, cp.recoveryReport().lastSequence());
            long keys = 0;
            for (int t = 0; t < WRITERS; t++) {
                long n = 0;
                while (cp.get(b(t + "-" + n)) != null) {
                    assertArrayEquals(live.get(b(t + "-" + n)), cp.get(b(t + "-" + n)));
                    n++;
                }
                assertNull(cp.get(b(t + "-" + (n + 1))), "writer " + t + " has a gap after " + n);
                keys += n;
            }
            for (int i = 0; i < 300; i++) {
                assertArrayEquals(b("v" + i), cp.get(b("pre-" + i)));
            }
            assertEquals(sequence - preSequence, keys, "the copy holds exactly the writes up to its sequence");
            assertEquals(keys + 300, cp.size());
        }
    }

    @Test
    void aCheckpointRefusesATargetThatHoldsFiles() throws IOException {
        Path target = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(target.resolve("x"), "x");
        try (Walnut db = Walnut.open(dir.resolve("store"), options())) {
            db.put(b("k"), b("v"));
            assertThrows(DirectoryNotEmptyException.class, () -> db.checkpoint(target));
        }
        assertEquals(List.of("x"), List.of(target.toFile().list()));
    }

    @Test
    void aCheckpointOfAStoreOnAnotherStorageIsCopiedThroughTheSeam() throws IOException {
        // A storage that is not a FileChannelWalStorage cannot be linked: every file is streamed.
        Path live = Files.createDirectories(dir.resolve("store"));
        try (FailStopTest.RecordingStorage storage = new FailStopTest.RecordingStorage(live);
             Walnut db = Walnut.open(storage, options())) {
            for (int i = 0; i < 1000; i++) {
                db.put(b("k" + i), new byte[100]);
            }
            long sequence = db.checkpoint(dir.resolve("copy"));
            db.put(b("after"), b("x"));
            try (Walnut cp = Walnut.open(dir.resolve("copy"), options())) {
                assertEquals(sequence, cp.recoveryReport().lastSequence());
                assertEquals(1000, cp.size());
                assertNull(cp.get(b("after")));
            }
        }
    }
}
