package dev.walnut.dst;

import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The memory proofs, as one command each ({@code java -cp dst/target/walnut-dst.jar
 * dev.walnut.dst.MemoryProof ...}):
 * <ul>
 *   <li>{@code synthetic --bytes 4g}: recovery over a synthetic 4 GiB log; prints peak buffer bytes
 *       against the bound (exit 1 if above);
 *   <li>{@code prove [--dir D] [--bytes 2200m]}: writes a real log larger than 2 GiB whose live state
 *       is 4 keys, then forks {@code -Xmx64m} JVMs: one opens the store (must succeed), one reads the
 *       segment whole first, the negative control (must die of OutOfMemoryError);
 *   <li>{@code values [--dir D] [--bytes 512m] [--heap 64m]}: format 3's bound, open memory = read
 *       window + largest record + the key index, values never copied: live values larger than the
 *       heap are read back by gets and a scan in a child of that heap ({@link ValueMemoryProof}).
 * </ul>
 * {@code open}, {@code whole}, {@code values-read} and {@code values-retain} are the children.
 */
public final class MemoryProof {

    static final String CHILD_HEAP = "-Xmx64m";
    static final long PROOF_BYTES_DEFAULT = 2200L * 1024 * 1024;
    /** Mostly small records, one larger than the 1 MiB read window (it gets a buffer of exactly its size). */
    static final int[] PROOF_VALUE_BYTES = {3000, 200, 9000, 700, 40_000, 1500, 1_500_000};
    static final int WRITE_CHUNK_BYTES = 4 * 1024 * 1024;
    static final int WHOLE_FILE_CHUNK_BYTES = 1024 * 1024;
    static final long CHILD_TIMEOUT_S = 600;
    static final int EXIT_OOM = 3;

