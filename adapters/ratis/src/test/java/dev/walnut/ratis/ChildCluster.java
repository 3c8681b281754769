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

/** Three (or more) replicated nodes, each in a child JVM on loopback, that a test can kill and restart. */
final class ChildCluster implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final long ELECTION_MIN_MS = 600;
    static final long ELECTION_MAX_MS = 1_200;

    private final Path dir;
    private final List<PeerAddress> peers;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    ChildCluster(Path dir, int nodes) throws IOException {
        this.dir = dir;
        this.peers = LoopbackPorts.peers(nodes);
    }

    List<PeerAddress> peers() {
        return peers;
    }

    List<String> ids() {
        return peers.stream().map(PeerAddress::id).toList();
    }

    ReplicationConfig clientConfig(Duration timeout) {
        return ReplicationConfig.builder(peers).writeTimeout(timeout).build();
    }

    void startAll() throws Exception {
        for (String id : ids()) {
            launch(id);
        }
        for (String id : ids()) {
            awaitReady(id);
        }
    }

    void start(String id) throws Exception {
        launch(id);
        awaitReady(id);
    }

    private void launch(String id) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String peerList = peers.stream().map(PeerAddress::toString).collect(Collectors.joining(","));
        Path log = dir.resolve(id + ".log");
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-ea",
                "-cp", System.getProperty("java.class.path"), ChildNode.class.getName(),
                dir.resolve(id).toString(), id, peerList, Long.toString(ELECTION_MIN_MS), Long.toString(ELECTION_MAX_MS));
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
    void kill(String id) throws InterruptedException {
        Process p = processes.remove(id);
        if (p != null) {
            p.destroyForcibly().waitFor();
        }
    }

    boolean isRunning(String id) {
        Process p = processes.get(id);
        return p != null && p.isAlive();
    }

    /** The running node that says it leads, waiting through an election. */
    String awaitLeader(ReplicatedClient client) throws Exception {
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
    String awaitLeaderQuietly(ReplicatedClient client) {
        try {
            return awaitLeader(client);
        } catch (Exception e) {
            return null;
        }
    }

    /** Waits until every running node applied the same entry; returns that index. */
    long awaitConverged(ReplicatedClient client) throws Exception {
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

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes.values()) {
            p.destroyForcibly().waitFor();
        }
        processes.clear();
    }
}
