package dev.walnut.recovery;

import dev.walnut.DamageAction;
import dev.walnut.DamageKind;
import dev.walnut.DamageSite;
import dev.walnut.RecoveryPolicy;
import dev.walnut.RecoveryReport;
import dev.walnut.WalCorruptionException;
import dev.walnut.WalDamageException;
import dev.walnut.format.BatchCodec;
import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.Manifest;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import dev.walnut.log.ReadMeter;
import dev.walnut.log.SegmentReader;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One execution of a {@link ChainPlan}: replays records, classifies damage, applies the policy. */
final class RecoveryRun {

    private final WalStorage storage;
    private final Recovery.Settings settings;
    private final BatchCodec.OpSink sink;
    private final long highestSegmentNumber;
    private final RecordCodec codec;
    private final ReadMeter meter = new ReadMeter();
    private final List<DamageSite> damage = new ArrayList<>();
    private final List<String> quarantine = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    private int segmentsReplayed;
    private long recordsReplayed;
    private long bytesReplayed;
    private long bytesRead;
    private long lastSequence;
    private long endSegment;
    private long endBytes;
    private boolean cut;
    private int lastHeaderDamageStep = -1;
    private boolean replayedAnything;
    /** The cut fell on a segment's header, before any of its records. */
    private boolean cutAtSegmentStart;

    private final IndexSource indexes;
    private int indexFilesRead;
    private final List<String> indexFilesRebuilt = new ArrayList<>();

    RecoveryRun(WalStorage storage, Recovery.Settings settings, BatchCodec.OpSink sink, IndexSource indexes,
                long highestSegmentNumber) {
        this.indexes = indexes;
        this.storage = storage;
        this.settings = settings;
        this.sink = sink;
        this.highestSegmentNumber = highestSegmentNumber;
        this.codec = new RecordCodec(settings.maxRecordBytes(), false);
    }

    Recovery.Outcome execute(ChainPlan plan, Manifest manifest) throws IOException {
        int i = 0;
        for (; i < plan.steps.size() && !cut; i++) {
            ChainPlan.Step step = plan.steps.get(i);
            if (step instanceof ChainPlan.HeaderDamage) {
                lastHeaderDamageStep = i;
            }
            if (step instanceof ChainPlan.HeaderDamage hd) {
                if (hd.decidedEarlier()) {
                    damage.add(hd.site());
                } else {
                    decide(hd.site());
                }
            } else {
                replay((ChainPlan.Replay) step);
            }
        }
        if (cut) {
            // Everything after the cut is set aside: the segments after the one cut, and a segment
            // whose header (damaged, or breaking the chain) was itself the cut: none of its records
            // is in the prefix, and the next segment's link must not pass over it.
            int from = lastHeaderDamageStep == i - 1 || cutAtSegmentStart ? i - 1 : i;
            java.util.Set<String> names = new java.util.LinkedHashSet<>();
            for (ChainPlan.Step step : plan.steps.subList(from, plan.steps.size())) {
                String name = step instanceof ChainPlan.Replay r ? r.file().name()
                        : ((ChainPlan.HeaderDamage) step).site().file();
                // A site may name a segment the directory lacks: nothing to set aside.
                if (RecordFormat.segmentNumberOf(name) >= 0 && storage.exists(name)) {
                    names.add(name);
                }
            }
            quarantine.addAll(names);
        }
        RecoveryReport report = new RecoveryReport(settings.policy(), segmentsReplayed, recordsReplayed, bytesReplayed,
                bytesRead, lastSequence, damage, Duration.ofNanos(System.nanoTime() - startNanos),
                meter.peakBytes(), indexFilesRead, indexFilesRebuilt);
        return new Recovery.Outcome(report,
                new Recovery.LogEnd(endSegment, endBytes, lastSequence, cut, highestSegmentNumber), quarantine,
                manifest);
    }

    /** Applies the policy to a damage site: records it with its action, or throws. */
    private void decide(DamageSite site) throws WalDamageException {
        RecoveryPolicy policy = settings.policy();
        boolean corruption = site.kind() == DamageKind.CORRUPTION;
        if (policy == RecoveryPolicy.STRICT || (policy == RecoveryPolicy.TOLERATE_TORN_TAIL && corruption)) {
            DamageSite failed = site.withAction(DamageAction.FAILED);
            throw corruption ? new WalCorruptionException(failed) : new WalDamageException(failed);
        }
        DamageAction action = switch (policy) {
            case POINT_IN_TIME -> DamageAction.CUT;
            case SALVAGE -> DamageAction.SKIPPED;
            default -> DamageAction.DROPPED;
        };
        damage.add(site.withAction(action));
        if (policy == RecoveryPolicy.POINT_IN_TIME) {
            cut = true;
        }
    }