    private MemoryProof() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "prove" : args[0];
        Path dir = Path.of(option(args, "--dir", System.getProperty("java.io.tmpdir") + "/walnut-memory-proof"));
        long bytes = parseBytes(option(args, "--bytes", mode.equals("synthetic") ? "4g" : "2200m"));
        switch (mode) {
            case "synthetic" -> System.exit(synthetic(bytes) ? 0 : 1);
            case "prove" -> System.exit(prove(dir, bytes) ? 0 : 1);
            case "open" -> openChild(dir);
            case "whole" -> wholeChild(dir);
            case "values" -> System.exit(ValueMemoryProof.prove(dir, parseBytes(option(args, "--bytes", "512m")),
                    option(args, "--heap", "64m")) ? 0 : 1);
            case "values-read" -> ValueMemoryProof.child(dir, Integer.parseInt(option(args, "--keys", "0")), false);
            case "values-retain" -> ValueMemoryProof.child(dir, Integer.parseInt(option(args, "--keys", "0")), true);
            default -> {
                System.err.println("usage: MemoryProof synthetic|prove|open|whole|values [--dir D] [--bytes N(k|m|g)]"
                        + " [--heap N(m|g), values only]");
                System.exit(2);
            }
        }
    }

    static boolean synthetic(long bytes) throws IOException {
        RecoveryMemory.Result r = RecoveryMemory.measure(bytes, PROOF_VALUE_BYTES, false, 1024 * 1024, 7);
        System.out.println("synthetic recovery: " + r);
        return r.withinBound() && r.replayedRecords() == r.records();
    }

    static boolean prove(Path dir, long bytes) throws IOException, InterruptedException {
        Path segment = dir.resolve(SyntheticSegmentFile.NAME);
        SyntheticSegmentFile source = new SyntheticSegmentFile(11, bytes, PROOF_VALUE_BYTES, false);
        if (!Files.exists(segment) || Files.size(segment) != source.sizeBytes()) {
            writeLog(dir, source);
        }
        System.out.println("log: file=" + segment + " sizeBytes=" + Files.size(segment) + " records="
                + source.records() + " liveKeys=" + SyntheticSegmentFile.KEYS);
        Child open = fork("open", dir);
        Child whole = fork("whole", dir);
        System.out.println("child " + CHILD_HEAP + " open (streaming recovery): exit=" + open.exit + " " + open.output);
        System.out.println("child " + CHILD_HEAP + " whole-file reader (negative control): exit=" + whole.exit + " "
                + whole.output);
        boolean proven = open.exit == 0 && whole.exit == EXIT_OOM;
        System.out.println("memory proof: " + (proven ? "PROVEN" : "FAILED") + " (streaming open succeeds, whole-file"
                + " reader dies of OutOfMemoryError)");
        return proven;
    }

    /** Writes the synthetic segment to disk: only segment files, so the open sees a plain store. */
    static void writeLog(Path dir, SyntheticSegmentFile source) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        ByteBuffer chunk = ByteBuffer.allocateDirect(WRITE_CHUNK_BYTES);
        try (FileChannel out = FileChannel.open(dir.resolve(SyntheticSegmentFile.NAME), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            long size = source.sizeBytes();
            for (long at = 0; at < size; ) {
                chunk.clear();
                chunk.limit((int) Math.min(WRITE_CHUNK_BYTES, size - at));
                source.readFully(at, chunk);
                chunk.flip();
                while (chunk.hasRemaining()) {
                    at += out.write(chunk, at);
                }
            }
            out.force(true);
        }
    }

    record Child(int exit, String output) {
    }

    private static Child fork(String mode, Path dir) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, CHILD_HEAP, "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), MemoryProof.class.getName(), mode, "--dir", dir.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                new File("/dev/null"))).start();
        if (!p.waitFor(CHILD_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Child(-1, "timed out after " + CHILD_TIMEOUT_S + " s");
        }
        String out = new String(p.getInputStream().readAllBytes()).trim().replace('\n', ' ');
        return new Child(p.exitValue(), out);
    }

    /** Child: opens the store with default options; prints what it recovered and the reader's peak. */
    static void openChild(Path dir) throws IOException {
        java.util.logging.Logger.getLogger("dev.walnut").setLevel(java.util.logging.Level.OFF);
        long start = System.nanoTime();
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().compactionRatio(0).build())) {
            var report = db.recoveryReport();
            System.out.println("result=opened maxHeapBytes=" + Runtime.getRuntime().maxMemory() + " records="
                    + report.recordsReplayed() + " bytesReplayed=" + report.bytesReplayed() + " liveKeys=" + db.size()
                    + " peakBufferBytes=" + report.peakBufferBytes() + " elapsedMs="
                    + (System.nanoTime() - start) / 1_000_000L);
        }
    }

    /** Child, the negative control: the same open, through a storage that reads each file whole into the heap. */
    static void wholeChild(Path dir) throws IOException {
        java.util.logging.Logger.getLogger("dev.walnut").setLevel(java.util.logging.Level.OFF);
        try (Walnut db = Walnut.open(new WholeFileStorage(new FileChannelWalStorage(dir)),
                WalnutOptions.builder().compactionRatio(0).build())) {
            System.out.println("result=opened liveKeys=" + db.size() + " (the negative control did not fail)");
        } catch (OutOfMemoryError e) {
            System.out.println("result=OutOfMemoryError message=\"" + e.getMessage() + "\" maxHeapBytes="
                    + Runtime.getRuntime().maxMemory());
            System.exit(EXIT_OOM);
        }
    }

    /** Opens read files by loading them whole into heap chunks, as a naive log reader would. */
    static final class WholeFileStorage extends ForwardingWalStorage {
        WholeFileStorage(FileChannelWalStorage inner) {
            super(inner);
        }

        @Override
        public WalFile open(String name) throws IOException {
            WalFile file = inner.open(name);
            List<byte[]> chunks = new ArrayList<>();
            long size = file.sizeBytes();
            for (long at = 0; at < size; at += WHOLE_FILE_CHUNK_BYTES) {
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(WHOLE_FILE_CHUNK_BYTES, size - at));
                file.readFully(at, chunk);
                chunks.add(chunk.array());
            }
            System.out.println("loaded name=" + name + " chunks=" + chunks.size());
            return file;
        }
    }

    static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static long parseBytes(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        long unit = t.endsWith("g") ? 1L << 30 : t.endsWith("m") ? 1L << 20 : t.endsWith("k") ? 1L << 10 : 1;
        return Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
    }
}
