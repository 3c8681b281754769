package dev.walnut.ratis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Replicated nodes on one machine, each in its own child JVM, that a test, a demo or a benchmark
 * can kill ({@code destroyForcibly}: a crash) and restart on the same port and directory. Each
 * node's output goes to {@code <dir>/<id>.log}; a node is ready once it printed {@code READY <id>}.
 */
public final class LocalCluster implements AutoCloseable {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    public static final long STOP_GRACE_SECONDS = 10;
    public static final long ELECTION_MIN_MS = 600;
    public static final long ELECTION_MAX_MS = 1_200;

    /** The command line that runs one node: {@code java ... <main> <args>}. */
    public interface NodeCommand {
        List<String> command(Path nodeDir, String id, String peerList, long electionMinMs, long electionMaxMs);
    }

    private final Path dir;
    private final List<PeerAddress> peers;
    private final NodeCommand nodeCommand;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    /** Nodes run {@link NodeMain} from this JVM's class path. */
    public LocalCluster(Path dir, List<PeerAddress> peers) {
        this(dir, peers, LocalCluster::nodeMain);
    }

    public LocalCluster(Path dir, List<PeerAddress> peers, NodeCommand nodeCommand) {
        this.dir = dir;
        this.peers = List.copyOf(peers);
        this.nodeCommand = nodeCommand;
    }

    /** {@code java -cp <this class path> <mainClass>}, with a small heap and quick start-up. */
    public static List<String> javaCommand(String mainClass) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-ea",
                "-cp", System.getProperty("java.class.path"), mainClass);
    }

    private static List<String> nodeMain(Path nodeDir, String id, String peerList, long minMs, long maxMs) {
        List<String> cmd = new java.util.ArrayList<>(javaCommand(NodeMain.class.getName()));
        cmd.addAll(List.of(nodeDir.toString(), id, peerList, Long.toString(minMs), Long.toString(maxMs)));
        return cmd;
    }

    public List<PeerAddress> peers() {
        return peers;
    }

    public List<String> ids() {
        return peers.stream().map(PeerAddress::id).toList();
    }

    public ReplicationConfig clientConfig(Duration timeout) {
        return ReplicationConfig.builder(peers).writeTimeout(timeout).build();
    }

    public void startAll() throws Exception {
        for (String id : ids()) {
            launch(id);
        }
        for (String id : ids()) {
            awaitReady(id);
        }
    }

    public void start(String id) throws Exception {
        launch(id);
        awaitReady(id);
    }

    private void launch(String id) throws IOException {
        String peerList = peers.stream().map(PeerAddress::toString).collect(Collectors.joining(","));
        Files.createDirectories(dir);
        Path log = dir.resolve(id + ".log");
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(nodeCommand.command(dir.resolve(id), id, peerList, ELECTION_MIN_MS,
                ELECTION_MAX_MS));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        processes.put(id, pb.start());
    }

    private void awaitReady(String id) throws Exception {
        Path log = dir.resolve(id + ".log");
        Process p = processes.get(id);
        Await.until("node " + id + " ready (log " + log + ")", START_TIMEOUT, () -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("node " + id + " exited: exitCode=" + p.exitValue() + " log=" + log);
            }
            return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains("READY " + id);
        });
    }

    /** Kills the node's JVM at once (no shutdown hooks, no close): a crash. */
    public void kill(String id) throws InterruptedException {
        Process p = processes.remove(id);
        if (p != null) {
            p.destroyForcibly().waitFor();
        }
    }

    public boolean isRunning(String id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /** The running node that says it leads, waiting through an election. */
    public String awaitLeader(ReplicatedClient client) throws Exception {
        String[] leader = new String[1];
        Await.until("a leader among " + processes.keySet(), START_TIMEOUT, () -> {
            for (String id : processes.keySet()) {
                if (client.isLeader(id)) {
                    leader[0] = id;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    /** The current leader, or null if none answers now. */
    public String awaitLeaderQuietly(ReplicatedClient client) {
        try {
            return awaitLeader(client);
        } catch (Exception e) {
            return null;
        }
    }

    /** Waits until every running node applied the same entry; returns that index. */
    public long awaitConverged(ReplicatedClient client) throws Exception {
        long[] index = new long[1];
        Await.until("all nodes applied the same index", START_TIMEOUT, () -> {
            Long seen = null;
            for (String id : processes.keySet()) {
                var applied = client.applied(id);
                long i = applied == null ? -1 : applied.getIndex();
                if (seen != null && seen != i) {
                    return false;
                }
                seen = i;
            }
            index[0] = seen;
            return true;
        });
        return index[0];
    }

    /** Stops every node: a clean close (SIGTERM runs the node's shutdown), a kill after the grace period. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            if (!p.waitFor(STOP_GRACE_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        processes.clear();
    }
}
