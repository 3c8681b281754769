package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many writers and readers at once: readers see whole batches in order; writers share fsyncs. */
class ConcurrencyTest {

    static final int KEYS_PER_BATCH = 5;

    @TempDir
    Path dir;

    static byte[] key(int writer, int k) {
        return ("w" + writer + "-k" + k).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] counter(int n) {
        return ByteBuffer.allocate(4).putInt(n).array();
    }

    /**
     * Each writer's batch j sets all its keys to j. A reader that ever sees two different values
     * among one writer's keys saw half a batch; one that sees a writer's value go down saw batches
     * out of order.
     */
    @Test
    void readersSeeAPrefixOfEachWritersBatchesNeverHalfABatch() throws Exception {
        int writers = 4;
        int batches = 150;
        List<String> violations = new ArrayList<>();
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().segmentBytes(64 * 1024).build())) {
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<String> found = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                threads.add(new Thread(() -> {
                    try {
                        for (int j = 1; j <= batches; j++) {
                            WriteBatch batch = new WriteBatch();
                            for (int k = 0; k < KEYS_PER_BATCH; k++) {
                                batch.put(key(writer, k), counter(j));
                            }
                            db.write(batch, j % 3 == 0 ? Durability.MANUAL : Durability.SYNC);
                        }
                    } catch (IOException e) {
                        found.add("writer " + writer + " failed: " + e);
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                boolean useSnapshots = r == 0;
                threads.add(new Thread(() -> {
                    int[] last = new int[writers];
                    while (!done.get()) {
                        for (int w = 0; w < writers; w++) {
                            int seen;
                            try {
                                seen = useSnapshots ? readViaSnapshot(db, w) : readViaScan(db, w);
                            } catch (IOException e) {
                                found.add("reader: " + e);
                                return;
                            }
                            if (seen == -2) {
                                found.add("writer " + w + ": half a batch visible");
                            } else if (seen < last[w]) {
                                found.add("writer " + w + ": went back from " + last[w] + " to " + seen);
                            }
                            last[w] = Math.max(last[w], seen);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (int i = 0; i < writers; i++) {
                threads.get(i).join();
            }
            done.set(true);
            for (Thread t : threads) {
                t.join();
            }
            found.stream().limit(10).forEach(violations::add);
            for (int w = 0; w < writers; w++) {
                assertEquals(batches, readViaScan(db, w));
            }
        }
        assertEquals(List.of(), violations);
    }

    /** The common value of a writer's keys, 0 if none yet, -2 if they differ. */
    private static int readViaSnapshot(Walnut db, int writer) throws IOException {
        try (Snapshot snap = db.snapshot()) {
            int value = -1;
            for (int k = 0; k < KEYS_PER_BATCH; k++) {
                byte[] v = snap.get(key(writer, k));
                int n = v == null ? 0 : ByteBuffer.wrap(v).getInt();
                if (value >= 0 && n != value) {
                    return -2;
                }
                value = n;
            }
            return value;
        }
    }

    private static int readViaScan(Walnut db, int writer) {
        int value = -1;
        int count = 0;
        try (Cursor c = db.scan(KeyRange.prefix(("w" + writer + "-").getBytes(StandardCharsets.UTF_8)))) {
            while (c.hasNext()) {
                int n = ByteBuffer.wrap(c.next().value()).getInt();
                if (value >= 0 && n != value) {
                    return -2;
                }
                value = n;
                count++;
            }
        }
        if (count != 0 && count != KEYS_PER_BATCH) {
            return -2;
        }
        return Math.max(value, 0);
    }

    @Test
    void writesDuringACompactionAreAllKeptAndReadersNeverMissALiveKey() throws Exception {
        WalnutOptions options = WalnutOptions.builder().segmentBytes(16 * 1024).compactionRatio(0).build();
        int keys = 300;
        try (Walnut db = Walnut.open(dir, options)) {
            for (int k = 0; k < keys; k++) {
                db.put(key(9, k), counter(0));
            }
            AtomicBoolean compacting = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            Thread writer = new Thread(() -> {
                try {
                    for (int round = 1; compacting.get() || round < 3; round++) {
                        for (int k = 0; k < keys; k += 7) {
                            db.put(key(9, k), counter(round));
                        }
                    }
                } catch (IOException e) {
                    problems.add("writer: " + e);
                }
            });
            Thread reader = new Thread(() -> {
                try {
                    while (compacting.get()) {
                        for (int k = 0; k < keys; k++) {
                            if (db.get(key(9, k)) == null) {
                                problems.add("key " + k + " missing during compaction");
                            }
                        }
                    }
                } catch (IOException e) {
                    problems.add("reader: " + e);
                }
            });
            writer.start();
            reader.start();
            for (int i = 0; i < 3; i++) {
                db.compact();
            }
            compacting.set(false);
            writer.join();
            reader.join();
            assertEquals(List.of(), problems.stream().limit(10).toList());
            int[] expected = new int[keys];
            for (int k = 0; k < keys; k++) {
                expected[k] = ByteBuffer.wrap(db.get(key(9, k))).getInt();
            }
            assertEquals(3, db.stats().compactions());
            db.close();
            try (Walnut reopened = Walnut.open(dir, options)) {
                for (int k = 0; k < keys; k++) {
                    assertEquals(expected[k], ByteBuffer.wrap(reopened.get(key(9, k))).getInt(), "key " + k);
                }
            }
        }
    }

    /** A storage whose fsync takes a while, as a disk's does: concurrent writers queue behind it. */
    static final class SlowSyncStorage extends dev.walnut.io.ForwardingWalStorage {
        SlowSyncStorage(Path dir) throws IOException {
            super(new FileChannelWalStorage(dir));
        }

        @Override
        protected WalFile wrap(String name, WalFile file) {
            return new dev.walnut.io.ForwardingWalFile(file) {
                @Override
                public void sync() throws IOException {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted in sync", e);
                    }
                    file.sync();
                }
            };
        }
    }

    @Test
    void concurrentSyncWritersShareFsyncs() throws Exception {
        int threads = 16;
        int writesEach = 40;
        Files.createDirectories(dir);
        try (SlowSyncStorage storage = new SlowSyncStorage(dir);
             Walnut db = Walnut.open(storage, WalnutOptions.builder().build())) {
            long fsyncsBefore = db.stats().fsyncs();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < writesEach; i++) {
                            db.put(("t" + id + "-" + i).getBytes(StandardCharsets.UTF_8), new byte[100]);
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                th.start();
                all.add(th);
            }
            start.countDown();
            for (Thread th : all) {
                th.join();
            }
            long fsyncs = db.stats().fsyncs() - fsyncsBefore;
            assertEquals(threads * writesEach, db.size());
            double writesPerFsync = (double) threads * writesEach / fsyncs;
            assertTrue(writesPerFsync > 4, "writesPerFsync=" + writesPerFsync + " fsyncs=" + fsyncs);
        }
    }
}
