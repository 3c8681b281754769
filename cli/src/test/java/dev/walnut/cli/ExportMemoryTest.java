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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What export costs in memory now that it is a read-only open plus a cursor: the open holds the
 * live state on the heap (today's storage model), and export adds nothing that grows with the
 * store: no copy of the state, no buffered output, no sort runs on disk. A child JVM whose heap is
 * {@value #HEAP_OVER_LIVE_DATA} times the live data exports it whole, byte-equal to an export made
 * with a large heap, and writes no temporary file.
 */
class ExportMemoryTest {

    static final int HEAP_OVER_LIVE_DATA = 3;
    static final int VALUE_BYTES = 4096;
    static final int ENTRIES = 4 * 1024;
    static final int ENTRIES_PER_BATCH = 256;
    static final long CHILD_HEAP_BYTES = (long) HEAP_OVER_LIVE_DATA * ENTRIES * (16 + VALUE_BYTES);
    static final long TIMEOUT_SECONDS = 120;

    @TempDir
    Path tmp;

    @Test
    void exportNeedsNoHeapBeyondTheReadOnlyOpenAndWritesNoTemporaryFile() throws Exception {
        Path dir = tmp.resolve("big");
        long liveBytes = writeIncompressibleStore(dir);
        Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));
        Path small = tmp.resolve("small-heap.walnut");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx" + (CHILD_HEAP_BYTES >> 20) + "m", DemoCommand.NATIVE_ACCESS,
                "-Djava.io.tmpdir=" + childTmp, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "export", dir.toString(), "--format", "walnut", small.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "child export timed out");

        assertEquals(ExitCode.OK, child.exitValue(), output);
        assertContains(output, "export: entries=" + ENTRIES);
        try (Stream<Path> left = Files.list(childTmp)) {
            assertEquals(0, left.count(), "export wrote temporary files");
        }
        System.out.println("export-memory: heapBytes=" + CHILD_HEAP_BYTES + " liveBytes=" + liveBytes + " outputBytes="
                + Files.size(small) + " child: " + output.strip());

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
