package dev.walnut.ratis;

import dev.walnut.Cursor;
import dev.walnut.Durability;
import dev.walnut.KeyRange;
import dev.walnut.KeyValue;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;

/**
 * Walnut as a Ratis state machine. Each Raft log entry is one encoded {@link WriteBatch}
 * ({@link WireFormat}); entries are applied in log order, each as one Walnut batch that also
 * writes the entry's term and index under a reserved key ({@link StoreKeys#APPLIED_KEY}), so the
 * applied index is durable exactly when the state it describes is. On restart Ratis replays its
 * log from its latest snapshot; entries at or below the store's applied index are recognised and
 * skipped, so nothing is applied twice, and nothing is skipped because the log keeps every entry
 * after the snapshot.
 *
 * <p>The store is written with {@link Durability#BACKGROUND}: the Raft log, which Ratis syncs
 * before an entry counts as committed, is what makes a write durable; the store may lag behind it
 * after a crash and catches up by replay. A snapshot syncs the store first, so the store never
 * lags behind the snapshot Ratis may purge its log up to.
 */
public final class WalnutStateMachine extends BaseStateMachine {

    private static final System.Logger LOG = System.getLogger(WalnutStateMachine.class.getName());

    /** Bounds a record's header and preamble (the kernel's are 12 B and under 32 B). */
    static final int RECORD_OVERHEAD_BYTES = 64;
    /** The applied-index put every entry adds: key, value and framing. */
    static final int APPLIED_RECORD_BYTES = 64;

    private final Path storeDir;
    private final WalnutOptions storeOptions;
    private final CheckpointStorage checkpoints = new CheckpointStorage();
    /** Readers share it; reinitialize (store swap after a snapshot install) takes it exclusively. */
    private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();
    private final AtomicLong snapshotsInstalled = new AtomicLong();
    private final AtomicLong entriesSkipped = new AtomicLong();
    private volatile Walnut store;
    /** The term and index recorded in the store with the last applied batch. */
    private volatile TermIndex storeApplied;
    private volatile IOException failure;

    public WalnutStateMachine(Path storeDir, WalnutOptions storeOptions) {
        this.storeDir = storeDir;
        this.storeOptions = storeOptions.toBuilder().durability(Durability.BACKGROUND).build();
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return checkpoints;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        getLifeCycle().startAndTransition(() -> {
            checkpoints.init(raftStorage);
            openStore();
            restoreIfBehindSnapshot();
            // Ratis replays its log from the latest snapshot on; what it applies is counted from
            // there, even where the store is ahead (those entries are recognised and skipped).
            CheckpointStorage.Checkpoint latest = checkpoints.latest();
            if (latest != null) {
                setLastAppliedTermIndex(latest.termIndex());
            }
        }, IOException.class);
        LOG.log(System.Logger.Level.INFO, "state machine ready: store=" + storeDir + " applied=" + storeApplied
                + " snapshot=" + checkpoints.latest());
    }

    private void openStore() throws IOException {
        Directories.deleteTree(storeDir.resolveSibling(storeDir.getFileName() + ".restoring"));
        store = Walnut.open(storeDir, storeOptions);
        byte[] applied = store.get(StoreKeys.APPLIED_KEY);
        storeApplied = applied == null ? null : StoreKeys.decodeApplied(applied);
    }

    /** A crash during a snapshot install can leave the store older than the snapshot: restore it. */
    private void restoreIfBehindSnapshot() throws IOException {
        CheckpointStorage.Checkpoint latest = checkpoints.latest();
        if (latest != null && (storeApplied == null || storeApplied.compareTo(latest.termIndex()) < 0)) {
            replaceStoreWith(latest);
        }
    }

    private void replaceStoreWith(CheckpointStorage.Checkpoint checkpoint) throws IOException {
        Walnut old = store;
        store = null;
        if (old != null) {
            old.close();
        }
        Directories.replaceWithCopy(checkpoint.dir(), storeDir);
        openStore();
        if (storeApplied == null || !storeApplied.equals(checkpoint.termIndex())) {
            throw new IOException("checkpoint does not hold the state it is named for: expected="
                    + checkpoint.termIndex() + " actual=" + storeApplied + " (dir=" + checkpoint.dir() + ")");
        }
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex ti = TermIndex.valueOf(entry.getTerm(), entry.getIndex());
        try {
            apply(ti, entry.getStateMachineLogEntry().getLogData());
            return CompletableFuture.completedFuture(Message.EMPTY);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void apply(TermIndex ti, ByteString data) throws IOException {
        checkNotFailed();
        TermIndex applied = storeApplied;
        if (applied != null && ti.getIndex() <= applied.getIndex()) {
            entriesSkipped.incrementAndGet();
            updateLastAppliedTermIndex(ti);
            return;
        }
        WriteBatch batch;
        try {
            batch = storeBatch(WireFormat.decodeWrite(data.asReadOnlyByteBuffer()));
        } catch (IllegalArgumentException malformed) {
            // startTransaction checks writes before they enter the log; an entry that still fails
            // is applied as a no-op on every node alike, so the replicas stay equal.
            LOG.log(System.Logger.Level.WARNING, "entry " + ti + " skipped: " + malformed.getMessage());
            batch = new WriteBatch();
        }
        batch.put(StoreKeys.APPLIED_KEY, StoreKeys.encodeApplied(ti));
        try {
            store.write(batch, Durability.BACKGROUND);
        } catch (IOException | RuntimeException e) {
            // Fail-stop: a later entry must never be applied over a missing one, and no read may
            // be answered from a store that missed an entry.
            failure = e instanceof IOException io ? io : new IOException(e);
            LOG.log(System.Logger.Level.ERROR, "apply of entry " + ti + " failed; the node stops applying", e);
            throw e;
        }
        storeApplied = ti;
        updateLastAppliedTermIndex(ti);
    }

    private void checkNotFailed() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw new IOException("state machine stopped after a failed apply: " + f.getMessage(), f);
        }
    }

