package dev.walnut.bench;

import dev.walnut.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The child JVM of the peers harness. {@code write} loads a workload, syncs once, prints its
 * figures and halts without closing anything (a crash after a durable sync). {@code reopen} opens
 * the store in this fresh JVM, times it, verifies a sample of keys, reads its own peak RSS and
 * halts. Every result is one line: {@code RESULT key=value ...}.
 *
 * <pre>
 * write  ENGINE DIR RECORDS KEYSPACE VALUEBYTES BATCH SEED SAMPLE [HALT|CLOSE|COMPACT]
 * reopen ENGINE DIR RECORDS KEYSPACE VALUEBYTES BATCH SEED SAMPLE
 * </pre>
 *
 * A {@code write} that ends with CLOSE or COMPACT closes the store (after the engine's own
 * compaction) instead of halting with it open.
 */
public final class PeerMain {

    static final String RESULT_PREFIX = "RESULT ";
    /** Stands for a space inside a RESULT value (ASCII, so any console encoding carries it). */
    static final char SPACE = '~';
    /** The engine name of a reopen that opens nothing: the JVM's own footprint, the base of every RSS. */
    static final String JVM_ONLY = "jvm-only";
    /** Set on a profiled reopen: exit normally (after the figures are printed) so JFR can dump. */
    static final String CLEAN_EXIT_PROPERTY = "walnut.bench.cleanExit";
    /** Exit code of a child whose verification failed. */
    static final int EXIT_VERIFY_FAILED = 3;

    private PeerMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = args[0];
        String engine = args[1];
        Path dir = Path.of(args[2]);
        Workload workload = new Workload(new Dataset(Long.parseLong(args[7]), Dataset.KEY_BYTES_DEFAULT,
                Integer.parseInt(args[5])), Long.parseLong(args[3]), Long.parseLong(args[4]), Integer.parseInt(args[6]));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("engine", engine);
        int exit = switch (command) {
            case "write" -> write(engine, dir, workload, ending(args), result);
            case "reopen" -> reopen(engine, dir, workload, Integer.parseInt(args[8]), result);
            default -> throw new IllegalArgumentException("unknown command: actual=" + command + " expected=write|reopen");
        };
        StringBuilder line = new StringBuilder(RESULT_PREFIX);
        result.forEach((k, v) -> line.append(k).append('=').append(String.valueOf(v).replace(' ', SPACE)).append(' '));
        System.out.println(line.toString().trim());
        System.out.flush();
        if (command.equals("reopen") && Boolean.getBoolean(CLEAN_EXIT_PROPERTY)) {
            System.exit(exit); // lets -XX:StartFlightRecording dump its recording at exit
        }
        // No close, no shutdown hooks: the store must survive what a crash leaves.
        Runtime.getRuntime().halt(exit);
    }

    private static PeerHarness.Ending ending(String[] args) {
        return args.length > 9 ? PeerHarness.Ending.valueOf(args[9]) : PeerHarness.Ending.HALT;
    }

    private static int write(String engine, Path dir, Workload workload, PeerHarness.Ending ending,
                             Map<String, Object> result) throws IOException {
        long start = System.nanoTime();
        KvStore store = KvStore.open(engine, dir, settings(workload));
        workload.load(store);
        result.put("writeMs", (System.nanoTime() - start) / 1_000_000);
        result.put("describe", store.describe());
        if (ending != PeerHarness.Ending.HALT) {
            long closeStart = System.nanoTime();
            result.put("compaction", ending == PeerHarness.Ending.COMPACT ? store.compact() : "none");
            store.close();
            result.put("closeMs", (System.nanoTime() - closeStart) / 1_000_000);
        }
        return 0;
    }

    private static int reopen(String engine, Path dir, Workload workload, int sample, Map<String, Object> result)
            throws IOException {
        if (engine.equals(JVM_ONLY)) {
            ProcStatus idle = ProcStatus.read();
            result.put("hwmKiB", idle.vmHwmKiB());
            result.put("rssAnonKiB", idle.rssAnonKiB());
            return 0;
        }
        if (engine.startsWith("rocksdb")) {
            RocksStore.load(); // native library extraction is not part of open()
        } else if (engine.equals("lmdb")) {
            LmdbStore.load();
        }
        ProcStatus before = ProcStatus.read();
        long start = System.nanoTime();
        KvStore store = KvStore.open(engine, dir, settings(workload));
        long openNanos = System.nanoTime() - start;
        ProcStatus opened = ProcStatus.read();
        int bad = verify(store, workload, sample);
        ProcStatus after = ProcStatus.read();
        result.put("openMs", openNanos / 1_000_000.0);
        result.put("replayedBytes", store.replayedBytes());
        result.put("rssBeforeOpenKiB", before.vmRssKiB());
        result.put("hwmAfterOpenKiB", opened.vmHwmKiB());
        result.put("rssAnonAfterOpenKiB", opened.rssAnonKiB());
        result.put("hwmKiB", after.vmHwmKiB());
        result.put("rssAnonKiB", after.rssAnonKiB());
        result.put("verified", sample);
        result.put("mismatches", bad);
        return bad == 0 ? 0 : EXIT_VERIFY_FAILED;
    }

    /** Checks {@code sample} seeded keys hold their last value and as many absent keys read null. */
    private static int verify(KvStore store, Workload workload, int sample) throws IOException {
        SplittableRandom random = new SplittableRandom(workload.data().seed() ^ 0xC0FFEEL);
        int bad = 0;
        for (int i = 0; i < sample; i++) {
            long keyIndex = random.nextLong(workload.keySpace());
            byte[] actual = store.get(workload.data().key(keyIndex));
            if (!Arrays.equals(workload.expectedValue(keyIndex), actual)) {
                bad++;
            }
            if (store.get(workload.data().missingKey(keyIndex)) != null) {
                bad++;
            }
        }
        return bad;
    }

    /** Nothing synced until the one final sync; no compaction, so the whole log replays. */
    static KvStore.Settings settings(Workload workload) {
        // Generous: a record's key + value plus every engine's per-record framing.
        long expected = workload.rawBytes() + workload.records() * 64;
        return new KvStore.Settings(expected, Durability.MANUAL, false);
    }
}
