package dev.walnut.dst;

import dev.walnut.Cursor;
import dev.walnut.Durability;
import dev.walnut.KeyRange;
import dev.walnut.KeyValue;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The format-3 memory proof: a store whose live values are larger than the heap that opens it.
 * This JVM writes {@code keys} incompressible seeded values of {@link #VALUE_BYTES}; a child JVM
 * with a smaller heap opens the store, gets every key and scans everything, verifying each value
 * and a digest over all of them (it must succeed: values stay on disk, the heap holds keys and
 * locators); a second child, the negative control, does the same but keeps every value it reads,
 * and must die of OutOfMemoryError: the heap really is smaller than the data.
 * {@code java -cp dst/target/walnut-dst.jar dev.walnut.dst.MemoryProof values --bytes 8g --heap 256m --dir D}.
 */
public final class ValueMemoryProof {

    static final int VALUE_BYTES = 64 * 1024;
    /** Values per write: a 1 MiB record, small against any heap the proof forks. */
    static final int VALUES_PER_BATCH = 16;
    static final long SEED = 0x7a1e_5eedL;
    static final int EXIT_HEAP_NOT_SMALLER = 4;
    static final int EXIT_MISMATCH = 5;
    static final long CHILD_TIMEOUT_S = 1800;

    private ValueMemoryProof() {
    }

    /** Writes the store, runs both children; true if proven. */
    static boolean prove(Path dir, long liveBytes, String heap) throws IOException, InterruptedException {
        int keys = Math.toIntExact(liveBytes / VALUE_BYTES);
        long start = System.nanoTime();
        write(dir, keys);
        System.out.println("store: dir=" + dir + " keys=" + keys + " valueBytes=" + VALUE_BYTES + " liveValueBytes="
                + (long) keys * VALUE_BYTES + " writeMs=" + (System.nanoTime() - start) / 1_000_000L);
        MemoryProof.Child read = fork("values-read", dir, keys, heap);
        MemoryProof.Child retain = fork("values-retain", dir, keys, heap);
        System.out.println("child -Xmx" + heap + " get+scan every value: exit=" + read.exit() + " " + read.output());
        System.out.println("child -Xmx" + heap + " retaining every value (negative control): exit=" + retain.exit()
                + " " + retain.output());
        boolean proven = read.exit() == 0 && retain.exit() == MemoryProof.EXIT_OOM;
        System.out.println("memory proof (values): " + (proven ? "PROVEN" : "FAILED") + " (live values larger than"
                + " the heap are read back exactly; a reader that keeps them dies of OutOfMemoryError)");
        return proven;
    }

    static void write(Path dir, int keys) throws IOException {
        delete(dir);
        Files.createDirectories(dir);
        try (Walnut db = Walnut.open(dir, options())) {
            for (int i = 0; i < keys; ) {
                WriteBatch batch = new WriteBatch();
                for (int n = 0; n < VALUES_PER_BATCH && i < keys; n++, i++) {
                    batch.put(key(i), value(i));
                }
                db.write(batch, Durability.MANUAL);
            }
            db.sync();
        }
    }

    /** Deletes the store's files and its directory, if there. */
    static void delete(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    static WalnutOptions options() {
        return WalnutOptions.builder().compactionRatio(0).build();
    }

    static byte[] key(int i) {
        return String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8);
    }

    /** Incompressible and seeded by the key's number: any child can regenerate what it must read. */
    static byte[] value(int i) {
        byte[] v = new byte[VALUE_BYTES];
        new SplittableRandom(SEED + i).nextBytes(v);
        return v;
    }

    private static MemoryProof.Child fork(String mode, Path dir, int keys, String heap)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), MemoryProof.class.getName(), mode, "--dir", dir.toString(),
                "--keys", Integer.toString(keys));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null"))).start();
        if (!p.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new MemoryProof.Child(-1, "timed out after " + CHILD_TIMEOUT_S + " s");
        }
        String out = new String(p.getInputStream().readAllBytes()).trim().replace('\n', ' ');
        return new MemoryProof.Child(p.exitValue(), out);
    }

    /**
     * Child: opens the store, gets every key, then scans all, checking each value against its
     * regeneration and a CRC32C over all of them; with {@code retain}, keeps every value read.
     */
    static void child(Path dir, int keys, boolean retain) throws IOException {
        java.util.logging.Logger.getLogger("dev.walnut").setLevel(java.util.logging.Level.OFF);
        long liveBytes = (long) keys * VALUE_BYTES;
        long maxHeap = Runtime.getRuntime().maxMemory();
        if (maxHeap >= liveBytes) {
            System.out.println("result=heap-not-smaller maxHeapBytes=" + maxHeap + " liveValueBytes=" + liveBytes);
            System.exit(EXIT_HEAP_NOT_SMALLER);
        }
        List<byte[]> kept = new ArrayList<>();
        long start = System.nanoTime();
        try (Walnut db = Walnut.open(dir, options())) {
            long openMs = (System.nanoTime() - start) / 1_000_000L;
            long peak = db.recoveryReport().peakBufferBytes();
            CRC32C gets = new CRC32C();
            for (int i = 0; i < keys; i++) {
                byte[] v = db.get(key(i));
                check(v != null && Arrays.equals(value(i), v), "get key=" + i);
                gets.update(v);
                if (retain) {
                    kept.add(v);
                }
            }
            CRC32C scan = new CRC32C();
            int scanned = 0;
            try (Cursor c = db.scan(KeyRange.all())) {
                while (c.hasNext()) {
                    KeyValue kv = c.next();
                    check(Arrays.equals(key(scanned), kv.key()) && Arrays.equals(value(scanned), kv.value()),
                            "scan entry=" + scanned);
                    scan.update(kv.value());
                    scanned++;
                }
            }
            check(scanned == keys && gets.getValue() == scan.getValue() && gets.getValue() == expectedDigest(keys),
                    "digest: scanned=" + scanned + " gets=" + gets.getValue() + " scan=" + scan.getValue());
            System.out.println("result=verified maxHeapBytes=" + maxHeap + " liveValueBytes=" + liveBytes + " keys="
                    + keys + " gets=" + keys + " scanned=" + scanned + " digest=" + Long.toHexString(gets.getValue())
                    + " peakBufferBytes=" + peak + " openMs=" + openMs + " elapsedMs="
                    + (System.nanoTime() - start) / 1_000_000L);
        } catch (OutOfMemoryError e) {
            int n = kept.size();
            kept = null;
            System.out.println("result=OutOfMemoryError message=\"" + e.getMessage() + "\" maxHeapBytes=" + maxHeap
                    + " valuesKeptBeforeOom=" + n + " keptBytes=" + (long) n * VALUE_BYTES);
            System.exit(MemoryProof.EXIT_OOM);
        }
    }

    private static long expectedDigest(int keys) {
        CRC32C crc = new CRC32C();
        for (int i = 0; i < keys; i++) {
            crc.update(value(i));
        }
        return crc.getValue();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("result=mismatch at " + what);
            System.exit(EXIT_MISMATCH);
        }
    }
}
