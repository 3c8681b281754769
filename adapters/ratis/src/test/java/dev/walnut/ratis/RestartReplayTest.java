package dev.walnut.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restarted node's store already holds entries that Ratis replays from its log (no snapshot
 * yet): the applied index stored with the data makes it skip exactly those and apply the rest.
 * Re-applying a put would leave the same state, so the test counts the skipped entries and
 * checks the restarted node ends equal to the leader, byte for byte.
 */
class RestartReplayTest {

    static final int WRITES_BEFORE = 30;
    static final int WRITES_WHILE_AWAY = 10;
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_RECORD_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    private final List<ReplicatedWalnut> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (ReplicatedWalnut n : nodes) {
            n.close();
        }
    }

    private ReplicatedWalnut start(List<PeerAddress> peers, String id) throws Exception {
        ReplicatedWalnut n = ReplicatedWalnut.open(ReplicationConfig.builder(peers).node(dir.resolve(id), id)
                .storeOptions(dev.walnut.WalnutOptions.builder().maxRecordBytes(MAX_RECORD_BYTES).build())
                .electionTimeout(Duration.ofMillis(500), Duration.ofMillis(1000)).writeTimeout(TIMEOUT).build());
        nodes.add(n);
        return n;
    }

    private List<PeerAddress> startGroup() throws Exception {
        List<PeerAddress> peers = LoopbackPorts.peers(3);
        for (PeerAddress p : peers) {
            start(peers, p.id());
        }
        return peers;
    }

    @Test
    void restartedNodeSkipsTheEntriesItsStoreHoldsAndAppliesTheRestOnce() throws Exception {
        List<PeerAddress> peers = startGroup();
        ReplicatedClient client = nodes.get(0).client();
        for (int i = 1; i <= WRITES_BEFORE; i++) {
            client.write(new dev.walnut.WriteBatch().put(bytes("n-" + i), bytes("x")).put(bytes("count"), count(i)));
        }
        ReplicatedWalnut away = nodes.get(2);
        Await.until("n3 applied every write", TIMEOUT, () -> away.getStale(bytes("n-" + WRITES_BEFORE)) != null);
        nodes.remove(away);
        away.close();
        for (int i = WRITES_BEFORE + 1; i <= WRITES_BEFORE + WRITES_WHILE_AWAY; i++) {
            client.write(new dev.walnut.WriteBatch().put(bytes("n-" + i), bytes("x")).put(bytes("count"), count(i)));
        }
        ReplicatedWalnut back = start(peers, "n3");
        int last = WRITES_BEFORE + WRITES_WHILE_AWAY;
        Await.until("n3 caught up", TIMEOUT, () -> back.getStale(bytes("n-" + last)) != null);
        assertTrue(back.stateMachine().entriesSkipped() >= WRITES_BEFORE,
                "replayed entries the store held were not skipped: skipped=" + back.stateMachine().entriesSkipped());
        assertEquals(0, back.stateMachine().snapshotsInstalled());
        assertArrayEquals(count(last), back.getStale(bytes("count")));
        Await.until("same applied index", TIMEOUT,
                () -> back.stateMachine().storeApplied().equals(nodes.get(0).stateMachine().storeApplied()));
        assertArrayEquals(SnapshotCatchUpTest.exportBytes(nodes.get(0)), SnapshotCatchUpTest.exportBytes(back));
    }

    @Test
    void batchTooLargeForTheStoreIsRefusedBeforeTheLogAndTheGroupGoesOn() throws Exception {
        startGroup();
        ReplicatedClient client = nodes.get(0).client();
        client.put(bytes("first"), bytes("ok"));
        java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> client.put(bytes("big"), new byte[MAX_RECORD_BYTES]));
        assertTrue(String.valueOf(refused.getMessage()).contains("batch too large"), refused.getMessage());
        client.put(bytes("small"), bytes("ok"));
        for (ReplicatedWalnut n : nodes) {
            Await.until("small write applied on " + n.id(), TIMEOUT, () -> n.getStale(bytes("small")) != null);
            assertEquals(null, n.getStale(bytes("big")), "refused batch applied on " + n.id());
        }
    }

    private static byte[] count(int i) {
        return bytes(Integer.toString(i));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
