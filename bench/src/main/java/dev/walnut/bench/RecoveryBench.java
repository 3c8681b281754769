package dev.walnut.bench;

import dev.walnut.RecoveryReport;
import dev.walnut.Walnut;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recovery: {@code Walnut.open()} over a log written through the store, against the physical
 * limit and a naive whole-file parser on the same files. One invocation replays the whole log, so
 * the mode is single-shot; throughput (MB/s, records/s) is derived from the log's manifest by
 * {@link ShortProfile}. Files stay in the page cache between invocations (warm-cache replay for
 * all three; nothing here measures the disk).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class RecoveryBench {

    /** On-disk bytes of one record (one put of a 16-byte key); the value fills the rest. */
    @Param({"100", "4096", "65536"})
    public int recordBytes;

    @Param({"64", "512"})
    public long logMiB;

    @Param({"" + Dataset.SEED_DEFAULT})
    public long seed;

    private LogFiles.Generated log;
    private Walnut opened;
    private final PhysicalLimit physical = new PhysicalLimit();
    private final NaiveReplay naive = new NaiveReplay();

    @Setup(Level.Trial)
    public void generate() throws IOException {
        log = LogFiles.ensure(recordBytes, logMiB, seed);
    }

    /** The store's whole open: recovery, index build, and starting the next segment. */
    @Benchmark
    public long walnutOpen() throws IOException {
        opened = Walnut.open(log.dir(), LogFiles.openOptions(seed).build());
        return opened.recoveryReport().recordsReplayed();
    }

    @TearDown(Level.Invocation)
    public void closeOpened() throws IOException {
        if (opened == null) {
            return;
        }
        RecoveryReport report = opened.recoveryReport();
        opened.close();
        opened = null;
        if (report.recordsReplayed() < log.records()) {
            throw new IllegalStateException("replayed fewer records than written: expected>=" + log.records()
                    + " actual=" + report.recordsReplayed());
        }
        Properties p = new Properties();
        p.setProperty("recordsReplayed", Long.toString(report.recordsReplayed()));
        p.setProperty("bytesReplayed", Long.toString(report.bytesReplayed()));
        p.setProperty("bytesRead", Long.toString(report.bytesRead()));
        p.setProperty("peakBufferBytes", Long.toString(report.peakBufferBytes()));
        p.setProperty("segmentsReplayed", Integer.toString(report.segmentsReplayed()));
        p.setProperty("recoveryElapsedMs", Long.toString(report.elapsed().toMillis()));
        try (OutputStream out = Files.newOutputStream(log.dir().resolve(LogFiles.REPORT_NAME))) {
            p.store(out, "the last RecoveryReport of RecoveryBench.walnutOpen");
        }
    }

    /** Sequential positional reads into a direct buffer + CRC32C of every byte: the floor. */
    @Benchmark
    public long physicalLimit() throws IOException {
        long bytes = physical.readAll(log.segments());
        return bytes ^ physical.lastCrc();
    }

    /** Read each whole segment into a heap array, then parse it into the same index. */
    @Benchmark
    public long naiveWholeFile() throws IOException {
        NaiveReplay.Result result = naive.replay(log.segments());
        if (result.records() < log.records()) {
            throw new IllegalStateException("naive replay fell short: expected>=" + log.records()
                    + " actual=" + result.records());
        }
        return result.liveKeys();
    }
}
