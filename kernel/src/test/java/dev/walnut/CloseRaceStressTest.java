package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the simulator's seeds do not order: the background sync timer, compaction on the background
 * thread, and {@code close()} racing writers and readers. Each round opens a store with a random
 * durability mode, runs writers (single puts and two-key batches) and readers, and closes it at a
 * random moment. The outcome rule: a write either succeeds, and is then present after reopen, or
 * fails with {@code IllegalStateException("store is closed")} and is absent; a batch is all or
 * nothing; {@code close()} returns normally. Anything else fails the test.
 *
 * <p>Bounded for CI by {@code -Dwalnut.stress.seconds} (default {@value #SECONDS_DEFAULT}); run longer
 * with {@code mvn -pl kernel test -Dtest=CloseRaceStressTest -Dwalnut.stress.seconds=600}. The seed
 * is printed; {@code -Dwalnut.stress.seed=N} replays a round's choices (thread timing is not replayable).
 */
class CloseRaceStressTest {

    private static final int SECONDS_DEFAULT = 8;
    private static final int WRITERS = 4;
    private static final int READERS = 2;
    private static final long CLOSE_AFTER_MS_MAX = 40;

    enum Outcome { DONE, CLOSED, UNEXPECTED }

    @TempDir
    Path dir;

    @Test
    void writesRacingCloseEitherSucceedDurablyOrFailAsClosedBeforeAnythingIsWritten() throws Exception {
        long seconds = Long.getLong("walnut.stress.seconds", SECONDS_DEFAULT);
        long seed = Long.getLong("walnut.stress.seed", System.nanoTime());
        System.out.println("CloseRaceStressTest seed=" + seed + " seconds=" + seconds);
        SplittableRandom random = new SplittableRandom(seed);
        Map<Outcome, AtomicLong> outcomes = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new AtomicLong());
        }
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int rounds = 0;
        long lost = 0;
        long reads = 0;
        while (System.nanoTime() < deadline || rounds == 0) {
            Round round = new Round(dir.resolve("r" + rounds), random.split(), outcomes, unexpected);
            round.run();
            lost += round.verify();
            reads += round.reads.get();
            rounds++;
        }
        System.out.printf("CloseRaceStressTest: threads=%d+%d rounds=%d writes=%d done=%d closed=%d unexpected=%d"
                        + " reads=%d lostWrites=%d%n", WRITERS, READERS, rounds,
                outcomes.values().stream().mapToLong(AtomicLong::get).sum(), outcomes.get(Outcome.DONE).get(),
                outcomes.get(Outcome.CLOSED).get(), outcomes.get(Outcome.UNEXPECTED).get(), reads, lost);
        assertEquals(List.of(), unexpected.subList(0, Math.min(5, unexpected.size())));
        assertEquals(0, lost, "acknowledged writes lost");
        assertTrue(outcomes.get(Outcome.CLOSED).get() > 0, "no write ever raced close(): the test proved nothing");
    }

    /** One store's life: open, race, close, reopen and check. */
    private static final class Round {
        final Path directory;
        final SplittableRandom random;
        final Map<Outcome, AtomicLong> outcomes;
        final List<String> unexpected;
        final WalnutOptions options;
        /** key -> value for acknowledged writes; key -> null for writes that failed as closed. */
        final Map<String, String> done = new ConcurrentHashMap<>();
        final Map<String, Boolean> refused = new ConcurrentHashMap<>();
        final AtomicLong reads = new AtomicLong();

        Round(Path directory, SplittableRandom random, Map<Outcome, AtomicLong> outcomes, List<String> unexpected) {
            this.directory = directory;
            this.random = random;
            this.outcomes = outcomes;
            this.unexpected = unexpected;
            Durability[] modes = Durability.values();
            this.options = WalnutOptions.builder().seed(random.nextLong())
                    .durability(modes[random.nextInt(modes.length)]).syncIntervalMs(1 + random.nextInt(3))
                    .segmentBytes(WalnutOptions.SEGMENT_BYTES_MIN * (1 + random.nextInt(4)))
                    .compactionRatio(1.5).build();
        }

        void run() throws Exception {
            Walnut db = Walnut.open(directory, options);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                int thread = t;
                threads.add(new Thread(() -> write(db, thread, start), "writer-" + t));
            }
            for (int t = 0; t < READERS; t++) {
                threads.add(new Thread(() -> read(db, start), "reader-" + t));
            }
            threads.forEach(Thread::start);
            start.countDown();
            Thread.sleep(random.nextLong(CLOSE_AFTER_MS_MAX));
            try {
                db.close();
            } catch (IOException | RuntimeException e) {
                unexpected.add("close() threw " + e);
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        private void write(Walnut db, int thread, CountDownLatch start) {
            await(start);
            for (int i = 0; ; i++) {
                String a = thread + "-" + i + "-a";
                String b = thread + "-" + i + "-b";
                boolean batch = i % 3 == 0;
                try {
                    if (batch) {
                        db.write(new WriteBatch().put(bytes(a), bytes("v" + a)).put(bytes(b), bytes("v" + b)));
                        done.put(b, "v" + b);
                    } else {
                        db.put(bytes(a), bytes("v" + a));
                    }
                    done.put(a, "v" + a);
                    outcomes.get(Outcome.DONE).incrementAndGet();
                } catch (IllegalStateException e) {
                    if (!"store is closed".equals(e.getMessage())) {
                        unexpected.add("write " + a + ": " + e);
                        outcomes.get(Outcome.UNEXPECTED).incrementAndGet();
                        return;
                    }
                    refused.put(a, true);
                    if (batch) {
                        refused.put(b, true);
                    }
                    outcomes.get(Outcome.CLOSED).incrementAndGet();
                    return;
                } catch (IOException | RuntimeException | Error e) {
                    unexpected.add("write " + a + ": " + e);
                    outcomes.get(Outcome.UNEXPECTED).incrementAndGet();
                    return;
                }
            }
        }

        private void read(Walnut db, CountDownLatch start) {
            await(start);
            try {
                for (int i = 0; ; i++) {
                    String key = (i % WRITERS) + "-" + (i / WRITERS) + "-a";
                    byte[] v = db.get(bytes(key));
                    if (v != null && !new String(v, StandardCharsets.UTF_8).equals("v" + key)) {
                        unexpected.add("read " + key + " returned " + new String(v, StandardCharsets.UTF_8));
                    }
                    try (Cursor c = db.scan(KeyRange.prefix(bytes((i % WRITERS) + "-")))) {
                        for (int n = 0; n < 16 && c.hasNext(); n++) {
                            c.next();
                        }
                    }
                    reads.incrementAndGet();
                }
            } catch (IllegalStateException e) {
                if (!"store is closed".equals(e.getMessage())) {
                    unexpected.add("reader: " + e);
                }
            } catch (RuntimeException | IOException e) {
                unexpected.add("reader: " + e);
            }
        }

        /** Reopens and checks the outcome rule; returns how many acknowledged writes are missing. */
        long verify() throws IOException {
            long lost = 0;
            try (Walnut db = Walnut.open(directory, options)) {
                assertTrue(db.recoveryReport().clean(), "close() returned, so the log must be sealed whole: "
                        + db.recoveryReport().describe());
                for (Map.Entry<String, String> e : done.entrySet()) {
                    byte[] v = db.get(bytes(e.getKey()));
                    if (v == null) {
                        lost++;
                    } else {
                        assertArrayEquals(bytes(e.getValue()), v, e.getKey());
                    }
                }
                for (String key : refused.keySet()) {
                    assertNull(db.get(bytes(key)), "a write refused as closed was written: " + key);
                }
                assertEquals(done.size(), db.size(), "the store holds exactly the acknowledged writes");
            }
            return lost;
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }
}
