package dev.walnut.store;

import dev.walnut.Durability;
import dev.walnut.StorePoisonedException;
import dev.walnut.WriteBatch;
import dev.walnut.log.LogWriter;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit. Writers queue up; the writer at the head of the queue leads: it takes every batch
 * queued behind it (up to a byte limit), appends them as records with one append, issues one fsync
 * if any of them asked for {@link Durability#SYNC} (a group of unsynced writes may leave its records
 * in the writer's bounded buffer, see {@link LogWriter#PENDING_BYTES_MAX}), applies them to the index, publishes their last
 * sequence, and wakes the group. So N concurrent writers share one append and one fsync.
 *
 * <p>The first failed append or sync poisons the pipeline: the group fails, and every later write
 * fails with {@link StorePoisonedException} naming that first failure. Nothing after it is acknowledged.
 */
public final class CommitPipeline {

    /** A leader stops gathering once its group holds this many estimated bytes. */
    public static final long GROUP_BYTES_MAX = 4L * 1024 * 1024;

    /** Work that must run alone in the writer's turn (rotation for compaction, close). */
    public interface Turn {
        void run(LogWriter writer) throws IOException;
    }

    private static final class Request {
        final WriteBatch batch;
        final Durability durability;
        final Turn turn;
        /** Signalled when this request is done or has become the head of the queue: no herd. */
        final Condition wakeUp;
        boolean done;
        IOException failure;
        RuntimeException bug;

        Request(WriteBatch batch, Durability durability, Turn turn, Condition signal) {
            this.batch = batch;
            this.durability = durability;
            this.turn = turn;
            this.wakeUp = signal;
        }
    }

    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    /**
     * Guards the queue. Each waiter has its own condition, so a finished group wakes only its own
     * writers and the next head, not every queued thread (a herd that cost a third of the CPU at 64
     * writers on two cores).
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final LogWriter writer;
    private final MvccIndex index;
    private volatile IOException poison;
    private volatile boolean closed;
    private volatile long writes;
    private volatile boolean unsyncedBackgroundWrites;
    /** Leader only: whether the current group may have reached the log. */
    private boolean appended;

    public CommitPipeline(LogWriter writer, MvccIndex index) {
        this.writer = writer;
        this.index = index;
    }

    public void write(WriteBatch batch, Durability durability) throws IOException {
        submit(new Request(batch, durability, null, lock.newCondition()));
    }

    /** Makes every acknowledged write durable; shares the fsync with any group in flight. */
    public void sync() throws IOException {
        submit(new Request(null, Durability.SYNC, null, lock.newCondition()));
    }

    /**
     * Syncs only if a {@link Durability#BACKGROUND} write is not yet durable; for the background
     * syncer. The fsync runs outside the commit queue, so writers that do not sync (BACKGROUND,
     * MANUAL) append behind it instead of waiting for it: two short turns in the queue take the
     * point to sync and then declare it durable. A failed fsync poisons the pipeline.
     */
    public void syncBackgroundWrites() throws IOException {
        if (!unsyncedBackgroundWrites || poison != null || closed) {
            return;
        }
        LogWriter.SyncPoint[] point = new LogWriter.SyncPoint[1];
        submit(new Request(null, Durability.MANUAL, w -> {
            unsyncedBackgroundWrites = false;
            point[0] = w.syncPoint();
        }, lock.newCondition()));
        try {
            writer.syncConcurrently(point[0]);
        } catch (IOException e) {
            if (poison == null) {
                poison = e;
            }
            throw e;
        }
        submit(new Request(null, Durability.MANUAL, w -> w.markDurable(point[0]), lock.newCondition()));
    }

    /**
     * Writes every acknowledged write still in the writer's buffer to the file, without fsync: they
     * then survive a process kill. A failed append poisons the pipeline.
     */
    public void flush() throws IOException {
        submit(new Request(null, Durability.MANUAL, LogWriter::flush, lock.newCondition()));
    }

    /** Runs {@code turn} alone, as the leader, after every write queued before it. */
    public void exclusive(Turn turn) throws IOException {
        submit(new Request(null, Durability.SYNC, turn, lock.newCondition()));
    }

    /** Runs {@code turn} as the last work of this pipeline; later submissions fail as closed. */
    public void close(Turn turn) throws IOException {
        submit(new Request(null, Durability.SYNC, writer -> {
            closed = true;
            turn.run(writer);
        }, lock.newCondition()));
    }

    public IOException poison() {
        return poison;
    }

    public long writes() {
        return writes;
    }

    private void submit(Request request) throws IOException {
        List<Request> group;
        lock.lock();
        try {
            checkOpen();
            queue.addLast(request);
            // Not interruptible: once queued, a leader may already be writing this batch, so giving
            // up would leave the caller unsure whether it was written.
            while (!request.done && queue.peekFirst() != request) {
                request.wakeUp.awaitUninterruptibly();
            }
            if (request.done) {
                result(request);
                return;
            }
            group = gather();
        } finally {
            lock.unlock();
        }
        try {
            lead(group);
        } finally {
            // Whatever the leader met, the group is answered and the next leader woken: a leader
            // that left without this would wedge every later writer and close().
            lock.lock();
            try {
                for (int i = 0; i < group.size(); i++) {
                    Request r = queue.pollFirst();
                    r.done = true;
                    r.wakeUp.signal();
                }
                Request next = queue.peekFirst();
                if (next != null) {
                    next.wakeUp.signal();
                }
            } finally {
                lock.unlock();
            }
        }
        result(request);
    }

    private static void result(Request request) throws IOException {
        if (request.bug != null) {
            throw request.bug;
        }
        if (request.failure != null) {
            throw request.failure;
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        if (poison != null) {
            throw new StorePoisonedException(poison);
        }
    }

    /** The head and the batches queued behind it, up to the byte limit; a turn always runs alone. */
    private List<Request> gather() {
        List<Request> group = new ArrayList<>();
        long bytes = 0;
        for (Request r : queue) {
            if (!group.isEmpty() && (r.turn != null || group.get(0).turn != null)) {
                break;
            }
            bytes += r.batch == null ? 0 : r.batch.estimatedBytes();
            if (!group.isEmpty() && bytes > GROUP_BYTES_MAX) {
                break;
            }
            group.add(r);
        }
        return group;
    }

    private void lead(List<Request> group) {
        Request head = group.get(0);
        appended = false;
        try {
            if (closed) {
                throw new IllegalStateException("store is closed");
            }
            if (poison != null) {
                throw new StorePoisonedException(poison);
            }
            if (head.turn != null) {
                appended = true; // a turn may append (a seal) or rotate: any failure in it is unknown ground
                head.turn.run(writer);
            } else {
                commit(group);
            }
        } catch (IOException e) {
            if (!(e instanceof StorePoisonedException)) {
                poison = e;
            }
            group.forEach(r -> r.failure = e);
        } catch (RuntimeException e) {
            if (appended) {
                // Bytes of the group may be in the log: the outcome is unknown, so the group fails
                // and nothing later is acknowledged. A bug before the append fails only the group.
                IOException failure = new IOException("commit failed after its append with " + e, e);
                poison = failure;
                group.forEach(r -> r.failure = failure);
            } else {
                group.forEach(r -> r.bug = e);
            }
        } catch (Error e) {
            // The log's state after an Error mid-commit is unknown (an append may be half done):
            // nothing more may be acknowledged. The leader's thread gets the Error itself.
            IOException failure = new IOException("commit failed with " + e, e);
            poison = failure;
            group.forEach(r -> r.failure = failure);
            throw e;
        }
    }

    private void commit(List<Request> group) throws IOException {
        List<List<WriteBatch.Op>> batches = new ArrayList<>(group.size());
        boolean sync = false;
        boolean background = false;
        for (Request r : group) {
            sync |= r.durability == Durability.SYNC;
            background |= r.durability == Durability.BACKGROUND;
            if (r.batch != null) {
                batches.add(r.batch.ops());
            }
        }
        // Rotation comes before the append, never after the group is published: a failure to
        // create the next segment then fails a group of which nothing was written (and poisons
        // the store), instead of reporting failed a group that is durable and visible.
        if (writer.rotationDue()) {
            writer.rotate();
            afterRotation.run();
        }
        appended = true;
        // A group that syncs writes its records (and any pending before them) with one append now;
        // unsynced groups may leave theirs in the writer's bounded buffer: no syscall per put.
        long first = batches.isEmpty() ? -1 : writer.appendAll(batches, sync);
        if (sync) {
            writer.sync();
            unsyncedBackgroundWrites = false;
        } else if (background) {
            unsyncedBackgroundWrites = true;
        }
        if (!batches.isEmpty()) {
            long horizon = index.horizon();
            int cell = 0;
            for (int i = 0; i < batches.size(); i++) {
                cell = index.apply(first + i, batches.get(i), writer.cells(), cell, horizon);
            }
            index.publish(first + batches.size() - 1);
            writes = writes + batches.size();
        }
    }

    private Runnable afterRotation = () -> { };

    /**
     * Called in the leader's turn after each rotation, before the group's append: the store checks
     * its compaction trigger. The hook must not throw.
     */
    public void onRotation(Runnable hook) {
        this.afterRotation = hook;
    }
}
