package dev.walnut.bench;

import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The experiment of {@link SlabReplay} on the same cached logs as {@link RecoveryBench}; not part
 * of the short profile. Run it beside the store's open:
 * {@code java -jar benchmarks.jar 'RecoveryBench.walnutOpen|SlabReplayBench' -p recordBytes=100 -p logMiB=64}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class SlabReplayBench {

    @Param({"100", "4096", "65536"})
    public int recordBytes;

    @Param({"64", "512"})
    public long logMiB;

    @Param({"" + Dataset.SEED_DEFAULT})
    public long seed;

    private LogFiles.Generated log;
    private final SlabReplay slab = new SlabReplay();

    @Setup(Level.Trial)
    public void generate() throws IOException {
        log = LogFiles.ensure(recordBytes, logMiB, seed);
    }

    @Benchmark
    public long slabReplay() throws IOException {
        SlabReplay.Result result = slab.replay(log.segments());
        if (result.records() < log.records() || result.liveKeys() != log.records()) {
            throw new IllegalStateException("slab replay disagrees with the log: records=" + result.records()
                    + " liveKeys=" + result.liveKeys() + " expected=" + log.records());
        }
        return result.orderChecksum();
    }
}
