package dev.walnut.bench;

import dev.walnut.Durability;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Walnut logs for the recovery benchmarks, written once through the real store into a cache
 * directory and reused by every benchmark (and every JMH fork) that asks for the same shape, so
 * the store, the physical limit and the naive parser read the same files.
 */
public final class LogFiles {

    /** System property naming the cache root; forks inherit it from the runner. */
    public static final String ROOT_PROPERTY = "walnut.bench.dir";
    public static final String ROOT_DEFAULT = "/tmp/walnut-bench";
    static final String MANIFEST_NAME = "bench-manifest.properties";
    static final String REPORT_NAME = "bench-last-recovery.properties";
    /** Record header + preamble + op count + kind + key length varint: what a one-put record adds to key and value. */
    static final int ONE_PUT_OVERHEAD_BYTES = RecordFormat.RECORD_HEADER_BYTES + RecordFormat.PREAMBLE_BYTES + 3;

    /** What was generated: where, how many records, how many bytes the segment files hold. */
    public record Generated(Path dir, int recordBytes, int valueBytes, long records, long logBytes, long seed) {
        public List<Path> segments() {
            return segmentsOf(dir);
        }
    }

    private LogFiles() {
    }

    public static Path root() {
        return Path.of(System.getProperty(ROOT_PROPERTY, ROOT_DEFAULT));
    }

    public static Path dirFor(int recordBytes, long logMiB, long seed) {
        return root().resolve("recovery").resolve("r" + recordBytes + "-m" + logMiB + "-s" + seed);
    }

    /** The value length that makes a one-put record with a 16-byte key exactly {@code recordBytes} long. */
    public static int valueBytesFor(int recordBytes) {
        int value = recordBytes - ONE_PUT_OVERHEAD_BYTES - Dataset.KEY_BYTES_DEFAULT;
        while (value + varintBytes(value) + ONE_PUT_OVERHEAD_BYTES + Dataset.KEY_BYTES_DEFAULT > recordBytes) {
            value--;
        }
        if (value < 1) {
            throw new IllegalArgumentException("recordBytes too small: actual=" + recordBytes);
        }
        return value;
    }

    /** Returns the log of this shape, generating it first if the cache does not hold it whole. */
    public static synchronized Generated ensure(int recordBytes, long logMiB, long seed) throws IOException {
        Path dir = dirFor(recordBytes, logMiB, seed);
        Generated cached = readManifest(dir);
        if (cached != null && headersValid(dir)) {
            return cached;
        }
        deleteTree(dir);
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        Dataset data = new Dataset(seed, Dataset.KEY_BYTES_DEFAULT, valueBytesFor(recordBytes));
        long targetBytes = logMiB * 1024 * 1024;
        long records = 0;
        // MANUAL: one fsync at the end instead of one per record; the bytes are the same.
        try (Walnut db = Walnut.open(tmp, openOptions(seed).durability(Durability.MANUAL).build())) {
            for (long written = 0; written < targetBytes; written += recordBytes) {
                db.put(data.key(records), data.value(records));
                records++;
            }
            db.sync();
        }
        Files.move(tmp, dir);
        Generated generated = new Generated(dir, recordBytes, data.valueBytes(), records, segmentBytes(dir), seed);
        writeManifest(generated);
        return generated;
    }

    /** Options of every benchmark open: fixed seed, no automatic compaction (the whole log replays). */
    /**
     * No automatic compaction and no index files: the benchmark measures the replay of every record
     * (an open that reads index files reads none of the records they cover).
     */
    static WalnutOptions.Builder openOptions(long seed) {
        return WalnutOptions.builder().seed(seed).compactionRatio(0).backgroundIndexing(false);
    }

    /**
     * True if this kernel accepts every segment header of a cached log. A log cached by an older
     * build whose header layout changed is regenerated rather than reported as corrupt.
     */
    static boolean headersValid(Path dir) throws IOException {
        for (Path segment : segmentsOf(dir)) {
            ByteBuffer header = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES);
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
                while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
                    // loop until full or end of file
                }
            }
            if (!SegmentHeader.decode(header.flip(), segment.getFileName().toString()).valid()) {
                return false;
            }
        }
        return true;
    }

    static Generated readManifest(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST_NAME);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return new Generated(dir, Integer.parseInt(p.getProperty("recordBytes")),
                Integer.parseInt(p.getProperty("valueBytes")), Long.parseLong(p.getProperty("records")),
                Long.parseLong(p.getProperty("logBytes")), Long.parseLong(p.getProperty("seed")));
    }

    private static void writeManifest(Generated g) throws IOException {
        Properties p = new Properties();
        p.setProperty("recordBytes", Integer.toString(g.recordBytes()));
        p.setProperty("valueBytes", Integer.toString(g.valueBytes()));
        p.setProperty("records", Long.toString(g.records()));
        p.setProperty("logBytes", Long.toString(g.logBytes()));
        p.setProperty("seed", Long.toString(g.seed()));
        try (OutputStream out = Files.newOutputStream(g.dir().resolve(MANIFEST_NAME))) {
            p.store(out, "generated by dev.walnut.bench.LogFiles; delete the directory to regenerate");
        }
    }

    /** Segment files in log order (each open adds one small segment; they are read too). */
    static List<Path> segmentsOf(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> RecordFormat.segmentNumberOf(f.getFileName().toString()) > 0)
                    .sorted(Comparator.comparingLong(f -> RecordFormat.segmentNumberOf(f.getFileName().toString())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long segmentBytes(Path dir) throws IOException {
        long total = 0;
        for (Path f : segmentsOf(dir)) {
            total += Files.size(f);
        }
        return total;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Copies the files under {@code source} to {@code target} (which must not exist), keeping the layout. */
    static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : walk.sorted().toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }

    private static int varintBytes(int value) {
        int bytes = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }
}
