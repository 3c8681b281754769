package dev.walnut.ratis;

import dev.walnut.KeyValue;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.retry.ExceptionDependentRetry;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * A client of a replicated Walnut group: it needs no local node. Writes go to the leader (the
 * client follows redirects and leader changes); {@link #get} and {@link #scan} are linearizable
 * (the leader's read index); the {@code stale} reads ask one named node for its local state.
 * Every call waits at most the configured write timeout. Safe for concurrent use.
 */
public final class ReplicatedClient implements AutoCloseable {

    /** Entries per page when a node's store is exported. */
    static final int EXPORT_PAGE_ENTRIES = 5_000;

    private final RaftClient client;
    private final RaftGroup group;
    private final long timeoutMs;
    /** Runs the blocking calls so that each can be abandoned at the timeout. */
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "walnut-ratis-client");
        t.setDaemon(true);
        return t;
    });

    public ReplicatedClient(ReplicationConfig config) {
        this.group = RatisSetup.group(config);
        this.timeoutMs = config.writeTimeout().toMillis();
        int attempts = (int) Math.max(1, timeoutMs / RatisSetup.RETRY_SLEEP_MS);
        this.client = RaftClient.newBuilder()
                .setRaftGroup(group)
                .setProperties(RatisSetup.clientProperties(config))
                .setParameters(RatisSetup.parameters(config))
                .setRetryPolicy(ExceptionDependentRetry.newBuilder()
                        .setDefaultPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
                                RatisSetup.millis(RatisSetup.RETRY_SLEEP_MS)))
                        // The state machine refused the request (a malformed or oversized write):
                        // the same request would be refused again.
                        .setExceptionToPolicy(StateMachineException.class, RetryPolicies.noRetry())
                        .build())
                .build();
    }

    /** Returns once the group committed the batch and the leader applied it. */
    public void write(WriteBatch batch) throws IOException {
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("empty batch: a batch needs at least one put or delete");
        }
        for (WriteBatch.Op op : batch.ops()) {
            StoreKeys.checkUserKey(op.key());
        }
        call(() -> client.io().send(message(WireFormat.encodeWrite(batch))), "write");
    }

    public void put(byte[] key, byte[] value) throws IOException {
        write(new WriteBatch().put(key, value));
    }

    public void delete(byte[] key) throws IOException {
        write(new WriteBatch().delete(key));
    }

    /** A linearizable read: sees every write acknowledged before it started. */
    public byte[] get(byte[] key) throws IOException {
        StoreKeys.checkUserKey(key);
        RaftClientReply reply = call(() -> client.io().sendReadOnly(message(WireFormat.encodeGet(key))), "get");
        return WireFormat.decodeGetReply(reply.getMessage().getContent().asReadOnlyByteBuffer());
    }

    /** A linearizable read served by the named node (a follower asks the leader for its read index). */
    public byte[] get(byte[] key, String peerId) throws IOException {
        StoreKeys.checkUserKey(key);
        RaftClientReply reply = call(() -> client.io().sendReadOnly(message(WireFormat.encodeGet(key)),
                RaftPeerId.valueOf(peerId)), "get");
        return WireFormat.decodeGetReply(reply.getMessage().getContent().asReadOnlyByteBuffer());
    }

    /** Whether the named node says it is the leader; false if it cannot be asked. */
    public boolean isLeader(String peerId) {
        try {
            org.apache.ratis.protocol.GroupInfoReply info = client.getGroupManagementApi(RaftPeerId.valueOf(peerId))
                    .info(group.getGroupId());
            return info.isSuccess() && info.getRoleInfoProto().getRole()
                    == org.apache.ratis.proto.RaftProtos.RaftPeerRole.LEADER;
        } catch (IOException unreachable) {
            return false;
        }
    }

    /** A read of one node's local state, which may lag behind the group. */
    public byte[] getStale(byte[] key, String peerId) throws IOException {
        StoreKeys.checkUserKey(key);
        RaftClientReply reply = stale(WireFormat.encodeGet(key), peerId, "stale get");
        return WireFormat.decodeGetReply(reply.getMessage().getContent().asReadOnlyByteBuffer());
    }

    /** A linearizable scan of user keys {@code [from, to)} (null for an open end), at most {@code limit} entries. */
    public List<KeyValue> scan(byte[] from, byte[] to, int limit) throws IOException {
        RaftClientReply reply = call(() -> client.io().sendReadOnly(message(WireFormat.encodeScan(from, to, limit))),
                "scan");
        return WireFormat.decodeScanReply(reply.getMessage().getContent().asReadOnlyByteBuffer()).entries();
    }

    /** The term and index a node's store last applied, or null if it applied nothing yet. */
    public TermIndex applied(String peerId) throws IOException {
        RaftClientReply reply = stale(WireFormat.encodeApplied(), peerId, "applied");
        java.nio.ByteBuffer b = reply.getMessage().getContent().asReadOnlyByteBuffer();
        long term = b.getLong();
        long index = b.getLong();
        return index < 0 ? null : TermIndex.valueOf(term, index);
    }

    /** Every raw entry of one node's store, reserved keys included: an export to compare replicas by. */
    public List<KeyValue> export(String peerId) throws IOException {
        List<KeyValue> all = new ArrayList<>();
        byte[] after = null;
        while (true) {
            RaftClientReply reply = stale(WireFormat.encodeExport(after, EXPORT_PAGE_ENTRIES), peerId, "export");
            WireFormat.ScanPage page = WireFormat.decodeScanReply(reply.getMessage().getContent().asReadOnlyByteBuffer());
            all.addAll(page.entries());
            if (!page.more() || page.entries().isEmpty()) {
                return all;
            }
            after = page.entries().get(page.entries().size() - 1).key();
        }
    }

    /** Every user entry of one node's local store, in key order: what that replica holds now. */
    public List<KeyValue> scanStale(String peerId) throws IOException {
        List<KeyValue> all = new ArrayList<>();
        byte[] from = null;
        while (true) {
            RaftClientReply reply = stale(WireFormat.encodeScan(from, null, EXPORT_PAGE_ENTRIES), peerId, "stale scan");
            WireFormat.ScanPage page = WireFormat.decodeScanReply(reply.getMessage().getContent().asReadOnlyByteBuffer());
            all.addAll(page.entries());
            if (!page.more() || page.entries().isEmpty()) {
                return all;
            }
            byte[] last = page.entries().get(page.entries().size() - 1).key();
            from = java.util.Arrays.copyOf(last, last.length + 1); // the smallest key after last
        }
    }

    /** The leader this client last heard of, or null. */
    public String leaderId() {
        RaftPeerId id = client.getLeaderId();
        return id == null ? null : id.toString();
    }

    private RaftClientReply stale(byte[] query, String peerId, String what) throws IOException {
        return call(() -> client.io().sendStaleRead(message(query), 0, RaftPeerId.valueOf(peerId)), what);
    }

    private static Message message(byte[] bytes) {
        return Message.valueOf(ByteString.copyFrom(bytes));
    }

    /**
     * Runs one blocking Ratis call on the client's pool and waits at most the timeout for it. The
     * blocking API keeps calls independent (a failed call does not close a stream other calls
     * share, as the ordered async API does); the retry policy ends an abandoned call soon after.
     */
    private RaftClientReply call(Callable<RaftClientReply> request, String what) throws IOException {
        Future<RaftClientReply> future = calls.submit(request);
        RaftClientReply reply;
        try {
            reply = future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timeout(what, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(what + " interrupted: group=" + group.getGroupId());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RaftRetryFailureException) {
                throw timeout(what, cause);
            }
            throw new IOException(what + " failed: group=" + group.getGroupId() + ": " + cause, cause);
        }
        if (!reply.isSuccess()) {
            throw new IOException(what + " failed: group=" + group.getGroupId() + " server=" + reply.getServerId()
                    + ": " + reply.getException(), reply.getException());
        }
        return reply;
    }

    private ReplicationTimeoutException timeout(String what, Throwable cause) {
        return new ReplicationTimeoutException(what + " not acknowledged within timeoutMs=" + timeoutMs
                + " (group=" + group.getGroupId() + " lastKnownLeader=" + leaderId()
                + "): no majority reachable? a write's outcome is in doubt", cause);
    }

    @Override
    public void close() throws IOException {
        calls.shutdownNow();
        client.close();
    }
}
