package dev.walnut.dst;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What the oracle expects of the next open after a crash.
 *
 * @param corruption       a fault damaged bytes a later record, a successor segment, a seal or the
 *                         manifest proves durable: the open must fail with corruption under
 *                         TOLERATE_TORN_TAIL, and SALVAGE must report it
 * @param capSequence      a fault damaged a record nothing proves durable: it and everything after it
 *                         may be lost (Long.MAX_VALUE: no cap)
 * @param evidence         why, naming file and offset
 * @param bugHazard   null, or why this crash can trip a bug the simulation found before
 *                         ({@link KnownKernelBugs#UNSYNCED_TAIL_DECLARED_DURABLE}), to name it if it comes back
 * @param latent           provable corruption in data files that have an intact index file: the open
 *                         either replays one and fails with corruption, or reads them all from their
 *                         index files and succeeds; then a read of a damaged value must be refused
 */
public record Expectation(boolean corruption, long capSequence, String evidence, String bugHazard,
                          List<Latent> latent) {

    /** Damage in {@code file}: the offsets of its bytes a fault changed. */
    public record Latent(String file, BitSet damagedBytes, String evidence) {
        boolean overlaps(String name, long fromBytes, long lengthBytes) {
            if (!file.equals(name) || fromBytes < 0 || fromBytes > Integer.MAX_VALUE) {
                return false;
            }
            int first = damagedBytes.nextSetBit((int) fromBytes);
            return first >= 0 && first < fromBytes + Math.max(1, lengthBytes);
        }

        @Override
        public String toString() {
            return "latent(file=" + file + " firstDamage=" + damagedBytes.nextSetBit(0) + " damagedBytes="
                    + damagedBytes.cardinality() + ")";
        }
    }

    public static final Expectation CLEAN = new Expectation(false, Long.MAX_VALUE, "no promised byte was damaged",
            null, List.of());

    public Expectation {
        latent = List.copyOf(latent);
    }

    static Expectation corruption(String evidence) {
        return new Expectation(true, Long.MAX_VALUE, evidence, null, List.of());
    }

    static Expectation cappedAt(long sequence, String evidence) {
        return new Expectation(false, sequence, evidence, null, List.of());
    }

    Expectation withBugHazard(String bug) {
        return new Expectation(corruption, capSequence, evidence, bug, latent);
    }

    Expectation withLatent(List<Latent> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<Latent> all = new ArrayList<>(latent);
        all.addAll(more);
        return new Expectation(corruption, capSequence, evidence + (corruption ? "" : "; latent: " + more), bugHazard,
                all);
    }
}
