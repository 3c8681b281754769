package dev.walnut.dst;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides, from a crash's images and the ledger alone (never from the kernel's reader), what the
 * next open must do about damage faults did to promised bytes. The rules are DESIGN.md's:
 * damage in the manifest or the live compacted base is corruption; damage in a segment's records
 * is corruption when a successor segment exists or a later intact record is a seal or claims
 * {@code syncedThrough} beyond it; otherwise it is a torn tail that may lose that record and
 * every later one.
 */
final class DamageJudge {

    private static final String MANIFEST = "MANIFEST";
    static final String MANIFEST_DAMAGE = "fault damaged MANIFEST";

    private final CrashReport crash;
    private final RecordLedger ledger;

    DamageJudge(CrashReport crash, RecordLedger ledger) {
        this.crash = crash;
        this.ledger = ledger;
    }

    Expectation judge() {
        Expectation e = judgeDamage();
        String bug = unsyncedTailDeclaredDurable();
        return bug == null ? e : e.withBugHazard(bug);
    }

    /**
     * {@link KnownKernelBugs#UNSYNCED_TAIL_DECLARED_DURABLE}: a successor segment declares an end
     * beyond what a sync ever made durable in its predecessor, and the crash lost bytes there.
     */
    private String unsyncedTailDeclaredDurable() {
        List<CrashReport.FileImage> segments = segments(0);
        for (int i = 0; i < segments.size(); i++) {
            CrashReport.FileImage f = segments.get(i);
            RecordLedger.Header s = successor(segmentNumber(f.name()), segments.subList(i + 1, segments.size()));
            if (s != null && s.predecessorEndBytes() > f.promisedBytes()
                    && !f.intact(f.promisedBytes(), (int) (s.predecessorEndBytes() - f.promisedBytes()))) {
                return KnownKernelBugs.UNSYNCED_TAIL_DECLARED_DURABLE + ": " + f.name() + " was synced through "
                        + f.promisedBytes() + " but successor segment " + s.segmentNumber() + " declares its end="
                        + s.predecessorEndBytes() + ", and the crash lost bytes in between";
            }
        }
        return null;
    }

    private List<CrashReport.FileImage> segments(long firstLive) {
        List<CrashReport.FileImage> segments = new ArrayList<>();
        for (CrashReport.FileImage f : crash.files().values()) {
            long number = segmentNumber(f.name());
            if (number >= 0 && number >= firstLive) {
                segments.add(f);
            }
        }
        segments.sort((a, b) -> Long.compare(segmentNumber(a.name()), segmentNumber(b.name())));
        return segments;
    }

    private Expectation judgeDamage() {
        if (!crash.damaged()) {
            return Expectation.CLEAN;
        }
        Map<String, CrashReport.FileImage> files = crash.files();
        CrashReport.FileImage manifest = files.get(MANIFEST);
        long firstLive = 0;
        String baseName = null;
        if (manifest != null) {
            if (manifest.firstDamageBytes() >= 0) {
                return Expectation.corruption(MANIFEST_DAMAGE + " at offset=" + manifest.firstDamageBytes());
            }
            long[] m = IndexFileUse.manifest(manifest.before());
            if (m != null) {
                firstLive = m[1];
                baseName = m[0] == 0 ? null : String.format("base-%010d.log", m[0]);
            }
        }
        List<Expectation.Latent> latent = new ArrayList<>();
        CrashReport.FileImage base = baseName == null ? null : files.get(baseName);
        if (base != null && base.firstDamageBytes() >= 0) {
            String evidence = "fault damaged the live base file=" + baseName + " offset=" + base.firstDamageBytes()
                    + " (sealed and synced before the manifest named it)";
            Expectation.Latent l = latentIfIndexed(base, -1, evidence);
            if (l == null) {
                return Expectation.corruption(evidence);
            }
            latent.add(l);
        }
        // Recovery walks on after a torn tail it drops, so corruption anywhere later still fails it.
        List<CrashReport.FileImage> segments = segments(firstLive);
        Expectation lowestCap = Expectation.CLEAN;
        for (int i = 0; i < segments.size(); i++) {
            CrashReport.FileImage f = segments.get(i);
            if (f.firstDamageBytes() < 0) {
                continue;
            }
            List<CrashReport.FileImage> later = segments.subList(i + 1, segments.size());
            Expectation e = judgeSegment(f, later);
            if (e != null && e.corruption()) {
                RecordLedger.Header s = successor(segmentNumber(f.name()), later);
                Expectation.Latent l = s == null ? null : latentIfIndexed(f, s.predecessorEndBytes(), e.evidence());
                if (l == null) {
                    return e;
                }
                latent.add(l);
            } else if (e != null && e.capSequence() < lowestCap.capSequence()) {
                lowestCap = e;
            }
        }
        return lowestCap.withLatent(latent);
    }

