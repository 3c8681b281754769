package dev.walnut.ratis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One replicated node in its own JVM, for {@link LocalCluster} (tests, demo, benchmarks). Arguments:
 * {@code dir selfId peers(id=host:port,...) electionMinMs electionMaxMs}. Prints {@code READY} once
 * its Raft server runs; closes cleanly when its standard input ends; dies when killed.
 */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) throws IOException {
        List<PeerAddress> peers = Arrays.stream(args[2].split(",")).map(PeerAddress::parse).toList();
        ReplicationConfig config = ReplicationConfig.builder(peers).node(Path.of(args[0]), args[1])
                .electionTimeout(Duration.ofMillis(Long.parseLong(args[3])), Duration.ofMillis(Long.parseLong(args[4])))
                .build();
        try (ReplicatedWalnut node = ReplicatedWalnut.open(config)) {
            System.out.println("READY " + node.id());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Wait for the parent to close our stdin (or to kill us).
            }
        }
    }
}
