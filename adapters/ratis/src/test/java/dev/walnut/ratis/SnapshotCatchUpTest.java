package dev.walnut.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.KeyValue;
import dev.walnut.WalnutOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower that was away while the leader compacted its log past it catches up by snapshot. */
class SnapshotCatchUpTest {

    static final long SNAPSHOT_EVERY_ENTRIES = 50;
    static final int WRITES_WHILE_AWAY = 300;
    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<ReplicatedWalnut> nodes = new ArrayList<>(List.of());
    private List<PeerAddress> peers;

    @AfterEach
    void closeAll() throws Exception {
        for (ReplicatedWalnut n : nodes) {
            if (n != null) {
                n.close();
            }
        }
    }

    private ReplicatedWalnut start(String id) throws Exception {
        ReplicationConfig config = ReplicationConfig.builder(peers).node(dir.resolve(id), id)
                .storeOptions(WalnutOptions.builder().seed(7).build())
                .electionTimeout(Duration.ofMillis(500), Duration.ofMillis(1000))
                .writeTimeout(Duration.ofSeconds(20))
                .snapshotEveryEntries(SNAPSHOT_EVERY_ENTRIES)
                .logSegmentBytes(ReplicationConfig.LOG_SEGMENT_BYTES_MIN)
                .build();
        return ReplicatedWalnut.open(config);
    }

    @Test
    void followerRestartedAfterLogCompactedPastItCatchesUpBySnapshotAndEqualsLeader() throws Exception {
        peers = LoopbackPorts.peers(3);
        for (PeerAddress p : peers) {
            nodes.add(start(p.id()));
        }
        ReplicatedWalnut writer = nodes.get(0);
        for (int i = 0; i < 20; i++) {
            writer.put(key(i), value(i));
        }
        ReplicatedWalnut away = nodes.stream().filter(n -> !isLeader(n)).findFirst().orElseThrow();
        Await.until("away node applied the first writes", CATCH_UP_TIMEOUT,
                () -> away.getStale(key(19)) != null);
        long awayApplied = away.stateMachine().storeApplied().getIndex();
        int awaySlot = nodes.indexOf(away);
        away.close();
        nodes.set(awaySlot, null);

        ReplicatedWalnut leaderSide = nodes.stream().filter(n -> n != null).findFirst().orElseThrow();
        for (int i = 20; i < 20 + WRITES_WHILE_AWAY; i++) {
            leaderSide.put(key(i), value(i));
        }
        for (ReplicatedWalnut n : nodes) {
            if (n != null) {
                Await.until("log purged past the away node on " + n.id(), CATCH_UP_TIMEOUT,
                        () -> n.raftLogStartIndex() > awayApplied + 1);
            }
        }

        ReplicatedWalnut back = start(away.id());
        nodes.set(awaySlot, back);
        long target = leaderSide.stateMachine().storeApplied().getIndex();
        Await.until("restarted node caught up to index " + target, CATCH_UP_TIMEOUT,
                () -> back.stateMachine().storeApplied() != null
                        && back.stateMachine().storeApplied().getIndex() >= target);

        assertTrue(back.stateMachine().snapshotsInstalled() >= 1,
                "caught up without a snapshot: snapshotsInstalled=" + back.stateMachine().snapshotsInstalled());
        Await.until("leader side and restarted node at the same index", CATCH_UP_TIMEOUT,
                () -> leaderSide.stateMachine().storeApplied().equals(back.stateMachine().storeApplied()));
        assertArrayEquals(exportBytes(leaderSide), exportBytes(back), "exports differ");
        assertEquals(WRITES_WHILE_AWAY + 20 + 1, back.stateMachine().exportAll().size(),
                "user keys plus the applied-index record");
    }

    private static boolean isLeader(ReplicatedWalnut n) {
        try {
            return n.isLeader();
        } catch (Exception e) {
            return false;
        }
    }

    static byte[] exportBytes(ReplicatedWalnut node) {
        List<KeyValue> all = node.stateMachine().exportAll();
        return WireFormat.encodeScanReply(all, false);
    }

    static byte[] key(int i) {
        return String.format("key-%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] value(int i) {
        return ("value-" + i + "-" + "x".repeat(64)).getBytes(StandardCharsets.UTF_8);
    }
}
