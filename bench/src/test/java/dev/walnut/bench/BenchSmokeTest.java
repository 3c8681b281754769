package dev.walnut.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** CI's share of the benchmarks: tiny sizes, proving every harness still runs and measures what it claims. */
class BenchSmokeTest {

    @TempDir
    Path dir;
    private String previousRoot;

    @BeforeEach
    void pointTheCacheAtATempDir() {
        previousRoot = System.setProperty(LogFiles.ROOT_PROPERTY, dir.toString());
    }

    @AfterEach
    void restore() {
        if (previousRoot == null) {
            System.clearProperty(LogFiles.ROOT_PROPERTY);
        } else {
            System.setProperty(LogFiles.ROOT_PROPERTY, previousRoot);
        }
    }

    @Test
    void storeAndBothBaselinesReplayTheSameGeneratedLog() throws Exception {
        RecoveryBench bench = new RecoveryBench();
        bench.recordBytes = 100;
        bench.logMiB = 1;
        bench.seed = Dataset.SEED_DEFAULT;
        bench.generate();
        LogFiles.Generated log = LogFiles.ensure(100, 1, Dataset.SEED_DEFAULT);
        assertTrue(log.records() > 10_000, "records=" + log.records());
        long firstSize = LogFiles.segmentBytes(log.dir());

        assertTrue(bench.walnutOpen() >= log.records());
        bench.closeOpened();
        assertEquals(log.records(), bench.naiveWholeFile());
        assertTrue(bench.physicalLimit() != 0);
        assertTrue(LogFiles.segmentBytes(log.dir()) >= firstSize);
    }

    @Test
    void everyEngineReadsWritesScansInUnsignedKeyOrderDeletesAndReopens() throws Exception {
        Dataset data = new Dataset(Dataset.SEED_DEFAULT, Dataset.KEY_BYTES_DEFAULT, 100);
        int n = 500;
        byte[][] keys = new byte[n][];
        byte[][] values = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = data.key(i);
            values[i] = data.value(i);
        }
        for (String engine : KvStore.ENGINES) {
            Path store = dir.resolve(engine);
            KvStore.Settings settings = new KvStore.Settings(1 << 20, dev.walnut.Durability.MANUAL, true);
            try (KvStore kv = KvStore.open(engine, store, settings)) {
                kv.write(keys, values, n, false);
                kv.delete(keys[0]);
                kv.syncAll();
                List<byte[]> scanned = new java.util.ArrayList<>();
                kv.forEach(new byte[1], n, (k, v) -> scanned.add(k));
                assertEquals(n - 1, scanned.size(), engine);
                for (int i = 1; i < scanned.size(); i++) {
                    assertTrue(java.util.Arrays.compareUnsigned(scanned.get(i - 1), scanned.get(i)) < 0, engine);
                }
                kv.compact();
            }
            try (KvStore kv = KvStore.open(engine, store, settings)) {
                assertEquals(null, kv.get(keys[0]), engine);
                assertTrue(java.util.Arrays.equals(values[n - 1], kv.get(keys[n - 1])), engine);
                assertEquals(10L * (16 + 100), kv.scan(new byte[1], 10), engine);
            }
        }
    }

    @Test
    void everyPeerReopensAfterAHaltWithItsSampleVerified() throws Exception {
        PeerHarness.Scenario tiny = new PeerHarness.Scenario("tiny", 2_000, 1_000, 100, 1);
        List<PeerHarness.Row> rows = new PeerHarness(dir, Dataset.SEED_DEFAULT, 100, List.of("-Xmx512m"))
                .run(List.of(tiny), ShortProfile.PEER_ENGINES);
        assertEquals(ShortProfile.PEER_ENGINES.size() + 1, rows.size());
        for (PeerHarness.Row row : rows) {
            assertTrue(row.hwmKiB() > 0, row.toString());
        }
        PeerHarness.Row walnut = rows.stream().filter(r -> r.engine().equals("walnut")).findFirst().orElseThrow();
        assertTrue(walnut.replayedBytes() > 2_000 * 116, walnut.toString());

        Report report = new Report(Profile.SMOKE, Instant.now(), dir);
        report.peers(rows);
        String md = report.markdown();
        for (String engine : ShortProfile.PEER_ENGINES) {
            assertTrue(md.contains("| tiny | " + engine + " |"), md);
        }
    }

    @Test
    void reopenProfileWritesTablesCsvAndChartForWalnutAndLmdb() throws Exception {
        Path out = dir.resolve("out");
        List<String> engines = List.of("walnut", "lmdb");
        ReopenProfile.Result result = ReopenProfile.run(new ReopenProfile.Plan(ReopenProfile.Size.SMOKE), out, dir.resolve("data"), engines,
                engines);
        for (String kind : List.of("crash-2k", "clean-2k", "compacted-2k")) {
            for (String engine : engines) {
                assertEquals(1, result.rows().stream().filter(r -> r.scenario().name().equals(kind)
                        && r.engine().equals(engine) && r.openMs() > 0 && r.hwmKiB() > 0).count(), kind + " " + engine);
            }
        }
        assertTrue(result.rows().stream().anyMatch(r -> r.scenario().name().equals("overwrite10-2k")
                && r.scenario().records() == 20_000 && r.replayedBytes() > 20_000L * 116), result.rows().toString());
        assertTrue(Double.parseDouble(result.heap().get("heapPerEntryRecovered")) > 0, result.heap().toString());
        String md = Files.readString(out.resolve("reopen.md"));
        assertTrue(md.contains("SMOKE RUN") && md.contains("| LMDB |") && md.contains("crash-then-reopen: LMDB open / Walnut open"), md);
        assertEquals(result.rows().size() + 1, Files.readAllLines(out.resolve("reopen-rows.csv")).size());
        BufferedImage chart = ImageIO.read(out.resolve("reopen-chart.png").toFile());
        assertTrue(chart.getWidth() >= 3 * ReopenChart.PANEL_WIDTH_PX, "width=" + chart.getWidth());
    }

    @Test
    void jmhRunsOneTinyGroupCommitIteration() throws Exception {
        // JMH refuses to start while another JMH run holds /tmp/jmh.lock (a benchmark run on the
        // same machine); this tiny in-process iteration measures nothing, so it need not wait.
        System.setProperty("jmh.ignoreLock", "true");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(WriteBench.class.getName() + "\\.")
                .param("engine", "walnut").param("mode", "SYNC").param("valueBytes", "100")
                .threads(2).forks(0).verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(300))
                .build()).run();
        assertEquals(1, results.size());
        assertTrue(results.iterator().next().getPrimaryResult().getScore() > 0);
    }
}
