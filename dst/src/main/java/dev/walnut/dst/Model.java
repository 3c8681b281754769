package dev.walnut.dst;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The oracle's model: every batch the store accepted, in order (refused ones removed, ones a
 * recovery dropped forgotten). A recovered store must equal the state after some
 * prefix k of the history with {@code floor <= k <= upper}: every durable batch inside, nothing
 * the store refused, no batch out of order.
 */
public final class Model {

    /** One write as submitted; {@code value == null} is a delete. */
    public record Op(String key, String value) {
    }

    /** A batch; {@code sequence} is the record the store appended for it (-1 if none). */
    public static final class Batch {
        final List<Op> ops;
        long sequence = -1;
        /** Which write record of the ledger is this batch's ({@link RecordLedger#writeRecord}), -1 if none. */
        int recordIndex = -1;
        boolean acknowledged;

        Batch(List<Op> ops) {
            this.ops = List.copyOf(ops);
        }
    }

    /** Every batch the log holds or may hold, oldest first; sequences strictly increase. */
    private final List<Batch> history = new ArrayList<>();
    /** Batches that failed before their record was written: none may ever be seen. */
    private final List<Batch> refused = new ArrayList<>();
    /** Batches [0, durable) survive any crash no fault damages. */
    private int durable;
    /** Acknowledged writes; those past {@code durable} (MANUAL) become durable at the next sync. */
    private int acknowledged;
    /** Batches [0, recorded) have their record in a segment; the next record the storage receives is batch {@code recorded}'s. */
    private int recorded;

    public Batch submit(List<Op> ops) {
        Batch b = new Batch(ops);
        history.add(b);
        return b;
    }

    /** The batch was acknowledged; {@code durableNow} for SYNC writes. */
    public void acknowledge(Batch b, boolean durableNow) {
        b.acknowledged = true;
        acknowledged = history.size();
        if (durableNow) {
            durable = history.size();
        }
    }

    /**
     * A submitted batch that failed before its record was written (refused as poisoned, failed at
     * its append or at a rotation before it): it must never appear, now or after any recovery.
     */
    public void refuse(Batch b) {
        assert history.get(history.size() - 1) == b;
        history.remove(history.size() - 1);
        // A record that reached the storage after the write failed (a kernel bug) stays the
        // refused batch's: checkRefusedAbsent catches it coming back.
        recorded = Math.min(recorded, history.size());
        acknowledged = Math.min(acknowledged, history.size());
        refused.add(b);
    }

    /** Every refused batch so far, oldest first. */
    public List<Batch> refused() {
        return refused;
    }

    /** Whether a batch in the history (not refused) holds {@code op}: a value written twice by chance. */
    public boolean accepted(Op op) {
        return history.stream().anyMatch(b -> b.ops.contains(op));
    }

    /** The puts of {@code b}: their values are unique to the write, so one seen again names it. */
    public List<Op> putsOf(Batch b) {
        return b.ops.stream().filter(op -> op.value() != null).toList();
    }

    /**
     * Write record {@code recordIndex} of the ledger, with {@code sequence}, reached a segment: it is the oldest batch's without one.
     * Every batch in the history gets exactly one record, in order, when the store writes it (at
     * once for a SYNC write, at a later flush for an unsynced one); refused batches never do.
     *
     * @return false if no batch is waiting for a record (the caller's ledger and model disagree)
     */
    public boolean recorded(long sequence, int recordIndex) {
        if (recorded == history.size()) {
            return false;
        }
        Batch b = history.get(recorded++);
        b.sequence = sequence;
        b.recordIndex = recordIndex;
        return true;
    }

    /**
     * The acknowledged batches, oldest first, whose records reached a segment (or durable ones): a
     * process kill, which keeps the page cache, may lose none of them.
     */
    public int acknowledgedAndRecorded() {
        return Math.max(durable, Math.min(acknowledged, recorded));
    }

    /** How many batches, oldest first, have their record in a segment: no recovery can show more. */
    public int recordedBatches() {
        return recorded;
    }

    /** A successful sync (or anything that syncs everything acknowledged, like a rotation before compaction). */
    public void syncedAll() {
        durable = Math.max(durable, acknowledged);
    }

    public int size() {
        return history.size();
    }

    public int durable() {
        return durable;
    }

    public List<Batch> history() {
        return history;
    }

    /** The state after the first {@code k} batches. */
    public TreeMap<String, String> stateAfter(int k) {
        TreeMap<String, String> state = new TreeMap<>();
        for (int i = 0; i < k; i++) {
            apply(state, history.get(i));
        }
        return state;
    }

    /** The smallest k in [from, to] whose state equals {@code actual}, or -1. */
    public int matchPrefix(Map<String, String> actual, int from, int to) {
        TreeMap<String, String> state = stateAfter(Math.max(0, from));
        for (int k = Math.max(0, from); k <= to; k++) {
            if (k > from) {
                apply(state, history.get(k - 1));
            }
            if (state.equals(actual)) {
                return k;
            }
        }
        return -1;
    }

    /**
     * The smallest k in [from, to] whose state agrees with what reads showed: each of
     * {@code readable} holds its value (null: absent), each of {@code refused} is present; or -1.
     */
    public int matchReadable(Map<String, String> readable, java.util.Set<String> refused, int from, int to) {
        TreeMap<String, String> state = stateAfter(Math.max(0, from));
        for (int k = Math.max(0, from); k <= to; k++) {
            if (k > from) {
                apply(state, history.get(k - 1));
            }
            boolean agrees = state.keySet().containsAll(refused);
            for (Map.Entry<String, String> e : readable.entrySet()) {
                agrees &= java.util.Objects.equals(state.get(e.getKey()), e.getValue());
            }
            if (agrees) {
                return k;
            }
        }
        return -1;
    }

    /** Every key a batch of the history or a refused batch names. */
    public java.util.SortedSet<String> keys() {
        java.util.TreeSet<String> keys = new java.util.TreeSet<>();
        for (List<Batch> batches : List.of(history, refused)) {
            for (Batch b : batches) {
                b.ops.forEach(op -> keys.add(op.key()));
            }
        }
        return keys;
    }

    /** How many batches precede the record with {@code sequence} (a batch without a record ends the count). */
    public int batchesBefore(long sequence) {
        int k = 0;
        while (k < history.size() && history.get(k).sequence >= 0 && history.get(k).sequence < sequence) {
            k++;
        }
        return k;
    }

    /**
     * After a recovery to prefix k: later batches are gone for good, and the recovered state is
     * durable (a successor segment now declares it).
     */
    public void recoveredTo(int k) {
        history.subList(k, history.size()).clear();
        durable = k;
        acknowledged = k;
        recorded = Math.min(recorded, k);
    }

    /** The state the store should show now: every batch accepted so far. */
    public TreeMap<String, String> current() {
        return stateAfter(history.size());
    }

    private static void apply(TreeMap<String, String> state, Batch b) {
        for (Op op : b.ops) {
            if (op.value() == null) {
                state.remove(op.key());
            } else {
                state.put(op.key(), op.value());
            }
        }
    }
}