    /** The store batch of an entry: user keys in their namespace; the applied index is added by the caller. */
    private static WriteBatch storeBatch(List<WireFormat.Op> ops) {
        WriteBatch batch = new WriteBatch();
        for (WireFormat.Op op : ops) {
            if (op.put()) {
                batch.put(StoreKeys.user(op.key()), op.value());
            } else {
                batch.delete(StoreKeys.user(op.key()));
            }
        }
        return batch;
    }

    /**
     * Refuses a write before it enters the log (a bad entry would be in every node's log): Ratis
     * answers the exception set on the context to the client as a StateMachineException.
     */
    @Override
    public TransactionContext startTransaction(org.apache.ratis.protocol.RaftClientRequest request)
            throws IOException {
        TransactionContext context = super.startTransaction(request);
        try {
            checkNotFailed();
            WriteBatch batch = storeBatch(WireFormat.decodeWrite(request.getMessage().getContent().asReadOnlyByteBuffer()));
            long recordBytes = batch.estimatedBytes() + APPLIED_RECORD_BYTES + RECORD_OVERHEAD_BYTES;
            if (recordBytes > storeOptions.maxRecordBytes()) {
                throw new IllegalArgumentException("batch too large: recordBytes=" + recordBytes + " maxRecordBytes="
                        + storeOptions.maxRecordBytes());
            }
        } catch (IOException | IllegalArgumentException refused) {
            context.setException(refused);
        }
        return context;
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        storeLock.readLock().lock();
        try {
            checkNotFailed();
            Walnut s = store;
            if (s == null) {
                throw new IOException("store is being replaced by a snapshot");
            }
            return CompletableFuture.completedFuture(Message.valueOf(
                    ByteString.copyFrom(Queries.answer(s, request.getContent().asReadOnlyByteBuffer(), storeApplied))));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            storeLock.readLock().unlock();
        }
    }

    /**
     * Ratis calls this on the thread that applies entries, after the last one returned: the
     * store holds exactly the state up to {@link #storeApplied} while the checkpoint is taken.
     */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex ti = storeApplied;
        CheckpointStorage.Checkpoint latest = checkpoints.latest();
        long latestIndex = latest == null ? RaftLog.INVALID_LOG_INDEX : latest.termIndex().getIndex();
        TermIndex replayed = getLastAppliedTermIndex();
        if (ti == null || replayed == null || ti.getIndex() > replayed.getIndex() || ti.getIndex() <= latestIndex) {
            // Nothing new, or Ratis is still replaying entries the store already holds: a snapshot
            // must not claim an index Ratis has not reached.
            return latestIndex;
        }
        store.sync();
        Path partial = checkpoints.partialDir(ti);
        // A consistent copy at the store's current sequence, which is the state up to ti: only
        // this thread applies entries. Immutable files are hard-linked; the copy is synced.
        store.checkpoint(partial);
        checkpoints.publish(partial, ti);
        LOG.log(System.Logger.Level.INFO, "snapshot taken: " + ti + " dir=" + checkpoints.latest().dir());
        return ti.getIndex();
    }

    /** Ratis pauses the state machine before each chunk of a snapshot it installs from the leader. */
    @Override
    public synchronized void pause() {
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            return;
        }
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** After Ratis installed a snapshot from the leader: the store becomes a copy of it. */
    @Override
    public void reinitialize() throws IOException {
        storeLock.writeLock().lock();
        try {
            if (getLifeCycleState() == LifeCycle.State.PAUSED) {
                getLifeCycle().transition(LifeCycle.State.STARTING);
            }
            checkpoints.reload();
            CheckpointStorage.Checkpoint latest = checkpoints.latest();
            if (latest == null) {
                throw new IOException("no snapshot to reinitialize from: dir=" + storeDir);
            }
            replaceStoreWith(latest);
            setLastAppliedTermIndex(latest.termIndex());
            snapshotsInstalled.incrementAndGet();
            if (getLifeCycleState() == LifeCycle.State.STARTING) {
                getLifeCycle().transition(LifeCycle.State.RUNNING);
            }
            LOG.log(System.Logger.Level.INFO, "installed snapshot " + latest.termIndex());
        } finally {
            storeLock.writeLock().unlock();
        }
    }

    /** The term and index stored with the last applied batch, or null before the first. */
    public TermIndex storeApplied() {
        return storeApplied;
    }

    /** How many snapshots this node installed from a leader since it started. */
    public long snapshotsInstalled() {
        return snapshotsInstalled.get();
    }

    /** Replayed entries recognised as already applied (by the applied index in the store). */
    public long entriesSkipped() {
        return entriesSkipped.get();
    }

    /** The local store, for stale reads; null while a snapshot replaces it. */
    Walnut store() {
        return store;
    }

    /** Every raw entry of the store, in key order, reserved keys included: an export to compare. */
    public List<KeyValue> exportAll() {
        storeLock.readLock().lock();
        try (Cursor c = store.scan(KeyRange.all())) {
            List<KeyValue> all = new ArrayList<>();
            c.forEachRemaining(all::add);
            return all;
        } finally {
            storeLock.readLock().unlock();
        }
    }

    @Override
    public void close() throws IOException {
        storeLock.writeLock().lock();
        try {
            Walnut s = store;
            store = null;
            if (s != null) {
                s.close();
            }
        } finally {
            storeLock.writeLock().unlock();
        }
    }
}
