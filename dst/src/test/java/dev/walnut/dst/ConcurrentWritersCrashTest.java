package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.Durability;
import dev.walnut.Walnut;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Group commit under a power loss: writer threads share fsyncs, the machine loses every unsynced
 * byte mid-flight. Thread scheduling is not seeded, so this is the one non-deterministic test: the
 * property must hold in every interleaving — every write that returned survives, and each
 * thread's keys come back as a prefix of the order it wrote them in.
 */
class ConcurrentWritersCrashTest {

    private static final int THREADS = 4;
    private static final int ROUNDS = 30;
    private static final int WRITES_BEFORE_CRASH_MIN = 20;

    @Test
    void everyWriteThatReturnedSurvivesAPowerLossAndEachThreadKeepsAPrefix() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            StoreFixture fx = new StoreFixture(900 + round, 8192);
            Walnut db = fx.open();
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger returned = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread writer = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; ; i++) {
                            String key = "t" + thread + "-" + String.format("%05d", i);
                            db.put(StoreFixture.bytes(key), StoreFixture.bytes("v" + i));
                            acknowledged.put(key, "v" + i);
                            returned.incrementAndGet();
                        }
                    } catch (InterruptedException | IOException | RuntimeException | Error stopped) {
                        // the crash (or the wedged queue behind it) ends this writer
                    }
                }, "writer-" + t);
                writer.setDaemon(true);
                writer.start();
            }
            start.countDown();
            while (returned.get() < WRITES_BEFORE_CRASH_MIN + round * 3) {
                Thread.onSpinWait();
            }
            Map<String, String> snapshot;
            synchronized (fx.storage) {
                // No sync can complete while the storage is held, so every write in the copy was synced.
                snapshot = Map.copyOf(acknowledged);
                fx.storage.crash(CrashMode.POWER_LOSS_UNSYNCED_LOST);
            }
            Abandon.store(db);
            try (Walnut recovered = fx.open()) {
                Map<String, String> state = StoreFixture.state(recovered);
                for (Map.Entry<String, String> e : snapshot.entrySet()) {
                    assertEquals(e.getValue(), state.get(e.getKey()), "round=" + round + " acknowledged write lost\n"
                            + recovered.recoveryReport().describe());
                }
                for (int t = 0; t < THREADS; t++) {
                    String prefix = "t" + t + "-";
                    long count = state.keySet().stream().filter(k -> k.startsWith(prefix)).count();
                    assertTrue(count == 0 || state.containsKey(prefix + String.format("%05d", count - 1)),
                            "thread " + t + " keys are not a prefix: count=" + count);
                }
            }
        }
    }
}