    /**
     * Replays the compacted base named by the manifest. It was synced whole, sealed, before the
     * manifest named it: any damage in it, its absence included, is corruption.
     *
     * @param present whether the directory listing holds the base file
     */
    void replayBase(Manifest manifest, boolean present) throws IOException {
        String name = Manifest.baseName(manifest.baseNumber());
        if (!present) {
            decideInBase(Damage.corruption(name, 0, 0, "compacted base missing: " + Manifest.NAME + " declares baseNumber="
                    + manifest.baseNumber() + " baseSequence=" + manifest.baseSequence() + " firstLiveSegment="
                    + manifest.firstLiveSegment() + " but the directory holds no " + name + "; the base was synced"
                    + " before the manifest named it"));
        } else {
            SegmentFile f = SegmentFile.read(storage, name, manifest.baseNumber());
            if (!f.valid()) {
                decideInBase(Damage.corruption(name, 0, f.sizeBytes(), f.decoded().problem() + "; the base was synced"
                        + " before the manifest named it"));
            } else if (!loadIndex(f, true, f.sizeBytes(), manifest.baseSequence(), manifest.baseIndexed())) {
                replayValidBase(f);
            }
        }
        lastSequence = manifest.baseSequence();
        replayedAnything = true;
    }

    private void replayValidBase(SegmentFile f) throws IOException {
        sink.file(f.name());
        try (WalFile file = storage.open(f.name());
             SegmentReader reader = new SegmentReader(file, f.name(), f.header(), f.sizeBytes(),
                     settings.windowBytes(), codec, meter)) {
            try {
                replayBaseRecords(reader);
            } finally {
                bytesRead += reader.bytesRead();
            }
        }
    }

    /**
     * Applies the policy to damage in the base. Point-in-time fails: the base is the state at one
     * sequence written in key order, so a prefix of its records is no state the store ever had, and
     * the segments before the base were retired: no consistent point in time precedes the damage.
     */
    private void decideInBase(DamageSite site) throws WalDamageException {
        if (settings.policy() == RecoveryPolicy.POINT_IN_TIME) {
            throw new WalCorruptionException(new DamageSite(site.file(), site.offsetBytes(), site.lengthBytes(),
                    site.kind(), site.evidence() + "; no point in time precedes a damaged base: its records are one"
                    + " state in key order and the log before it was retired", DamageAction.FAILED));
        }
        decide(site);
    }

    /** Replays the base's records; salvage skips a damaged span and goes on with the next valid record. */
    private void replayBaseRecords(SegmentReader reader) throws IOException {
        boolean sealed = false;
        long expected = reader.header().firstSequence();
        while (true) {
            SegmentReader.Step step = reader.next();
            String problem = reader.problem();
            if (step == SegmentReader.Step.RECORD && reader.sequence() != expected) {
                step = SegmentReader.Step.MALFORMED;
                problem = "sequence break in base: expected=" + expected + " actual=" + reader.sequence()
                        + " (file=" + reader.fileName() + " offset=" + reader.offsetBytes() + ")";
            }
            if (step == SegmentReader.Step.RECORD) {
                try {
                    decodeBody(reader);
                    sealed = (reader.flags() & RecordFormat.FLAG_SEAL) != 0;
                    expected++;
                    recordsReplayed++;
                    bytesReplayed += reader.recordBytes();
                    continue;
                } catch (MalformedRecordException e) {
                    problem = e.getMessage() + " (file=" + reader.fileName() + " offset=" + reader.offsetBytes() + ")";
                }
            } else if (step == SegmentReader.Step.END) {
                if (!sealed) {
                    decideInBase(Damage.corruption(reader.fileName(), reader.offsetBytes(), 0, "compacted base ends"
                            + " without its seal: it was synced whole before the manifest named it"));
                }
                return;
            }
            long at = reader.offsetBytes();
            long resume = reader.scanForward(at + 1, expected - 1) ? reader.offsetBytes() : reader.endBytes();
            decideInBase(Damage.corruption(reader.fileName(), at, resume - at, problem
                    + "; the base was synced whole before the manifest named it"));
            if (resume == reader.endBytes()) {
                return;
            }
            expected = reader.sequence();
            sealed = false;
            reader.seek(resume);
        }
    }