    /**
     * Provable corruption in a data file the open may read from its index file instead (so it does
     * not see the damage): the index file survived exactly as written and synced, and the damage
     * lies past the header in a file of the size the index file covers. Null otherwise.
     *
     * @param coveredBytes the size the successor declares for a segment; -1 for the base
     */
    private Expectation.Latent latentIfIndexed(CrashReport.FileImage f, long coveredBytes, String evidence) {
        CrashReport.FileImage index = crash.files().get(dev.walnut.format.IndexFile.nameFor(f.name()));
        if (index == null || !java.util.Arrays.equals(index.before(), index.after())
                || index.promisedBytes() < index.before().length) {
            return null;
        }
        int size = f.after().length;
        if (f.firstDamageBytes() < RecordLedger.SEGMENT_HEADER_BYTES || size != f.before().length
                || (coveredBytes >= 0 && size != coveredBytes)) {
            return null;
        }
        java.util.BitSet damaged = new java.util.BitSet(size);
        for (int i = f.firstDamageBytes(); i < size; i++) {
            if (f.before()[i] != f.after()[i]) {
                damaged.set(i);
            }
        }
        return new Expectation.Latent(f.name(), damaged,
                evidence + ", but its index file " + index.name() + " is intact");
    }

    /** Null when the damage is in bytes recovery never reads (dead tail, no record there). */
    private Expectation judgeSegment(CrashReport.FileImage f, List<CrashReport.FileImage> later) {
        long x = f.firstDamageBytes();
        long number = segmentNumber(f.name());
        RecordLedger.Header successor = successor(number, later);
        String where = "file=" + f.name() + " offset=" + x;
        if (successor != null && x >= successor.predecessorEndBytes()) {
            return null;
        }
        if (x < RecordLedger.SEGMENT_HEADER_BYTES) {
            if (f.after().length > RecordLedger.SEGMENT_HEADER_BYTES || successor != null) {
                return Expectation.corruption("fault damaged a segment header with records or a successor: " + where);
            }
            return null;
        }
        RecordLedger.Entry damaged = ledger.recordAt(f.inodeId(), x);
        if (damaged == null) {
            return null;
        }
        if (successor != null) {
            return Expectation.corruption("fault damaged record sequence=" + damaged.sequence() + " before the end"
                    + " its successor segment declares: " + where);
        }
        for (RecordLedger.Entry e : ledger.records(f.inodeId())) {
            if (e.offsetBytes() > x && f.intact(e.offsetBytes(), e.lengthBytes())
                    && (e.seal() || e.syncedThroughBytes() > x)) {
                return Expectation.corruption("fault damaged record sequence=" + damaged.sequence() + "; intact record"
                        + " sequence=" + e.sequence() + " at offset=" + e.offsetBytes() + (e.seal() ? " is a seal"
                        : " claims syncedThrough=" + e.syncedThroughBytes()) + ": " + where);
            }
        }
        return Expectation.cappedAt(damaged.sequence(), "fault damaged record sequence=" + damaged.sequence()
                + " and nothing later proves it durable: " + where);
    }

    /** The header of the segment whose predecessor is {@code number}, if it survived intact. */
    private RecordLedger.Header successor(long number, List<CrashReport.FileImage> later) {
        for (CrashReport.FileImage g : later) {
            RecordLedger.Header h = ledger.header(g.inodeId());
            if (h != null && h.predecessorSegment() == number && g.intact(0, RecordLedger.SEGMENT_HEADER_BYTES)) {
                return h;
            }
        }
        return null;
    }

    static long segmentNumber(String name) {
        return dev.walnut.format.RecordFormat.segmentNumberOf(name);
    }
}
