package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.log.LogWriter;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unsynced writes (BACKGROUND, MANUAL) wait in the writer's bounded user-space buffer: a put costs
 * no write syscall, reads still see buffered values, a failed flush poisons like a failed append,
 * and a process kill loses at most the buffer (nothing after {@link Walnut#flush} or {@link Walnut#sync}).
 */
class UnsyncedWriteBufferTest {

    private static final int PUTS = 2000;
    private static final int VALUE_BYTES = 100;
    /** Longer than a test runs: the background syncer never fires in these tests. */
    private static final long SYNC_INTERVAL_MS_NEVER = 60_000;

    @TempDir
    Path dir;

    /** Counts appends to segment files and fails them while armed. */
    static final class CountingStorage extends ForwardingWalStorage {
        final AtomicInteger segmentAppends = new AtomicInteger();
        final AtomicBoolean failAppends = new AtomicBoolean();

        CountingStorage(Path directory) throws IOException {
            super(new FileChannelWalStorage(directory));
        }

        @Override
        protected WalFile wrap(String name, WalFile file) {
            if (!name.endsWith(".log")) {
                return file;
            }
            return new ForwardingWalFile(file) {
                @Override
                public void append(ByteBuffer source) throws IOException {
                    if (failAppends.get()) {
                        throw new IOException("injected append failure: file=" + name);
                    }
                    segmentAppends.incrementAndGet();
                    file.append(source);
                }
            };
        }
    }

    static byte[] key(int i) {
        return String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] value(int i) {
        byte[] v = new byte[VALUE_BYTES];
        new SplittableRandom(i).nextBytes(v);
        return v;
    }

    private static WalnutOptions options(Durability durability) {
        return WalnutOptions.builder().durability(durability).syncIntervalMs(SYNC_INTERVAL_MS_NEVER)
                .compactionRatio(0).seed(12).build();
    }

    private int appendsFor(Durability durability) throws IOException {
        CountingStorage storage = new CountingStorage(java.nio.file.Files.createDirectories(dir.resolve(durability.name())));
        try (Walnut db = Walnut.open(storage, options(durability))) {
            int before = storage.segmentAppends.get();
            for (int i = 0; i < PUTS; i++) {
                db.put(key(i), value(i));
            }
            return storage.segmentAppends.get() - before;
        }
    }

    @Test
    void unsyncedPutsShareAppendsInsteadOfPayingOneEach() throws IOException {
        // Each record is more than VALUE_BYTES long: PUTS of them fill the buffer at most this often.
        int flushesMax = PUTS * (VALUE_BYTES + 64) / LogWriter.PENDING_BYTES_MAX + 1;
        int manual = appendsFor(Durability.MANUAL);
        int background = appendsFor(Durability.BACKGROUND);
        assertTrue(manual <= flushesMax, "MANUAL appends=" + manual + " expected<=" + flushesMax + " for " + PUTS);
        assertTrue(background <= flushesMax, "BACKGROUND appends=" + background + " expected<=" + flushesMax);
        assertEquals(PUTS, appendsFor(Durability.SYNC), "a SYNC put still appends (and syncs) alone");
    }

    @Test
    void getAndScanReadValuesStillInTheBuffer() throws IOException {
        CountingStorage storage = new CountingStorage(dir);
        int count = 50;
        try (Walnut db = Walnut.open(storage, options(Durability.MANUAL))) {
            int before = storage.segmentAppends.get();
            for (int i = 0; i < count; i++) {
                db.put(key(i), value(i));
            }
            assertEquals(before, storage.segmentAppends.get(), "the puts must still be buffered for this test");
            assertBuffered(db, count);
            db.flush();
            assertEquals(before + 1, storage.segmentAppends.get(), "flush writes the buffer with one append");
            db.put(key(count), value(count));
            assertBuffered(db, count + 1); // some values in the file, the last in the buffer
        }
    }

    private static void assertBuffered(Walnut db, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            assertArrayEquals(value(i), db.get(key(i)), "get key=" + i);
        }
        int seen = 0;
        try (Cursor c = db.scan(KeyRange.all())) {
            while (c.hasNext()) {
                KeyValue kv = c.next();
                assertArrayEquals(key(seen), kv.key());
                assertArrayEquals(value(seen), kv.value(), "scan key=" + seen);
                seen++;
            }
        }
        assertEquals(count, seen);
    }

    /** A store call that writes the buffer. */
    private interface BufferWrite {
        void run(Walnut db) throws IOException;
    }

    @Test
    void aFailedFlushPoisonsTheStoreAndNoLaterWriteIsAcknowledged() throws IOException {
        assertAFailedAppendOfTheBufferPoisons(Walnut::flush);
    }

    @Test
    void aFailedSyncOfBufferedWritesPoisonsTheStore() throws IOException {
        assertAFailedAppendOfTheBufferPoisons(Walnut::sync);
    }

    private void assertAFailedAppendOfTheBufferPoisons(BufferWrite write) throws IOException {
        CountingStorage storage = new CountingStorage(dir);
        Walnut db = Walnut.open(storage, options(Durability.MANUAL));
        db.put(key(0), value(0));
        storage.failAppends.set(true);
        IOException failure = assertThrows(IOException.class, () -> write.run(db));
        assertTrue(failure.getMessage().contains("injected append failure"), failure.getMessage());
        storage.failAppends.set(false);
        assertThrows(StorePoisonedException.class, () -> db.put(key(1), value(1)));
        assertThrows(StorePoisonedException.class,
                () -> db.write(new WriteBatch().put(key(1), value(1)), Durability.SYNC));
        assertThrows(StorePoisonedException.class, db::flush);
        assertArrayEquals(value(0), db.get(key(0)), "the acknowledged value stays readable from the buffer");
        assertThrows(IOException.class, db::close);
    }

    // ---------------------------------------------------------------- a real process kill

    @Test
    void aProcessKillLosesAtMostTheBufferedWrites() throws Exception {
        int recovered = killAfterPuts("none");
        int lostMax = LogWriter.PENDING_BYTES_MAX / VALUE_BYTES;
        assertTrue(recovered >= PUTS - lostMax && recovered <= PUTS, "recovered=" + recovered + " puts=" + PUTS
                + " lostMax=" + lostMax);
    }

    @Test
    void aProcessKillAfterFlushLosesNothing() throws Exception {
        assertEquals(PUTS, killAfterPuts("flush"));
    }

    @Test
    void aProcessKillAfterSyncLosesNothing() throws Exception {
        assertEquals(PUTS, killAfterPuts("sync"));
    }

    /** A child JVM puts {@link #PUTS} keys MANUAL, then {@code then}, then halts; the recovered prefix length. */
    private int killAfterPuts(String then) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire runs the kernel's tests on the module path: the child gets both paths as its class path.
        String modulePath = System.getProperty("jdk.module.path", "");
        String classPath = System.getProperty("java.class.path")
                + (modulePath.isEmpty() ? "" : File.pathSeparator + modulePath);
        Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", classPath, KilledWriter.class.getName(),
                dir.toString(), then).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child did not exit: " + output);
        assertEquals(KilledWriter.EXIT_HALTED, child.exitValue(), output);
        try (Walnut db = Walnut.open(dir, options(Durability.MANUAL))) {
            int n = (int) db.size();
            for (int i = 0; i < n; i++) {
                assertArrayEquals(value(i), db.get(key(i)), "recovered a prefix: key=" + i);
            }
            return n;
        }
    }

    /** Runs in a child JVM: MANUAL puts, then nothing, flush() or sync(), then dies without closing. */
    static final class KilledWriter {
        static final int EXIT_HALTED = 37;

        public static void main(String[] args) throws IOException {
            Walnut db = Walnut.open(Path.of(args[0]), options(Durability.MANUAL));
            for (int i = 0; i < PUTS; i++) {
                db.put(key(i), value(i));
            }
            if (args[1].equals("flush")) {
                db.flush();
            } else if (args[1].equals("sync")) {
                db.sync();
            }
            Runtime.getRuntime().halt(EXIT_HALTED);
        }
    }
}