    private void replay(ChainPlan.Replay step) throws IOException {
        SegmentFile f = step.file();
        if (replayedAnything && settings.policy() != RecoveryPolicy.SALVAGE
                && f.header().firstSequence() != lastSequence + 1) {
            decide(Damage.corruption(f.name(), 0, 0, "sequence gap between segments: expected firstSequence="
                    + (lastSequence + 1) + " actual=" + f.header().firstSequence() + " (after segment "
                    + RecordFormat.segmentName(endSegment) + ")"));
            if (cut) {
                cutAtSegmentStart = true;
                return;
            }
        }
        if (!replayedAnything || settings.policy() == RecoveryPolicy.SALVAGE) {
            lastSequence = Math.max(lastSequence, f.header().firstSequence() - 1);
        }
        replayedAnything = true;
        endSegment = f.number();
        endBytes = RecordFormat.SEGMENT_HEADER_BYTES;
        segmentsReplayed++;
        long limit = step.readLimitBytes();
        // A sealed segment the chain vouches for (its successor declares where it ends) may be read
        // from its index file; the last segment, whose tail may be torn, is always replayed.
        if (step.successor() != null && f.sizeBytes() == step.successor().predecessorEndBytes()
                && f.header().firstSequence() == lastSequence + 1
                && loadIndex(f, false, f.sizeBytes(), step.successor().firstSequence() - 1, false)) {
            lastSequence = step.successor().firstSequence() - 1;
            endBytes = f.sizeBytes();
            segmentsReplayed--; // read from its index file instead
            return;
        }
        sink.file(f.name());
        try (WalFile file = storage.open(f.name());
             SegmentReader reader = new SegmentReader(file, f.name(), f.header(), limit, settings.windowBytes(),
                     codec, meter)) {
            try {
                new SegmentReplay(this, reader, step).run();
            } finally {
                bytesRead += reader.bytesRead();
            }
        }
    }

    /**
     * Reads the index file of {@code f} instead of its records, if there is a usable one. Only the
     * default policy does: STRICT and POINT_IN_TIME promise to find damage anywhere in the log and
     * SALVAGE to keep every valid record, so they read every record.
     */
    private boolean loadIndex(SegmentFile f, boolean base, long endBytes, long lastSequenceExpected, boolean required)
            throws IOException {
        if (indexes == null || settings.policy() != RecoveryPolicy.TOLERATE_TORN_TAIL) {
            return false;
        }
        IndexSource.Result r = indexes.load(f.name(), base, f.header(), f.sizeBytes(), endBytes, lastSequenceExpected,
                required);
        bytesRead += r.bytesRead();
        if (r.problem() != null) {
            indexFilesRebuilt.add(r.problem());
        }
        if (r.loaded()) {
            indexFilesRead++;
            bytesReplayed += endBytes - RecordFormat.SEGMENT_HEADER_BYTES;
        }
        return r.loaded();
    }

    // ---- callbacks from SegmentReplay ----

    Recovery.Settings settings() {
        return settings;
    }

    long lastSequence() {
        return lastSequence;
    }

    boolean isCut() {
        return cut;
    }

    void reportDecidedEarlier(DamageSite site) {
        damage.add(site);
    }

    void damage(DamageSite site) throws WalDamageException {
        decide(site);
    }

    /** Applies a verified record's batch atomically: the body is validated whole before any op is applied. */
    void apply(SegmentReader reader) throws MalformedRecordException {
        decodeBody(reader);
        lastSequence = reader.sequence();
        recordsReplayed++;
        bytesReplayed += reader.recordBytes();
        endBytes = reader.offsetBytes() + reader.recordBytes();
    }

    private void decodeBody(SegmentReader reader) throws MalformedRecordException {
        java.nio.ByteBuffer body = reader.body();
        int valueBytesMax = reader.header().recordBytesMax();
        BatchCodec.validate(body, valueBytesMax);
        sink.body(reader.offsetBytes() + RecordFormat.RECORD_HEADER_BYTES + RecordFormat.PREAMBLE_BYTES,
                body.position());
        BatchCodec.decode(body, valueBytesMax, sink);
    }
}
