package dev.walnut.bench;

import dev.walnut.Durability;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.ratis.Await;
import dev.walnut.ratis.LocalCluster;
import dev.walnut.ratis.LoopbackPorts;
import dev.walnut.ratis.PeerAddress;
import dev.walnut.ratis.ReplicatedClient;
import dev.walnut.ratis.ReplicatedWalnut;
import dev.walnut.ratis.ReplicationConfig;
import dev.walnut.ratis.WriteLoad;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replication figures of README, in one run on loopback (not part of CI):
 * replicated SYNC writes/s at 1, 16 and 64 client threads beside a single-node SYNC store, with
 * writes per fsync on the leader; failover time over 10 leader kills; catch-up time of a node
 * restarted 100,000 writes behind. Run: {@code java -cp bench/target/benchmarks.jar
 * dev.walnut.bench.ReplicationFigures [secondsPerPoint]}.
 */
public final class ReplicationFigures {

    static final int[] THREADS = {1, 16, 64};
    static final int KILLS = 10;
    static final int CATCH_UP_WRITES = 100_000;
    static final int VALUE_BYTES = 100;
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ReplicationFigures() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path root = Files.createTempDirectory("walnut-replication-figures-");
        System.out.println("# replication figures: " + seconds + " s per point, " + VALUE_BYTES + " B values, dir=" + root);
        throughput(root.resolve("throughput"), seconds);
        failover(root.resolve("failover"));
        catchUp(root.resolve("catch-up"));
    }

    private interface Put {
        void put(byte[] key, byte[] value) throws Exception;
    }

    private static void throughput(Path dir, int seconds) throws Exception {
        List<PeerAddress> peers = LoopbackPorts.peers(3);
        List<ReplicatedWalnut> nodes = new ArrayList<>();
        for (PeerAddress p : peers) {
            nodes.add(ReplicatedWalnut.open(ReplicationConfig.builder(peers).node(dir.resolve(p.id()), p.id()).build()));
        }
        try (ReplicatedClient client = new ReplicatedClient(ReplicationConfig.builder(peers).writeTimeout(TIMEOUT).build());
             Walnut single = Walnut.open(dir.resolve("single"), WalnutOptions.builder().durability(Durability.SYNC).build())) {
            client.put(key("warm", 0), new byte[VALUE_BYTES]);
            ReplicatedWalnut leader = nodes.stream().filter(ReplicationFigures::leads).findFirst().orElseThrow();
            System.out.println("| client threads | single-node SYNC writes/s | replicated SYNC writes/s | writes per Raft-log fsync (leader) | leader store fsyncs |");
            System.out.println("|---|---|---|---|---|");
            for (int threads : THREADS) {
                long singleWrites = run(threads, seconds, single::put);
                long flushes0 = leader.raftLogFlushes();
                long storeSyncs0 = leader.storeStats().fsyncs();
                long replicated = run(threads, seconds, client::put);
                long flushes = leader.raftLogFlushes() - flushes0;
                long storeSyncs = leader.storeStats().fsyncs() - storeSyncs0;
                System.out.printf("| %d | %,d | %,d | %.1f | %d |%n", threads, singleWrites / seconds, replicated / seconds,
                        flushes == 0 ? 0.0 : (double) replicated / flushes, storeSyncs);
            }
        } finally {
            for (ReplicatedWalnut n : nodes) {
                n.close();
            }
        }
    }

    private static boolean leads(ReplicatedWalnut n) {
        try {
            return n.isLeader();
        } catch (Exception e) {
            return false;
        }
    }

    private static long run(int threads, int seconds, Put put) throws InterruptedException {
        AtomicLong writes = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        byte[] value = new byte[VALUE_BYTES];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                for (long i = 0; !stop.get(); i++) {
                    try {
                        put.put(key("t" + thread, i), value);
                        writes.incrementAndGet();
                    } catch (Exception e) {
                        throw new IllegalStateException("write failed during the throughput run", e);
                    }
                }
            });
            workers.add(w);
            w.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        return writes.get();
    }

    private static void failover(Path dir) throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, LoopbackPorts.peers(3));
             ReplicatedClient client = new ReplicatedClient(cluster.clientConfig(TIMEOUT))) {
            cluster.startAll();
            long[] ms = new long[KILLS];
            try (WriteLoad writer = new WriteLoad(client, "failover-", 1)) {
                for (int k = 0; k < KILLS; k++) {
                    long before = writer.acks();
                    Await.until("writes flow", TIMEOUT, () -> writer.acks() > before + 50);
                    String leader = cluster.awaitLeader(client);
                    long killNs = System.nanoTime();
                    long atKill = writer.acks();
                    cluster.kill(leader);
                    Await.until("first write after the kill", TIMEOUT, () -> writer.acks() > atKill + 1);
                    ms[k] = (System.nanoTime() - killNs) / 1_000_000;
                    cluster.start(leader);
                }
            }
            Arrays.sort(ms);
            System.out.printf("failover (leader JVM killed -> next acknowledged write), %d kills: median %d ms, max %d ms, all %s%n",
                    KILLS, (ms[KILLS / 2 - 1] + ms[KILLS / 2]) / 2, ms[KILLS - 1], Arrays.toString(ms));
        }
    }

    private static void catchUp(Path dir) throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, LoopbackPorts.peers(3));
             ReplicatedClient client = new ReplicatedClient(cluster.clientConfig(TIMEOUT))) {
            cluster.startAll();
            String leader = cluster.awaitLeader(client);
            String behind = cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
            cluster.kill(behind);
            AtomicLong next = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                Thread w = new Thread(() -> {
                    for (long i; (i = next.getAndIncrement()) < CATCH_UP_WRITES; ) {
                        try {
                            client.put(key("catch-up", i), new byte[VALUE_BYTES]);
                        } catch (Exception e) {
                            throw new IllegalStateException("write failed while a node was down", e);
                        }
                    }
                });
                writers.add(w);
                w.start();
            }
            for (Thread w : writers) {
                w.join();
            }
            long target = client.applied(leader).getIndex();
            long startNs = System.nanoTime();
            cluster.start(behind);
            long startedNs = System.nanoTime();
            Await.until(behind + " caught up", Duration.ofMinutes(10), () -> {
                var applied = client.applied(behind);
                return applied != null && applied.getIndex() >= target;
            });
            long doneNs = System.nanoTime();
            System.out.printf("catch-up of a node restarted %,d writes behind: %d ms from launch (%d ms JVM and Raft start, %d ms catching up)%n",
                    CATCH_UP_WRITES, (doneNs - startNs) / 1_000_000, (startedNs - startNs) / 1_000_000,
                    (doneNs - startedNs) / 1_000_000);
        }
    }

    static byte[] key(String prefix, long i) {
        return (prefix + "-" + i).getBytes(StandardCharsets.UTF_8);
    }
}
