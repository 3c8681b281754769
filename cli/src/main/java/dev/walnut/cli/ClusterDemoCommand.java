package dev.walnut.cli;

import dev.walnut.KeyValue;
import dev.walnut.ratis.Await;
import dev.walnut.ratis.LocalCluster;
import dev.walnut.ratis.LoopbackPorts;
import dev.walnut.ratis.ReplicatedClient;
import dev.walnut.ratis.WriteLoad;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * README's second main job: three nodes in child JVMs on loopback; the leader's JVM is killed
 * mid-stream, a new leader takes over, the killed node restarts and catches up, and every
 * acknowledged write is checked on all three.
 */
@Command(name = "cluster-demo", mixinStandardHelpOptions = true,
        description = {"Kill the leader of a three-node replicated group mid-write; prove no acknowledged write is lost.",
                "Three `walnut serve` JVMs on 127.0.0.1; exit 0 if every acknowledged write is on all three, 8 if not."})
final class ClusterDemoCommand implements Callable<Integer> {

    static final int NODES = 3;
    static final int WRITERS = 2;
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);

    private final Console console;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "Directory for the three nodes: must not exist or be empty (default: a new temporary directory).")
    Path directory;

    @Option(names = "--writes-per-phase", paramLabel = "N", defaultValue = "200",
            description = "Acknowledged writes before the kill, after it, and after the restart (default: ${DEFAULT-VALUE}).")
    int writesPerPhase;

    ClusterDemoCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        if (writesPerPhase < 1) {
            throw new CliException(ExitCode.USAGE, "--writes-per-phase must be at least 1: actual=" + writesPerPhase);
        }
        Path dir = prepareDirectory();
        PrintStream out = console.out();
        out.println("cluster-demo: nodes n1, n2, n3 in " + dir + " (logs: " + dir.resolve("n1.log") + ", ...)");
        try (LocalCluster cluster = new LocalCluster(dir, LoopbackPorts.peers(NODES), ClusterDemoCommand::serve);
             ReplicatedClient client = new ReplicatedClient(cluster.clientConfig(CLIENT_TIMEOUT))) {
            cluster.startAll();
            out.println("cluster-demo: three `walnut serve` JVMs up on " + cluster.peers());
            String leader = cluster.awaitLeader(client);
            out.println("cluster-demo: leader is " + leader);
            Map<String, byte[]> acked;
            try (WriteLoad writers = new WriteLoad(client, "demo-", WRITERS)) {
                awaitAcks(writers, writesPerPhase);
                long killNs = System.nanoTime();
                long acksAtKill = writers.acks();
                cluster.kill(leader);
                out.println("cluster-demo: killed the leader's JVM (" + leader + ", destroyForcibly) after "
                        + acksAtKill + " acknowledged writes");
                String next = cluster.awaitLeader(client);
                // Up to WRITERS writes in flight at the kill may still have been acknowledged by the
                // dying leader; the one after them went through the new leader.
                Await.until("a write acknowledged after the kill", STEP_TIMEOUT,
                        () -> writers.acks() > acksAtKill + WRITERS);
                out.println("cluster-demo: " + next + " took over; first write acknowledged "
                        + (System.nanoTime() - killNs) / 1_000_000 + " ms after the kill");
                awaitAcks(writers, writesPerPhase);
                long restartNs = System.nanoTime();
                cluster.start(leader);
                long target = client.applied(next).getIndex();
                Await.until(leader + " caught up", STEP_TIMEOUT, () -> {
                    var applied = client.applied(leader);
                    return applied != null && applied.getIndex() >= target;
                });
                out.println("cluster-demo: restarted " + leader + "; it caught up to index " + target + " in "
                        + (System.nanoTime() - restartNs) / 1_000_000 + " ms");
                awaitAcks(writers, writesPerPhase);
                acked = writers.acknowledged();
            }
            return check(cluster, client, acked, out);
        }
    }

    private static List<String> serve(Path nodeDir, String id, String peerList, long minMs, long maxMs) {
        List<String> cmd = new ArrayList<>(LocalCluster.javaCommand(Main.class.getName()));
        cmd.addAll(List.of("serve", "--dir", nodeDir.toString(), "--id", id, "--peers", peerList,
                "--election-timeout-ms", minMs + "," + maxMs));
        return cmd;
    }

    private static void awaitAcks(WriteLoad writers, int more) throws Exception {
        long target = writers.acks() + more;
        Await.until(target + " acknowledged writes", STEP_TIMEOUT, () -> writers.acks() >= target);
    }

    private int check(LocalCluster cluster, ReplicatedClient client, Map<String, byte[]> acked, PrintStream out)
            throws Exception {
        long index = cluster.awaitConverged(client);
        int missing = 0;
        for (String id : cluster.ids()) {
            Map<String, byte[]> state = new ConcurrentHashMap<>();
            for (KeyValue kv : client.scanStale(id)) {
                state.put(new String(kv.key(), StandardCharsets.UTF_8), kv.value());
            }
            for (Map.Entry<String, byte[]> e : acked.entrySet()) {
                if (!Arrays.equals(e.getValue(), state.get(e.getKey()))) {
                    missing++;
                    console.err().println("cluster-demo: LOST: node=" + id + " key=" + e.getKey());
                }
            }
        }
        if (missing > 0) {
            out.println("cluster-demo: FAIL: " + missing + " acknowledged writes missing");
            return ExitCode.LOST_WRITE;
        }
        out.println("cluster-demo: all " + acked.size() + " acknowledged writes are on n1, n2 and n3 (applied index "
                + index + "). OK");
        return ExitCode.OK;
    }

    private Path prepareDirectory() throws IOException {
        if (directory == null) {
            return Files.createTempDirectory("walnut-cluster-demo-");
        }
        if (Files.exists(directory)) {
            try (var entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new CliException(ExitCode.USAGE, "directory is not empty: " + directory);
                }
            }
        }
        return Files.createDirectories(directory);
    }
}
