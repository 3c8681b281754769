package dev.walnut.recovery;

import dev.walnut.DamageAction;
import dev.walnut.DamageKind;
import dev.walnut.DamageSite;
import dev.walnut.RecoveryPolicy;
import dev.walnut.RecoveryReport;
import dev.walnut.WalCorruptionException;
import dev.walnut.format.BatchCodec;
import dev.walnut.format.Manifest;
import dev.walnut.format.RecordFormat;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a store's log into a sink and classifies every damage site; the single entry point of
 * recovery. It only reads: what to rename or create afterwards is returned in the {@link Outcome},
 * so the same code serves {@code open}, {@code verify} and dry runs.
 */
public final class Recovery {

    /** Suffix of a segment file set aside by a point-in-time recovery; never deleted by Walnut. */
    public static final String QUARANTINE_SUFFIX = RecordFormat.QUARANTINE_SUFFIX;

    /** How to read and what to accept. */
    public record Settings(RecoveryPolicy policy, int maxRecordBytes, int windowBytes) {
        public Settings {
            if (windowBytes < RecordFormat.RECORD_HEADER_BYTES + RecordFormat.PREAMBLE_BYTES) {
                throw new IllegalArgumentException("read window cannot hold a record header: windowBytes="
                        + windowBytes + " min=" + (RecordFormat.RECORD_HEADER_BYTES + RecordFormat.PREAMBLE_BYTES));
            }
        }
    }

    /**
     * Where the log validly ends, so the next segment can declare it.
     *
     * @param segmentNumber        the last segment replayed, 0 if none
     * @param validEndBytes        where that segment's valid records end
     * @param lastSequence         the last sequence number replayed, 0 if none
     * @param cut                  true if a point-in-time recovery cut the log at a corruption
     * @param highestSegmentNumber the highest segment number in the directory, quarantined included
     */
    public record LogEnd(long segmentNumber, long validEndBytes, long lastSequence, boolean cut,
                         long highestSegmentNumber) {
    }

    /** The report, where the log ends, and the segment files a point-in-time open must set aside. */
    public record Outcome(RecoveryReport report, LogEnd end, List<String> quarantine, Manifest manifest) {
    }

    private Recovery() {
    }

    /**
     * Replays every valid record of the log into {@code sink}, in sequence order, batch by batch.
     *
     * @throws dev.walnut.WalDamageException when the policy does not accept a damage site
     * @throws IOException                   on any I/O error, which is never taken for damage
     */
    public static Outcome run(WalStorage storage, Settings settings, BatchCodec.OpSink sink) throws IOException {
        return run(storage, settings, sink, null);
    }

    /**
     * As {@link #run(WalStorage, Settings, BatchCodec.OpSink)}, reading sealed segments and the
     * base from their index files where {@code indexes} has usable ones (null: none).
     *
     * @throws dev.walnut.WalDamageException when the policy does not accept a damage site
     * @throws IOException                   on any I/O error, which is never taken for damage
     */
    public static Outcome run(WalStorage storage, Settings settings, BatchCodec.OpSink sink, IndexSource indexes)
            throws IOException {
        List<String> names = storage.list();
        List<DamageSite> manifestDamage = new ArrayList<>(1);
        Manifest manifest = readManifest(storage, names, settings.policy(), manifestDamage);
        long firstLive = manifest == null ? 0 : manifest.firstLiveSegment();
        List<SegmentFile> files = new ArrayList<>();
        long highest = 0;
        for (String name : names) {
            String base = name.endsWith(QUARANTINE_SUFFIX)
                    ? name.substring(0, name.length() - QUARANTINE_SUFFIX.length()) : name;
            long number = RecordFormat.segmentNumberOf(base);
            if (number < 0) {
                continue;
            }
            highest = Math.max(highest, number);
            // Segments below the manifest's first live one were retired by a compaction.
            if (base.equals(name) && number >= firstLive) {
                files.add(SegmentFile.read(storage, name));
            }
        }
        files.sort((a, b) -> Long.compare(a.number(), b.number()));
        // The next segment continues after the manifest's first live one even when none is left:
        // a lower number would be taken for a retired segment on the next open.
        highest = Math.max(highest, firstLive - 1);
        RecoveryRun run = new RecoveryRun(storage, settings, sink, indexes, highest);
        manifestDamage.forEach(run::reportDecidedEarlier);
        if (manifest != null && manifest.baseNumber() != 0) {
            run.replayBase(manifest, names.contains(Manifest.baseName(manifest.baseNumber())));
        }
        return run.execute(ChainPlan.of(files, firstLive), manifest);
    }

    /**
     * The manifest, or null if the store has none (no compaction yet). A damaged manifest fails the
     * open under every policy but salvage, which reports it and rebuilds what it said from the
     * newest compacted base (a compaction always pairs base-K with first live segment K).
     */
    private static Manifest readManifest(WalStorage storage, List<String> names, RecoveryPolicy policy,
                                         List<DamageSite> damage) throws IOException {
        if (!names.contains(Manifest.NAME)) {
            return null;
        }
        try (WalFile file = storage.open(Manifest.NAME)) {
            long size = file.sizeBytes();
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(size, Manifest.BYTES + 1));
            file.readFully(0, bytes);
            return Manifest.decode(bytes.flip());
        } catch (IllegalArgumentException e) {
            DamageSite site = new DamageSite(Manifest.NAME, 0, 0, DamageKind.CORRUPTION, e.getMessage()
                    + "; the manifest is replaced atomically, so damage to it is never a torn write",
                    policy == RecoveryPolicy.SALVAGE ? DamageAction.SKIPPED : DamageAction.FAILED);
            if (policy != RecoveryPolicy.SALVAGE) {
                throw new WalCorruptionException(site);
            }
            Manifest rebuilt = rebuildFromNewestBase(storage, names);
            damage.add(new DamageSite(site.file(), 0, 0, DamageKind.CORRUPTION, site.evidence() + "; salvage goes on "
                    + (rebuilt == null ? "without a base (none found)" : "with the newest base "
                    + Manifest.baseName(rebuilt.baseNumber())), DamageAction.SKIPPED));
            return rebuilt;
        }
    }

    private static Manifest rebuildFromNewestBase(WalStorage storage, List<String> names) throws IOException {
        long newest = 0;
        for (String name : names) {
            if (name.length() == 19 && name.startsWith("base-") && name.endsWith(".log")) {
                long number = RecordFormat.segmentNumberOf("wal-" + name.substring(5));
                newest = Math.max(newest, number);
            }
        }
        if (newest <= 0) {
            return null;
        }
        String firstLive = RecordFormat.segmentName(newest);
        long baseSequence = 0;
        if (names.contains(firstLive)) {
            SegmentFile f = SegmentFile.read(storage, firstLive);
            baseSequence = f.valid() ? f.header().firstSequence() - 1 : 0;
        }
        return new Manifest(newest, baseSequence, newest);
    }
}
