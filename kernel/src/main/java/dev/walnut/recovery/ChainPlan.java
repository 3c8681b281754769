package dev.walnut.recovery;

import dev.walnut.DamageAction;
import dev.walnut.DamageSite;
import dev.walnut.format.Manifest;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The order recovery walks a log in, decided from segment headers alone before any record is read:
 * each segment's successor (whose header declares where it validly ends), and the damage visible
 * from headers (a header damaged, a segment missing, a link that skips a segment).
 */
final class ChainPlan {

    /** One step: replay a segment, or meet a damage site found in the headers. */
    sealed interface Step permits Replay, HeaderDamage {
    }

    /**
     * Replay {@code file}; {@code successor} is null for the last segment.
     */
    record Replay(SegmentFile file, SegmentHeader successor) implements Step {
        long readLimitBytes() {
            return successor == null ? file.sizeBytes() : Math.min(file.sizeBytes(), successor.predecessorEndBytes());
        }
    }

    /**
     * Damage seen in headers. {@code decidedEarlier} marks a site an earlier recovery already acted
     * on (the successor's header records it): reported, never failed on.
     */
    record HeaderDamage(DamageSite site, boolean decidedEarlier) implements Step {
    }

    final List<Step> steps;

    private ChainPlan(List<Step> steps) {
        this.steps = steps;
    }

