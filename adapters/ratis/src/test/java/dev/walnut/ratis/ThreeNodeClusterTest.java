package dev.walnut.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.KeyValue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, each in its own JVM on loopback; nodes are killed with {@code destroyForcibly}, a
 * crash, never a clean close. One cluster serves every test of the class to keep CI time down;
 * each test leaves all three nodes running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeNodeClusterTest {

    static final long SEED = 0x5EED_0011L;
    static final int WRITER_THREADS = 4;
    static final int ACKS_BETWEEN_FAULTS = 60;
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    /** The timeout the majority-loss test states and checks. */
    static final Duration MAJORITY_LOSS_TIMEOUT = Duration.ofSeconds(3);
    /** Slack over the stated timeout for a loaded two-core machine. */
    static final Duration TIMEOUT_SLACK = Duration.ofSeconds(3);
    static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(60);

    private LocalCluster cluster;
    private ReplicatedClient client;

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        cluster = new LocalCluster(dir, LoopbackPorts.peers(3));
        cluster.startAll();
        client = new ReplicatedClient(cluster.clientConfig(CLIENT_TIMEOUT));
        cluster.awaitLeader(client);
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void acknowledgedWritesSurviveLeaderKillRestartAndMinorityLoss() throws Exception {
        Map<String, byte[]> acked;
        try (WriteLoad writers = new WriteLoad(client, "w", WRITER_THREADS)) {
            awaitMoreAcks(writers);
            String leader = cluster.awaitLeader(client);
            cluster.kill(leader);
            awaitMoreAcks(writers);
            cluster.start(leader);
            awaitMoreAcks(writers);
            String follower = cluster.ids().stream().filter(id -> !id.equals(cluster.awaitLeaderQuietly(client)))
                    .findFirst().orElseThrow();
            cluster.kill(follower);
            awaitMoreAcks(writers);
            cluster.start(follower);
            awaitMoreAcks(writers);
            acked = writers.acknowledged();
        }
        cluster.awaitConverged(client);
        byte[] reference = null;
        for (String id : cluster.ids()) {
            List<KeyValue> export = client.export(id);
            Map<String, byte[]> state = new ConcurrentHashMap<>();
            for (KeyValue kv : export) {
                state.put(new String(kv.key(), StandardCharsets.ISO_8859_1), kv.value());
            }
            for (Map.Entry<String, byte[]> e : acked.entrySet()) {
                byte[] raw = StoreKeys.user(e.getKey().getBytes(StandardCharsets.UTF_8));
                assertArrayEquals(e.getValue(), state.get(new String(raw, StandardCharsets.ISO_8859_1)),
                        "acknowledged write missing on node=" + id + " key=" + e.getKey());
            }
            byte[] bytes = WireFormat.encodeScanReply(export, false);
            if (reference != null) {
                assertArrayEquals(reference, bytes, "export of node=" + id + " differs from n1's");
            }
            reference = bytes;
        }
        assertTrue(acked.size() >= 5 * ACKS_BETWEEN_FAULTS, "acked=" + acked.size());
    }

    @Test
    @Order(2)
    void readsNeverGoBackwardsPerClientAndKeyDuringLeaderKills() throws Exception {
        int keys = 3;
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong reads = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        List<ReplicatedClient> clients = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            ReplicatedClient c = new ReplicatedClient(cluster.clientConfig(CLIENT_TIMEOUT));
            clients.add(c);
            threads.add(counterWriter(c, k, stop, violations));
        }
        for (int r = 0; r < 3; r++) {
            ReplicatedClient c = new ReplicatedClient(cluster.clientConfig(CLIENT_TIMEOUT));
            clients.add(c);
            threads.add(monotonicReader(c, keys, new SplittableRandom(SEED + r), stop, reads, violations));
        }
        threads.forEach(Thread::start);
        try {
            for (int kill = 0; kill < 2; kill++) {
                long before = reads.get();
                Await.until("reads progress", PROGRESS_TIMEOUT, () -> reads.get() > before + 50);
                String leader = cluster.awaitLeader(client);
                cluster.kill(leader);
                long during = reads.get();
                Await.until("reads progress after kill", PROGRESS_TIMEOUT, () -> reads.get() > during + 50);
                cluster.start(leader);
            }
        } finally {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            for (ReplicatedClient c : clients) {
                c.close();
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    @Order(3)
    void withMajorityGoneAWriteFailsWithinTimeoutAndIsNeverAppliedUnderTheNextLeader() throws Exception {
        client.put(bytes("before-majority-loss"), bytes("1"));
        String leader = cluster.awaitLeader(client);
        List<String> followers = cluster.ids().stream().filter(id -> !id.equals(leader)).toList();
        for (String f : followers) {
            cluster.kill(f);
        }
        byte[] key = bytes("written-without-majority");
        try (ReplicatedClient impatient = new ReplicatedClient(cluster.clientConfig(MAJORITY_LOSS_TIMEOUT))) {
            long startNs = System.nanoTime();
            ReplicationTimeoutException e = assertThrows(ReplicationTimeoutException.class,
                    () -> impatient.put(key, bytes("never")));
            long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
            assertTrue(elapsedMs <= MAJORITY_LOSS_TIMEOUT.plus(TIMEOUT_SLACK).toMillis(),
                    "failed after elapsedMs=" + elapsedMs);
            assertTrue(e.getMessage().contains("timeoutMs=" + MAJORITY_LOSS_TIMEOUT.toMillis()), e.getMessage());
        }
        // The old leader may hold the entry in its log, uncommitted. It goes down before the
        // majority returns, so the returning nodes (which never saw the entry) elect a leader
        // without it, and Raft replaces the old leader's uncommitted suffix when it rejoins.
        cluster.kill(leader);
        for (String f : followers) {
            cluster.start(f);
        }
        client.put(bytes("after-majority-back"), bytes("2"));
        cluster.start(leader);
        client.put(bytes("after-old-leader-back"), bytes("3"));
        cluster.awaitConverged(client);
        for (String id : cluster.ids()) {
            assertNull(client.getStale(key, id), "uncommitted write applied on node=" + id);
            assertArrayEquals(bytes("3"), client.getStale(bytes("after-old-leader-back"), id), "node=" + id);
        }
    }

    private static void awaitMoreAcks(WriteLoad writers) throws Exception {
        long target = writers.acks() + ACKS_BETWEEN_FAULTS;
        Await.until("acknowledged writes reach " + target, PROGRESS_TIMEOUT, () -> writers.acks() >= target);
    }

    private Thread counterWriter(ReplicatedClient c, int key, AtomicBoolean stop, List<String> violations) {
        return new Thread(() -> {
            long n = 0;
            while (!stop.get()) {
                try {
                    c.put(counterKey(key), ByteBuffer.allocate(8).putLong(n + 1).array());
                    n++;
                    String peer = cluster.ids().get((int) (n % cluster.ids().size()));
                    byte[] seen = c.get(counterKey(key), peer);
                    if (seen == null || ByteBuffer.wrap(seen).getLong() < n) {
                        violations.add("writer of key " + key + " acked " + n + " then read "
                                + (seen == null ? "null" : ByteBuffer.wrap(seen).getLong()) + " from " + peer);
                    }
                } catch (Exception e) {
                    // Not acknowledged, or the node read was down: neither proves anything; go on.
                }
            }
        }, "counter-writer-" + key);
    }

    private Thread monotonicReader(ReplicatedClient c, int keys, SplittableRandom random, AtomicBoolean stop,
                                   AtomicLong reads, List<String> violations) {
        return new Thread(() -> {
            long[] last = new long[keys];
            while (!stop.get()) {
                int k = random.nextInt(keys);
                try {
                    byte[] v = c.get(counterKey(k));
                    long seen = v == null ? 0 : ByteBuffer.wrap(v).getLong();
                    if (seen < last[k]) {
                        violations.add("key " + k + " read " + seen + " after " + last[k]);
                    }
                    last[k] = Math.max(last[k], seen);
                    reads.incrementAndGet();
                } catch (Exception e) {
                    // A read that failed observed nothing.
                }
            }
        }, "monotonic-reader");
    }

    private static byte[] counterKey(int k) {
        return bytes("counter-" + k);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
