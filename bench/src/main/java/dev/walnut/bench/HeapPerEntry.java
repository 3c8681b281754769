package dev.walnut.bench;

import dev.walnut.Durability;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Heap bytes per live entry: used heap after a full GC before and after loading {@code N} entries
 * (16-byte keys), once as written and once as rebuilt by recovery, against the raw key+value bytes.
 * Runs in its own JVM (the harness forks it) so nothing else lives on the heap.
 *
 * <pre>java -cp benchmarks.jar dev.walnut.bench.HeapPerEntry ENTRIES VALUE_BYTES DIR</pre>
 */
public final class HeapPerEntry {

    static final int GC_ROUNDS = 4;
    static final int LOAD_BATCH = 1000;

    private HeapPerEntry() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        long entries = Long.parseLong(args[0]);
        int valueBytes = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        LogFiles.deleteTree(dir);
        Dataset data = new Dataset(Dataset.SEED_DEFAULT, Dataset.KEY_BYTES_DEFAULT, valueBytes);
        var options = LogFiles.openOptions(Dataset.SEED_DEFAULT).durability(Durability.MANUAL).build();
        // Each phase in its own method: a closed store held by a dead local of main() would still
        // be reachable from the interpreter's frame and inflate the next baseline.
        long t0 = System.nanoTime();
        long written = load(dir, options, data, entries);
        long t1 = System.nanoTime();
        long recovered = reopen(dir, options, entries);
        System.out.printf("load %d ms, reopen+measure %d ms%n", (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        LogFiles.deleteTree(dir);
        long raw = Dataset.KEY_BYTES_DEFAULT + (long) valueBytes;
        System.out.printf(java.util.Locale.ROOT, "%sentries=%d rawBytesPerEntry=%d heapPerEntryWritten=%.1f"
                        + " heapPerEntryRecovered=%.1f%n", PeerMain.RESULT_PREFIX, entries, raw,
                (double) written / entries, (double) recovered / entries);
    }

    private static long load(Path dir, WalnutOptions options, Dataset data, long entries)
            throws IOException, InterruptedException {
        long base = usedAfterGc();
        try (Walnut db = Walnut.open(dir, options)) {
            for (long i = 0; i < entries; i += LOAD_BATCH) {
                WriteBatch batch = new WriteBatch();
                for (long j = i; j < Math.min(entries, i + LOAD_BATCH); j++) {
                    batch.put(data.key(j), data.value(j));
                }
                db.write(batch);
            }
            db.sync();
            return usedAfterGc() - base;
        }
    }

    private static long reopen(Path dir, WalnutOptions options, long entries) throws IOException, InterruptedException {
        long base = usedAfterGc();
        try (Walnut db = Walnut.open(dir, options)) {
            if (db.size() != entries) {
                throw new IllegalStateException("reopened size: expected=" + entries + " actual=" + db.size());
            }
            return usedAfterGc() - base;
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