    /**
     * @param firstLive the manifest's first live segment (0 without a manifest): the first segment
     *                  of the log may then name a retired predecessor
     */
    static ChainPlan of(List<SegmentFile> files, long firstLive) {
        int lastValid = -1;
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).valid()) {
                lastValid = i;
            }
        }
        Map<Long, SegmentFile> byNumber = new HashMap<>();
        for (SegmentFile f : files) {
            byNumber.put(f.number(), f);
        }
        List<Step> steps = new ArrayList<>();
        missingFirstLive(files, firstLive, lastValid).ifPresent(steps::add);
        SegmentFile previous = null;
        int previousStep = -1;
        java.util.Map<Long, Integer> replayStep = new java.util.HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            SegmentFile f = files.get(i);
            if (!f.valid()) {
                steps.add(headerDamage(f, i > lastValid, skippedByLink(f, files)));
                continue;
            }
            SegmentHeader h = f.header();
            long expectedPredecessor = previous == null ? 0 : previous.number();
            boolean firstAfterCompaction = previous == null && firstLive > 0
                    && (f.number() == firstLive || h.predecessorSegment() < firstLive);
            if (h.predecessorSegment() == expectedPredecessor || firstAfterCompaction) {
                if (previous != null) {
                    steps.set(previousStep, new Replay(previous, h));
                }
            } else if (skipsOnlyEmptySegments(h, previous, byNumber, replayStep)) {
                // An earlier open found the segments between as creations that never finished (a
                // bare header, unreadable then) and went on from the declared predecessor; a header
                // that reads valid now holds no record either, so the chain is whole.
                SegmentFile declared = byNumber.get(h.predecessorSegment());
                steps.set(replayStep.get(declared.number()), new Replay(declared, h));
            } else {
                SegmentFile declared = byNumber.get(h.predecessorSegment());
                if (declared == null) {
                    steps.add(new HeaderDamage(Damage.corruption(f.name(), 0, 0, "predecessor segment missing: "
                            + RecordFormat.segmentName(h.predecessorSegment()) + " declared by " + f.name()
                            + " is not in the directory"), false));
                } else if (declared.valid()) {
                    steps.add(new HeaderDamage(Damage.corruption(f.name(), 0, 0, "segment chain broken: " + f.name()
                            + " declares predecessor=" + declared.name() + " but the log before it ends with "
                            + (previous == null ? "no segment" : previous.name())), false));
                }
                // A declared predecessor with a damaged header was reported when it was met.
            }
            steps.add(new Replay(f, null));
            previous = f;
            previousStep = steps.size() - 1;
            replayStep.put(f.number(), previousStep);
        }
        return new ChainPlan(steps);
    }

    /**
     * True if {@code h}'s declared predecessor is an earlier valid segment and every segment after
     * it, up to the one before {@code h}'s, holds no more than its header: no record is passed over.
     */
    private static boolean skipsOnlyEmptySegments(SegmentHeader h, SegmentFile previous,
                                                  java.util.Map<Long, SegmentFile> byNumber,
                                                  java.util.Map<Long, Integer> replayStep) {
        SegmentFile declared = byNumber.get(h.predecessorSegment());
        if (previous == null || declared == null || !declared.valid() || !replayStep.containsKey(declared.number())
                || declared.number() >= previous.number()) {
            return false;
        }
        for (SegmentFile between : byNumber.values()) {
            if (between.number() > declared.number() && between.number() < h.segmentNumber()
                    && between.sizeBytes() > RecordFormat.SEGMENT_HEADER_BYTES) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compaction starts segment {@code firstLive} before the manifest names it, so its absence is
     * damage; decided earlier if the first valid segment's link passes below it (an earlier
     * recovery went on from the base without it).
     */
    private static Optional<HeaderDamage> missingFirstLive(List<SegmentFile> files, long firstLive,
                                                                     int lastValid) {
        if (firstLive <= 0 || (!files.isEmpty() && files.get(0).number() == firstLive)) {
            return Optional.empty();
        }
        String name = RecordFormat.segmentName(firstLive);
        SegmentFile firstValid = null;
        for (int i = 0; i <= lastValid && firstValid == null; i++) {
            firstValid = files.get(i).valid() ? files.get(i) : null;
        }
        String evidence = "first live segment missing: " + Manifest.NAME + " declares firstLiveSegment=" + firstLive
                + " but the directory holds no " + name + "; compaction starts it before the manifest names it";
        if (firstValid != null && firstValid.header().predecessorSegment() < firstLive) {
            return Optional.of(new HeaderDamage(Damage.corruption(name, 0, 0, evidence + "; " + firstValid.name()
                    + " declares predecessor=" + firstValid.header().predecessorSegment() + ", so an earlier recovery"
                    + " went on without it").withAction(DamageAction.DROPPED_EARLIER), true));
        }
        return Optional.of(new HeaderDamage(Damage.corruption(name, 0, 0, evidence), false));
    }

    private static HeaderDamage headerDamage(SegmentFile f, boolean afterLastValid, boolean skippedByLink) {
        String problem = f.decoded().problem();
        if (f.creationTorn() && afterLastValid) {
            return new HeaderDamage(Damage.torn(f.name(), 0, f.sizeBytes(), problem + "; the segment holds no more"
                    + " than a header (size=" + f.sizeBytes() + "), so its creation never finished"), false);
        }
        if (f.creationTorn() && skippedByLink) {
            return new HeaderDamage(Damage.torn(f.name(), 0, f.sizeBytes(), problem + "; an unfinished segment"
                    + " creation that a later segment's predecessor link skips").withAction(DamageAction.DROPPED_EARLIER),
                    true);
        }
        return new HeaderDamage(Damage.corruption(f.name(), 0, f.sizeBytes(), problem + "; records were written"
                + " after it (size=" + f.sizeBytes() + ") or later segments exist, so it was durable"), false);
    }

    /**
     * True if a later valid segment's predecessor link passes over {@code f}. A link of 0 means "no
     * predecessor": that segment started the log afresh, so it passes over every lower number,
     * segment 0 included (a link can never name 0 as a real predecessor).
     */
    private static boolean skippedByLink(SegmentFile f, List<SegmentFile> files) {
        for (SegmentFile g : files) {
            if (!g.valid() || f.number() >= g.number()) {
                continue;
            }
            long predecessor = g.header().predecessorSegment();
            if (predecessor == 0 || predecessor < f.number()) {
                return true;
            }
        }
        return false;
    }
}
