package dev.walnut.recovery;

import dev.walnut.DamageAction;
import dev.walnut.DamageSite;
import dev.walnut.RecoveryPolicy;
import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.RecordFormat;
import dev.walnut.log.SegmentReader;
import java.io.IOException;

/**
 * Replays one segment and classifies the damage in it:
 * <ol>
 *   <li>damage before the end a successor segment declares is corruption: a segment is synced
 *       whole before its successor is created;
 *   <li>in the last segment, damage at X is corruption if a later valid record (this segment's salt,
 *       its own offset, a higher sequence) is a seal or claims {@code syncedThrough > X};
 *   <li>otherwise nothing proves X was durable: a torn tail.
 * </ol>
 */
final class SegmentReplay {

    private final RecoveryRun run;
    private final SegmentReader reader;
    private final ChainPlan.Replay step;
    private final String name;

    SegmentReplay(RecoveryRun run, SegmentReader reader, ChainPlan.Replay step) {
        this.run = run;
        this.reader = reader;
        this.step = step;
        this.name = step.file().name();
    }

    void run() throws IOException {
        while (!run.isCut()) {
            SegmentReader.Step s = reader.next();
            switch (s) {
                case RECORD -> {
                    if (!acceptRecord()) {
                        return;
                    }
                }
                case END -> {
                    atEnd();
                    return;
                }
                case DAMAGE, MALFORMED -> {
                    if (!onDamage(s == SegmentReader.Step.MALFORMED)) {
                        return;
                    }
                }
            }
        }
    }

    /** Applies the current record; false if replay of this segment must stop. */
    private boolean acceptRecord() throws IOException {
        long expected = run.lastSequence() + 1;
        long actual = reader.sequence();
        boolean salvage = run.settings().policy() == RecoveryPolicy.SALVAGE;
        if (actual != expected && !(salvage && actual > run.lastSequence())) {
            return onCorruptRecord("sequence break: expected=" + expected + " actual=" + actual
                    + " (file=" + name + " offset=" + reader.offsetBytes() + ")");
        }
        try {
            run.apply(reader);
        } catch (MalformedRecordException e) {
            return onCorruptRecord(e.getMessage() + " (file=" + name + " offset=" + reader.offsetBytes() + ")");
        }
        return true;
    }

    private boolean onCorruptRecord(String evidence) throws IOException {
        long at = reader.offsetBytes();
        long resume = findNext(at + 1);
        run.damage(Damage.corruption(name, at, lengthTo(at, resume), evidence
                + "; its checksums pass, so it is not a torn write"));
        return resumeAt(resume);
    }

    private void atEnd() throws IOException {
        long at = reader.offsetBytes();
        if (step.successor() == null) {
            return;
        }
        long declaredEnd = step.successor().predecessorEndBytes();
        if (at < declaredEnd) {
            run.damage(Damage.corruption(name, at, declaredEnd - at, "segment ends short: expected end="
                    + declaredEnd + " actual=" + at + ", as declared by its successor segment "
                    + RecordFormat.segmentName(step.successor().segmentNumber()) + "; a segment is synced whole"
                    + " before its successor exists"));
            return;
        }
        long size = step.file().sizeBytes();
        if (size > declaredEnd) {
            DamageSite earlier = step.successor().predecessorWasCut()
                    ? Damage.corruption(name, declaredEnd, size - declaredEnd, "cut here by an earlier point-in-time"
                    + " recovery, as the successor segment's header records")
                    : Damage.torn(name, declaredEnd, size - declaredEnd, "dropped by an earlier recovery: the"
                    + " successor segment declares the valid end=" + declaredEnd);
            run.reportDecidedEarlier(earlier.withAction(DamageAction.DROPPED_EARLIER));
        }
    }

    /** Classifies damage at the current offset and applies the policy; false if replay must stop. */
    private boolean onDamage(boolean malformed) throws IOException {
        long at = reader.offsetBytes();
        String problem = reader.problem();
        if (malformed) {
            return onCorruptRecord(problem);
        }
        long limit = reader.endBytes();
        if (step.successor() != null) {
            long resume = findNext(at + 1);
            run.damage(Damage.corruption(name, at, lengthTo(at, resume), problem + "; before the end="
                    + step.successor().predecessorEndBytes() + " declared by successor segment "
                    + RecordFormat.segmentName(step.successor().segmentNumber())));
            return resumeAt(resume);
        }
        Proof proof = seekProof(at);
        if (proof.evidence != null) {
            run.damage(Damage.corruption(name, at, lengthTo(at, proof.firstValidBytes), problem + "; " + proof.evidence));
            return resumeAt(proof.firstValidBytes);
        }
        run.damage(Damage.torn(name, at, limit - at, problem + "; no later valid record proves it durable (scanned "
                + (limit - at) + " bytes)"));
        // Salvage keeps valid records after a torn span too; the other policies end the segment here.
        return run.settings().policy() == RecoveryPolicy.SALVAGE && resumeAt(proof.firstValidBytes);
    }

    /** Evidence that offset {@code at} was durable, and the first valid record after it (-1 if none). */
    private record Proof(String evidence, long firstValidBytes) {
    }

    private Proof seekProof(long at) throws IOException {
        long firstValid = -1;
        long from = at + 1;
        long sequenceAbove = run.lastSequence();
        while (reader.scanForward(from, sequenceAbove)) {
            if (firstValid < 0) {
                firstValid = reader.offsetBytes();
            }
            do {
                if (proves(at)) {
                    return new Proof(evidence(at), firstValid);
                }
                sequenceAbove = reader.sequence();
            } while (reader.next() == SegmentReader.Step.RECORD && reader.sequence() > sequenceAbove);
            if (reader.offsetBytes() >= reader.endBytes()) {
                break;
            }
            from = reader.offsetBytes() + 1;
        }
        return new Proof(null, firstValid);
    }

    private boolean proves(long at) {
        return (reader.flags() & RecordFormat.FLAG_SEAL) != 0 || reader.syncedThroughBytes() > at;
    }

    private String evidence(long at) {
        if ((reader.flags() & RecordFormat.FLAG_SEAL) != 0) {
            return "the segment was sealed by a clean close at offset=" + reader.offsetBytes() + " (sequence="
                    + reader.sequence() + ")";
        }
        return "a later record at offset=" + reader.offsetBytes() + " (sequence=" + reader.sequence()
                + ") claims syncedThrough=" + reader.syncedThroughBytes() + " > " + at;
    }

    /** The offset of the next valid record with a higher sequence, or -1. */
    private long findNext(long from) throws IOException {
        return reader.scanForward(from, run.lastSequence()) ? reader.offsetBytes() : -1;
    }

    private long lengthTo(long at, long resume) {
        return (resume < 0 ? reader.endBytes() : resume) - at;
    }

    /** Continues replay at {@code offsetBytes} under salvage; false (stop) otherwise or when there is none. */
    private boolean resumeAt(long offsetBytes) {
        if (run.settings().policy() != RecoveryPolicy.SALVAGE || offsetBytes < 0 || run.isCut()) {
            return false;
        }
        reader.seek(offsetBytes);
        return true;
    }
}
