package dev.walnut.dst;

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
 */
public record Expectation(boolean corruption, long capSequence, String evidence, String bugHazard) {

    public static final Expectation CLEAN = new Expectation(false, Long.MAX_VALUE, "no promised byte was damaged",
            null);

    static Expectation corruption(String evidence) {
        return new Expectation(true, Long.MAX_VALUE, evidence, null);
    }

    static Expectation cappedAt(long sequence, String evidence) {
        return new Expectation(false, sequence, evidence, null);
    }

    Expectation withBugHazard(String bug) {
        return new Expectation(corruption, capSequence, evidence, bug);
    }
}
