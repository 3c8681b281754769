package dev.walnut.dst;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The oracle's model: the state every operation before the history folded into, and the batches
 * since, in the order the store accepted them. A recovered store must equal the state after some
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
        boolean acknowledged;

        Batch(List<Op> ops) {
            this.ops = List.copyOf(ops);
        }
    }

    private TreeMap<String, String> base = new TreeMap<>();
    private final List<Batch> history = new ArrayList<>();
    /** Batches [0, durable) of the history survive any crash. */
    private int durable;
    /** Acknowledged writes not yet durable (MANUAL): made durable by the next successful sync. */
    private int acknowledged;

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

    /** A submitted batch the store refused before writing it (poisoned): it must never appear. */
    public void refuse(Batch b) {
        assert history.get(history.size() - 1) == b;
        history.remove(history.size() - 1);
    }

    /** A successful sync (or anything that syncs everything acknowledged, like a rotation before compaction). */
    public void syncedAll() {
        durable = acknowledged;
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

    /** The state after the first {@code k} batches of the history. */
    public TreeMap<String, String> stateAfter(int k) {
        TreeMap<String, String> state = new TreeMap<>(base);
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

    /** How many batches precede the record with {@code sequence} (batches without a record never count). */
    public int batchesBefore(long sequence) {
        int k = 0;
        while (k < history.size() && history.get(k).sequence >= 0 && history.get(k).sequence < sequence) {
            k++;
        }
        return k;
    }

    /** After a recovery to prefix k: the rest of the history is gone, and the recovered state is durable. */
    public void recoveredTo(int k) {
        base = stateAfter(k);
        history.clear();
        durable = 0;
        acknowledged = 0;
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
