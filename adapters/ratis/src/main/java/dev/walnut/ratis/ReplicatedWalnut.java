package dev.walnut.ratis;

import dev.walnut.KeyValue;
import dev.walnut.Walnut;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.util.List;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * One node of a replicated Walnut: a Raft server whose state machine is a Walnut store, and a
 * client of its group. A write returns once the group committed it and the leader applied it;
 * a write on a follower goes to the leader. {@link #get} is linearizable (Ratis' read index);
 * {@link #getStale} reads this node's local store, which may lag.
 *
 * <pre>{@code
 * List<PeerAddress> peers = List.of(PeerAddress.parse("n1=10.0.0.1:9001"), ...);
 * try (ReplicatedWalnut db = ReplicatedWalnut.open(
 *         ReplicationConfig.builder(peers).node(Path.of("data"), "n1").build())) {
 *     db.put(key, value);
 *     byte[] v = db.get(key);
 * }
 * }</pre>
 *
 * The directory holds {@code raft/} (Ratis' log, metadata and snapshots) and {@code store/}
 * (the live Walnut store).
 */
public final class ReplicatedWalnut implements AutoCloseable {

    private final RaftServer server;
    private final RaftGroup group;
    private final WalnutStateMachine stateMachine;
    private final ReplicatedClient client;
    private final String selfId;

    private ReplicatedWalnut(RaftServer server, RaftGroup group, WalnutStateMachine stateMachine,
                             ReplicatedClient client, String selfId) {
        this.server = server;
        this.group = group;
        this.stateMachine = stateMachine;
        this.client = client;
        this.selfId = selfId;
    }

    public static ReplicatedWalnut open(ReplicationConfig config) throws IOException {
        if (config.self() == null) {
            throw new IllegalArgumentException("not a node configuration: use builder(peers).node(directory, selfId)");
        }
        RaftGroup group = RatisSetup.group(config);
        WalnutStateMachine sm = new WalnutStateMachine(config.directory().resolve("store"), config.storeOptions());
        RaftServer server = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(config.self().id()))
                .setGroup(group)
                .setStateMachine(sm)
                .setProperties(RatisSetup.serverProperties(config))
                .setParameters(RatisSetup.parameters(config))
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        try {
            server.start();
            return new ReplicatedWalnut(server, group, sm, new ReplicatedClient(config), config.self().id());
        } catch (IOException | RuntimeException e) {
            try {
                server.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public void write(WriteBatch batch) throws IOException {
        client.write(batch);
    }

    public void put(byte[] key, byte[] value) throws IOException {
        client.put(key, value);
    }

    public void delete(byte[] key) throws IOException {
        client.delete(key);
    }

    /** A linearizable read through the leader's read index. */
    public byte[] get(byte[] key) throws IOException {
        return client.get(key);
    }

    /** A linearizable scan of user keys {@code [from, to)}, at most {@code limit} entries. */
    public List<KeyValue> scan(byte[] from, byte[] to, int limit) throws IOException {
        return client.scan(from, to, limit);
    }

    /** This node's local value: no network, but it may miss writes the group already acknowledged. */
    public byte[] getStale(byte[] key) throws IOException {
        Walnut store = stateMachine.store();
        if (store == null) {
            throw new IOException("local store unavailable: a snapshot is being installed (node=" + selfId + ")");
        }
        try {
            return store.get(StoreKeys.user(key));
        } catch (IllegalStateException closed) {
            throw new IOException("local store unavailable: a snapshot is being installed (node=" + selfId + ")",
                    closed);
        }
    }

    public boolean isLeader() throws IOException {
        return server.getDivision(group.getGroupId()).getInfo().isLeader();
    }

    /** The leader this node knows of, or null during an election. */
    public String leaderId() throws IOException {
        RaftPeerId id = server.getDivision(group.getGroupId()).getInfo().getLeaderId();
        return id == null ? null : id.toString();
    }

    /** The first index still in this node's Raft log: entries before it were purged after a snapshot. */
    public long raftLogStartIndex() throws IOException {
        return server.getDivision(group.getGroupId()).getRaftLog().getStartIndex();
    }

    /** How often this node flushed (fsynced) its Raft log since it started. */
    public long raftLogFlushes() {
        return CountingMetricRegistries.counter(selfId + "@", "flushCount");
    }

    /** The local store's statistics (fsyncs among them); null while a snapshot replaces the store. */
    public dev.walnut.Stats storeStats() {
        Walnut store = stateMachine.store();
        return store == null ? null : store.stats();
    }

    public String id() {
        return selfId;
    }

    public WalnutStateMachine stateMachine() {
        return stateMachine;
    }

    /** The group's client this node writes and reads through. */
    public ReplicatedClient client() {
        return client;
    }

    /** Stops the Raft server and closes the store (sealed and synced). */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        try {
            client.close();
        } catch (IOException e) {
            failure = e;
        }
        try {
            server.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
