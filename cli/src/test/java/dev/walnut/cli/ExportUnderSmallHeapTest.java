package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export memory is bounded: a JVM whose heap is a third of the store's live data exports it whole,
 * and the bytes equal an export made with a large heap.
 */
class ExportUnderSmallHeapTest {

    static final String CHILD_HEAP = "-Xmx32m";
    static final long CHILD_HEAP_BYTES = 32L * 1024 * 1024;
    static final int VALUE_BYTES = 4096;
    static final int ENTRIES = 24 * 1024;
    static final int ENTRIES_PER_BATCH = 256;
    static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path tmp;

    @Test
    void exportOfAStoreThreeTimesLargerThanTheHeapSucceedsAndMatchesALargeHeapExport() throws Exception {
        Path dir = tmp.resolve("big");
        long liveBytes = writeIncompressibleStore(dir);
        assertTrue(liveBytes > 2 * CHILD_HEAP_BYTES, "the store must not fit the child's heap");
        Path small = tmp.resolve("small-heap.walnut");

        long startNanos = System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, CHILD_HEAP, DemoCommand.NATIVE_ACCESS, "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "export", dir.toString(), "--format",
                "walnut", "--tmp-dir", tmp.toString(), small.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "child export timed out");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);

        assertEquals(ExitCode.OK, child.exitValue(), output);
        assertContains(output, "export: entries=" + ENTRIES);
        System.out.println("export-under-small-heap: heap=" + CHILD_HEAP + " liveBytes=" + liveBytes + " logBytes="
                + LogReplay.segmentBytes(dir) + " outputBytes=" + Files.size(small) + " elapsedMs=" + elapsedMs
                + " child: " + output.strip());

        Cli.Result reference = Cli.run("export", dir.toString(), "--format", "walnut",
                tmp.resolve("large-heap.walnut").toString());
        assertEquals(ExitCode.OK, reference.code(), reference::toString);
        assertEquals(-1, Files.mismatch(small, tmp.resolve("large-heap.walnut")));
    }

    /** Random keys and values: nothing compresses, and key order is unrelated to write order. */
    private static long writeIncompressibleStore(Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(20261122L);
        long liveBytes = 0;
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().seed(1).build())) {
            for (int written = 0; written < ENTRIES; ) {
                WriteBatch batch = new WriteBatch();
                for (int i = 0; i < ENTRIES_PER_BATCH; i++, written++) {
                    byte[] key = new byte[16];
                    random.nextBytes(key);
                    byte[] value = new byte[VALUE_BYTES];
                    random.nextBytes(value);
                    batch.put(key, value);
                    liveBytes += key.length + value.length;
                }
                db.write(batch);
            }
        }
        return liveBytes;
    }
}
