package dev.walnut.dst;

import dev.walnut.Cursor;
import dev.walnut.Durability;
import dev.walnut.KeyRange;
import dev.walnut.KeyValue;
import dev.walnut.RecoveryPolicy;
import dev.walnut.Snapshot;
import dev.walnut.StorePoisonedException;
import dev.walnut.WalCorruptionException;
import dev.walnut.WalDamageException;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import dev.walnut.format.BatchCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.io.WalStorage;
import dev.walnut.recovery.Recovery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * One simulated life of a store on {@link SimulatedStorage}: the actions (writes, syncs,
 * compaction, snapshots, clean reopens, crashes) and, after every recovery, the oracle's checks.
 * Every action throws {@link Violation} when the store breaks a promise. Not thread-safe.
 */
public final class SimulationRun {

    /** Attempts to open after faults before the run calls it a violation. */
    static final int OPEN_ATTEMPTS_MAX = 20;
    /**
     * Attempts with faults live: every open reads each live data file or its index file, so with
     * dozens of them a read-error rate of 1% can fail many opens in a row; later attempts run clean.
     */
    static final int OPEN_ATTEMPTS_WITH_FAULTS = 10;

    private final long seed;
    private final SplittableRandom random;
    private final SimulatedStorage storage;
    /** What the store runs on: the simulated storage, or a test's wrapper of it. */
    private WalStorage storeStorage;
    private final RecordLedger ledger = new RecordLedger();
    private final ReadOracle readOracle = new ReadOracle(ledger);
    private final Model model = new Model();
    private final WalnutOptions options;
    private final List<String> steps = new ArrayList<>();
    private final boolean verbose;
    private boolean mitigateKnownBugs;
    private Walnut db;
    private boolean poisoned;
    private boolean finished;
    private long valueCounter;
    private long expectedCorruptions;
    private long reopens;
    /** Gets and cursors the read oracle checked with faults live. */
    private long readsChecked;
    /** Open calls the last recovery made until one succeeded, and the report of that one. */
    private int openAttempts;
    private dev.walnut.RecoveryReport openedReport;
    private long indexFilesWritten;
    private long indexWritesFailed;
    private long indexDamageReported;
    private long hiddenDamageOpens;

    public SimulationRun(long seed, WalnutOptions options, boolean verbose) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.storage = new SimulatedStorage("run-" + seed, random.nextLong());
        // Index files only when the run says so (writeIndexFiles), not on a background thread: one
        // thread, so one seed makes one trace.
        this.options = options.toBuilder().recoveryPolicy(RecoveryPolicy.TOLERATE_TORN_TAIL).compactionRatio(0)
                .backgroundIndexing(false).build();
        this.verbose = verbose;
        this.storeStorage = storage;
        storage.listener(ledger);
    }

    /**
     * The store runs on {@code wrap} of the simulated storage (the oracle still watches the storage
     * itself): for negative controls, a wrapper that misbehaves the way a kernel bug would.
     */
    public SimulationRun storeRunsOn(UnaryOperator<WalStorage> wrap) {
        this.storeStorage = wrap.apply(storage);
        return this;
    }

    /** Options drawn from the run's seed: small segments (rotation), small windows, compression on or off. */
    public static WalnutOptions optionsFor(long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEE_CE66_DL);
        return WalnutOptions.builder()
                .segmentBytes(4096 + r.nextInt(6) * 4096L)
                .readWindowBytes(4096 << r.nextInt(4))
                .maxRecordBytes(64 * 1024)
                .compression(r.nextBoolean())
                .seed(r.nextLong())
                .build();
    }

    /** After every successful open, make the storage durable: looks past the known recovery-sync bug. */
    public SimulationRun mitigateKnownBugs(boolean value) {
        this.mitigateKnownBugs = value;
        return this;
    }

    public SimulatedStorage storage() {
        return storage;
    }

    public FaultInjector faults() {
        return storage.faults();
    }

    public Model model() {
        return model;
    }

    public boolean finished() {
        return finished;
    }

    public long expectedCorruptions() {
        return expectedCorruptions;
    }

    public long reopens() {
        return reopens;
    }

    /** The read oracle's figures: reads checked under faults, rotted values refused, reads failed on read errors. */
    public RunResult.Reads reads() {
        return new RunResult.Reads(readsChecked, readOracle.rotRefusals(), readOracle.readErrors());
    }

    /** The index files' figures ({@link RunResult.Indexes}). */
    public RunResult.Indexes indexes() {
        return new RunResult.Indexes(indexFilesWritten, indexWritesFailed, indexDamageReported, hiddenDamageOpens,
                readOracle.latentRefusals());
    }

    public List<String> steps() {
        return steps;
    }

    public Walnut store() {
        return db;
    }

    public SplittableRandom random() {
        return random;
    }

    // ---------------------------------------------------------------- actions

    /** Opens the store on the empty storage. */
    public void start() {
        note("start");
        recover(Expectation.CLEAN, model.durable());
    }

    public void put(String key, int valueBytes, Durability durability) {
        write(List.of(new Model.Op(key, value(valueBytes))), durability);
    }

    public void delete(String key, Durability durability) {
        write(List.of(new Model.Op(key, null)), durability);
    }

    /** Writes {@code ops} as one batch, atomically. */
    public void write(List<Model.Op> ops, Durability durability) {
        if (finished) {
            return;
        }
        note("write " + describe(ops) + " " + durability);
        Model.Batch batch = model.submit(ops);
        WriteBatch wb = new WriteBatch();
        for (Model.Op op : ops) {
            if (op.value() == null) {
                wb.delete(bytes(op.key()));
            } else {
                wb.put(bytes(op.key()), bytes(op.value()));
            }
        }
        Map<String, String> visibleBefore = visible(ops);
        int failuresBefore = ledger.failures();
        try {
            db.write(wb, durability);
            claimRecords();
            if (poisoned) {
                throw new Violation("acknowledged-after-failure", "a write was acknowledged after an earlier write"
                        + " or sync failed, before any reopen");
            }
            model.acknowledge(batch, durability == Durability.SYNC);
            checkReadYourWrites(ops);
        } catch (SimulatedCrash crash) {
            crashed(crash);
        } catch (IOException e) {
            failed(e, failuresBefore, "write");
            claimRecords();
            settleFailedWrite(batch, e, failuresBefore, visibleBefore);
        }
    }

    /**
     * Oracle 4, a write reported failed: if its record reached the storage whole before the first
     * call that failed inside the write threw (the failure came at a sync or a later step, or a
     * failing append wrote a prefix holding it), the record may be
     * durable, and the batch stays in the model for a recovery to keep or drop whole. Otherwise
     * (refused as poisoned, failed at the append meant to write it or at a rotation before it)
     * nothing of it may be visible now or after any recovery. The storage, not the exception text,
     * says which records arrived ({@link #claimRecords}) and which call failed
     * ({@link RecordLedger#firstFailureSince}).
     */
    private void settleFailedWrite(Model.Batch batch, IOException e, int failuresBefore,
                                   Map<String, String> visibleBefore) {
        RecordLedger.Failure first = e instanceof StorePoisonedException ? null
                : ledger.firstFailureSince(failuresBefore);
        if (first != null && batch.recordIndex >= 0 && batch.recordIndex < first.writeRecordsBefore()) {
            note("failed write may be durable: its record (sequence " + batch.sequence + ") reached the storage"
                    + " before the " + first + " threw");
            return;
        }
        note("failed write must stay absent: " + (first == null ? "refused" : "the " + first
                + " before its record was appended"));
        model.refuse(batch);
        Map<String, String> visibleAfter = visible(batch.ops);
        if (!visibleAfter.equals(visibleBefore)) {
            throw new Violation("failed-write-visible", "a write reported failed before its record was written"
                    + " changed what reads see: before=" + visibleBefore + " after=" + visibleAfter + " failure="
                    + first);
        }
    }

    /** What {@code get} shows now for the keys of {@code ops} (absent keys map to null). */
    private Map<String, String> visible(List<Model.Op> ops) {
        Map<String, String> out = new TreeMap<>();
        faults().suspend(true);
        try {
            for (Model.Op op : ops) {
                byte[] v = db.get(bytes(op.key()));
                out.put(op.key(), v == null ? null : new String(v, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new Violation("get-fails", "a get with every fault suspended failed: " + e, e);
        } finally {
            faults().suspend(false);
        }
        return out;
    }

    /** Makes every acknowledged write durable. */
    public void sync() {
        if (finished) {
            return;
        }
        note("sync");
        int failuresBefore = ledger.failures();
        try {
            db.sync();
            if (poisoned) {
                throw new Violation("acknowledged-after-failure", "sync succeeded after an earlier failure, before"
                        + " any reopen");
            }
            model.syncedAll();
        } catch (SimulatedCrash crash) {
            crashed(crash);
        } catch (IOException e) {
            failed(e, failuresBefore, "sync");
        }
    }

    /**
     * Writes the store's buffered unsynced writes to the storage without a sync: nothing becomes
     * durable, but a process kill may lose none of them afterwards (the floor a crash takes from
     * the records the segments received).
     */
    public void flush() {
        if (finished) {
            return;
        }
        note("flush");
        int failuresBefore = ledger.failures();
        try {
            db.flush();
            if (poisoned) {
                throw new Violation("acknowledged-after-failure", "flush succeeded after an earlier failure, before"
                        + " any reopen");
            }
        } catch (SimulatedCrash crash) {
            crashed(crash);
        } catch (IOException e) {
            failed(e, failuresBefore, "flush");
        }
    }

    /** Compacts; the state must not change, and everything acknowledged is durable after it. */
    public void compact() {
        if (finished) {
            return;
        }
        note("compact");
        int failuresBefore = ledger.failures();
        try {
            db.compact();
            if (poisoned) {
                throw new Violation("acknowledged-after-failure", "compaction succeeded on a poisoned store");
            }
            model.syncedAll();
            checkState("after compaction", model.current());
        } catch (SimulatedCrash crash) {
            crashed(crash);
        } catch (IOException e) {
            failed(e, failuresBefore, "compact");
            reopen();
        }
    }

    /** A snapshot taken now keeps showing this state while a write goes on beside it. */
    public void snapshotIsolation(String key, int valueBytes) {
        if (finished || poisoned) {
            return;
        }
        note("snapshot");
        TreeMap<String, String> expected = model.current();
        long reopensBefore = reopens;
        try (Snapshot snapshot = db.snapshot()) {
            put(key, valueBytes, Durability.SYNC);
            if (reopens == reopensBefore && !finished) {
                Map<String, String> seen = read(snapshot::scan);
                if (!seen.equals(expected)) {
                    throw new Violation("snapshot-changed", "a snapshot saw a later write: expected=" + expected
                            + " actual=" + seen);
                }
            }
        }
    }

    /** A snapshot taken now keeps showing this state across a write and a compaction that retires its segments. */
    public void snapshotAcrossCompaction(String key, int valueBytes) {
        if (finished || poisoned) {
            return;
        }
        note("snapshot across compaction");
        TreeMap<String, String> expected = model.current();
        long reopensBefore = reopens;
        try (Snapshot snapshot = db.snapshot()) {
            put(key, valueBytes, Durability.SYNC);
            if (reopens == reopensBefore && !finished && !poisoned) {
                compact();
            }
            if (reopens == reopensBefore && !finished) {
                Map<String, String> seen = read(snapshot::scan);
                if (!seen.equals(expected)) {
                    throw new Violation("snapshot-changed", "a snapshot saw a later write or lost a key across"
                            + " compaction: expected=" + expected + " actual=" + seen);
                }
            }
        }
    }

    /** Closes the store (sealing it) and opens it again: nothing acknowledged may be lost. */
    public void reopen() {
        if (finished) {
            return;
        }
        note("reopen");
        if (closeStore()) {
            recover(Expectation.CLEAN, model.durable());
        }
    }

    /**
     * Closes the store: a clean close makes everything acknowledged durable. False if the process
     * died in it (then the store has already recovered).
     */
    private boolean closeStore() {
        try {
            db.close();
            if (!poisoned) {
                model.syncedAll();
            }
        } catch (SimulatedCrash crash) {
            crashed(crash);
            return false;
        } catch (IOException e) {
            note("close failed: " + e.getMessage());
        }
        db = null;
        return true;
    }

    /** The process dies (and with POWER_LOSS the machine too), then the store recovers. */
    public void crash(CrashMode mode) {
        if (finished) {
            return;
        }
        note("crash " + mode);
        claimRecords();
        // A process kill keeps the page cache: every acknowledged write whose record reached a
        // segment survives it; only what still waited in the store's buffer may be lost.
        int floor = mode == CrashMode.PROCESS_KILL ? model.acknowledgedAndRecorded() : model.durable();
        CrashReport report = storage.crash(mode);
        Abandon.store(db);
        db = null;
        recover(judge(report), floor);
    }

    // ---------------------------------------------------------------- index files

    /**
     * Writes the index file of every sealed segment lacking one, on this thread, faults live. It
     * writes derived data only: a failure must not poison the store or change what it holds.
     */
    public void writeIndexFiles() {
        if (finished) {
            return;
        }
        note("write index files");
        int failuresBefore = ledger.failures();
        try {
            int written = db.writeIndexFiles();
            indexFilesWritten += written;
            note("wrote " + written + " index files");
        } catch (SimulatedCrash crash) {
            crashed(crash);
            return;
        } catch (IOException e) {
            if (ledger.failures() == failuresBefore) {
                throw new Violation("io-error-without-fault", "writing index files failed, but no fault made a call"
                        + " fail: " + e, e);
            }
            indexWritesFailed++;
            note("writing index files failed on an injected fault (the store goes on): " + e.getMessage());
        }
        if (!poisoned) {
            checkState("after writing index files", model.current());
        }
    }

    /**
     * {@link FaultKind#INDEX_DAMAGE}: the store closes, an index file has a bit flipped, is cut
     * short or vanishes, and the store opens again: the exact state comes back, and an index file
     * the open would have read is reported rebuilt (a segment's missing one need not be: writing
     * them is optional).
     */
    public void damageIndexFile() {
        if (finished) {
            return;
        }
        List<String> indexes = storage.names().stream().filter(dev.walnut.format.IndexFile::isIndexFileName).toList();
        if (indexes.isEmpty()) {
            return;
        }
        String name = indexes.get(random.nextInt(indexes.size()));
        note("close to damage " + name);
        if (!closeStore()) {
            return;
        }
        boolean mustReport = IndexFileUse.readAtOpen(storage, name);
        byte[] image = storage.bytes(name);
        int how = random.nextInt(3);
        byte[] damaged = how == 0 ? null : how == 1 || image.length == 0
                ? java.util.Arrays.copyOf(image, image.length == 0 ? 0 : random.nextInt(image.length)) : image.clone();
        if (how == 2 && image.length > 0) {
            damaged[random.nextInt(image.length)] ^= (byte) (1 << random.nextInt(8));
        }
        mustReport &= damaged != null || name.startsWith("base-");
        storage.damageAtRest(name, damaged);
        note("index file " + name + (damaged == null ? " deleted" : " damaged, now " + damaged.length + " of "
                + image.length + " bytes"));
        recover(Expectation.CLEAN, model.durable());
        checkIndexDamageReported(name, mustReport);
    }

    private void checkIndexDamageReported(String name, boolean mustReport) {
        if (openedReport == null || openAttempts > 1) {
            return; // an earlier open that failed may have removed it already
        }
        boolean reported = openedReport.indexFilesRebuilt().stream().anyMatch(r -> r.contains(name));
        if (mustReport && !reported) {
            throw new Violation("index-damage-unreported", "an open read past a damaged index file it does not report:"
                    + " file=" + name + "\n" + openedReport.describe());
        }
        if (reported) {
            indexDamageReported++;
        }
    }

    private static boolean latentIn(Expectation e, String file) {
        return e.latent().stream().anyMatch(l -> l.file().equals(file));
    }

    /**
     * The open succeeded over damage it could only miss by reading the damaged data files from
     * their index files: the report must say it read index files and rebuilt none of theirs; every
     * get and the scan show one allowed prefix of the model, except values refused as damaged at a
     * damaged byte ({@link ReadOracle}), never wrong bytes. The run ends there: the damage stays.
     */
    private void checkHiddenDamage(Expectation expectation, int floor) {
        hiddenDamageOpens++;
        dev.walnut.RecoveryReport report = db.recoveryReport();
        for (Expectation.Latent l : expectation.latent()) {
            String index = dev.walnut.format.IndexFile.nameFor(l.file());
            if (report.indexFilesRead() == 0 || report.indexFilesRebuilt().stream().anyMatch(r -> r.contains(index))) {
                throw new Violation("corruption-accepted", "open under TOLERATE_TORN_TAIL succeeded over provable"
                        + " corruption without reading " + index + ": " + l.evidence() + "\n" + report.describe());
            }
        }
        readOracle.latent(expectation.latent());
        Map<String, String> readable = new TreeMap<>();
        java.util.Set<String> refused = new java.util.TreeSet<>();
        faults().suspend(true);
        try {
            readAround(readable, refused);
        } finally {
            faults().suspend(false);
        }
        int[] bounds = prefixBounds(expectation, floor);
        int k = model.matchReadable(readable, refused, bounds[0], bounds[1]);
        if (k < 0) {
            throw new Violation("no-matching-prefix", "reads after an open over damage hidden by index files match no"
                    + " allowed prefix k in [" + bounds[0] + ", " + bounds[1] + "]: readable=" + readable + " refused="
                    + refused + " expectation=" + expectation + "\n" + report.describe());
        }
        note("recovered k=" + k + " over hidden damage, refused=" + refused + ": " + expectation.evidence());
        finished = true;
    }

    /** Gets of every key the model knows (and of an absent one), then a scan: what is readable, what refused. */
    private void readAround(Map<String, String> readable, java.util.Set<String> refused) {
        java.util.SortedSet<String> keys = model.keys();
        keys.add("absent-key");
        for (String key : keys) {
            try {
                byte[] v = db.get(bytes(key));
                readable.put(key, v == null ? null : new String(v, StandardCharsets.UTF_8));
            } catch (IOException e) {
                note("get(" + key + ") refused: " + readOracle.explain("get(" + key + ")", e, ledger.failures()));
                refused.add(key);
            }
        }
        try (Cursor c = db.scan(KeyRange.all())) {
            while (c.hasNext()) {
                KeyValue kv = c.next();
                String key = new String(kv.key(), StandardCharsets.UTF_8);
                String value = new String(kv.value(), StandardCharsets.UTF_8);
                if (readable.containsKey(key) && !value.equals(readable.get(key)) || refused.contains(key)) {
                    throw new Violation("scan-disagrees", "scan yielded key=" + key + " value=" + value + " but get"
                            + (refused.contains(key) ? " refused it" : " returned " + readable.get(key)));
                }
                readable.put(key, value);
            }
        } catch (UncheckedIOException e) {
            note("scan refused: " + readOracle.explain("scan", e.getCause(), ledger.failures()));
        }
    }

    // ---------------------------------------------------------------- the read path

    /**
     * The read oracle (README, "The oracle" item 6): a get of every model key (and of an absent
     * one) and a full scan, with faults live: each value exactly the model's, or a failure an
     * injected fault explains.
     */
    public void readAll() {
        if (finished || poisoned) {
            return;
        }
        note("read all");
        try {
            checkReads(model.current());
        } catch (SimulatedCrash crash) {
            crashed(crash);
        }
    }

    private void checkReads(TreeMap<String, String> expected) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            checkGet(e.getKey(), e.getValue());
        }
        checkGet("absent-key", null);
        checkScan(expected);
    }

    /**
     * The read oracle, a cursor: it yields exactly the expected entries in order, or fails with an
     * {@link UncheckedIOException} a fault explains after yielding only expected entries, and is
     * then done (every call throws {@link IllegalStateException}).
     */
    private void checkScan(TreeMap<String, String> expected) {
        readsChecked++;
        int failuresBefore = ledger.failures();
        TreeMap<String, String> seen = new TreeMap<>();
        try (Cursor c = db.scan(KeyRange.all())) {
            try {
                while (c.hasNext()) {
                    KeyValue kv = c.next();
                    String key = new String(kv.key(), StandardCharsets.UTF_8);
                    String value = new String(kv.value(), StandardCharsets.UTF_8);
                    if (!value.equals(expected.get(key))) {
                        throw new Violation("scan-disagrees", "scan yielded key=" + key + " value=" + value
                                + " expected=" + expected.get(key));
                    }
                    seen.put(key, value);
                }
            } catch (UncheckedIOException e) {
                note("scan failed after " + seen.size() + " entries as a fault explains: "
                        + readOracle.explain("scan", e.getCause(), failuresBefore));
                checkCursorDone(c);
                return;
            }
        }
        if (!seen.equals(expected)) {
            throw new Violation("scan-disagrees", "scan expected=" + expected + " actual=" + seen);
        }
    }

    private static void checkCursorDone(Cursor c) {
        try {
            c.hasNext();
        } catch (IllegalStateException expected) {
            return;
        }
        throw new Violation("cursor-continues-after-failure", "a cursor whose read failed answered hasNext()");
    }

    /**
     * {@link FaultKind#BIT_ROT}: a bit of a closed data file flips while the store is open; every
     * get and a scan must return the model's values or refuse the damaged one, and a compaction
     * must not launder it. Then a scrub heals the bit and the store reopens, so the run goes on.
     */
    public void rot() {
        if (finished || poisoned) {
            return;
        }
        List<String> closed = closedDataFiles();
        if (closed.isEmpty()) {
            return;
        }
        String name = closed.get(random.nextInt(closed.size()));
        int size = storage.bytes(name).length;
        if (size > RecordFormat.SEGMENT_HEADER_BYTES) {
            rot(name, RecordFormat.SEGMENT_HEADER_BYTES + random.nextInt(size - RecordFormat.SEGMENT_HEADER_BYTES),
                    random.nextInt(8));
        }
    }

    /** {@link #rot()} at a chosen bit: for scenarios that aim it at a value. */
    public void rot(String name, int offsetBytes, int bit) {
        if (finished || poisoned) {
            return;
        }
        SimulatedStorage.Rot rot = storage.rot(name, offsetBytes, bit);
        note(rot.toString());
        readOracle.rotted(rot);
        try {
            checkReads(model.current());
            if (random.nextBoolean()) {
                compactOverRot();
            }
        } catch (SimulatedCrash crash) {
            healAll();
            crashed(crash);
            return;
        }
        healAll();
        reopen();
    }

    /** A compaction over rotted bytes either copies only verified values or fails naming the rot. */
    private void compactOverRot() {
        note("compact over rot");
        int failuresBefore = ledger.failures();
        try {
            db.compact();
            model.syncedAll();
            checkState("after compaction over rot", model.current());
        } catch (WalCorruptionException e) {
            note("compaction refused a rotted value: " + readOracle.explain("compact", e, failuresBefore));
            poisoned = true;
        } catch (IOException e) {
            failed(e, failuresBefore, "compact");
        }
    }

    private void healAll() {
        for (SimulatedStorage.Rot rot : readOracle.healAll()) {
            storage.heal(rot);
            note("healed " + rot);
        }
    }

    /** Segments but the newest, and bases: files the store no longer appends to. */
    private List<String> closedDataFiles() {
        List<String> segments = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (String name : storage.names()) {
            if (RecordFormat.segmentNumberOf(name) >= 0) {
                segments.add(name);
            } else if (RecordFormat.isLogFileName(name)) {
                out.add(name);
            }
        }
        segments.sort(java.util.Comparator.comparingLong(RecordFormat::segmentNumberOf));
        if (!segments.isEmpty()) {
            out.addAll(segments.subList(0, segments.size() - 1));
        }
        return out;
    }

    // ---------------------------------------------------------------- recovery and the oracle

    /** A {@link SimulatedCrash} struck inside an action: the machine may or may not lose power too. */
    private void crashed(SimulatedCrash crash) {
        note(crash.getMessage());
        crash(random.nextBoolean() ? CrashMode.POWER_LOSS : CrashMode.PROCESS_KILL);
    }

    /** Opens and checks the recovered state holds at least the first {@code floor} batches (faults aside). */
    private void recover(Expectation expectation, int floor) {
        claimRecords(); // records flushed by a sync, rotation, seal or compaction since the last write
        reopens++;
        poisoned = false;
        if (expectation.corruption()) {
            checkCorruptionIsReported(expectation);
            return;
        }
        Expectation current = expectation;
        openedReport = null;
        for (int attempt = 0; db == null; attempt++) {
            openAttempts = attempt + 1;
            if (attempt == OPEN_ATTEMPTS_MAX) {
                throw new Violation("open-never-succeeds", "open failed " + attempt + " times in a row");
            }
            long faultsBefore = faultTotal();
            long readErrorsBefore = faults().injected(FaultKind.READ_ERROR);
            String digest = storage.digest();
            // A disk that keeps failing is replaced at last: the late attempts run without faults.
            faults().suspend(attempt >= OPEN_ATTEMPTS_WITH_FAULTS);
            try {
                db = Walnut.open(storeStorage, options);
            } catch (SimulatedCrash crash) {
                CrashMode mode = random.nextBoolean() ? CrashMode.POWER_LOSS : CrashMode.PROCESS_KILL;
                note("crash during open, then " + mode);
                if (mode == CrashMode.POWER_LOSS) {
                    floor = Math.min(floor, model.durable()); // the page cache is gone too
                }
                current = merge(current, judge(storage.crash(mode)));
                if (current.corruption()) {
                    checkCorruptionIsReported(current);
                    return;
                }
            } catch (WalDamageException e) {
                if (e instanceof WalCorruptionException && latentIn(current, e.site().file())) {
                    note("open replayed a damaged data file: " + e.getMessage());
                    checkCorruptionIsReported(current);
                    return;
                }
                if (current.bugHazard() != null) {
                    throw new Violation(KnownKernelBugs.UNSYNCED_TAIL_DECLARED_DURABLE, current.bugHazard()
                            + "; open failed: " + e.getMessage(), e);
                }
                throw new Violation("damage-without-fault", "open failed on damage no fault explains: "
                        + e.getMessage() + " expectation=" + current, e);
            } catch (IOException e) {
                if (faultTotal() == faultsBefore) {
                    throw new Violation("io-error-without-fault", "open failed without an injected fault: " + e, e);
                }
                boolean readError = faults().injected(FaultKind.READ_ERROR) > readErrorsBefore;
                if (readError && !digest.equals(storage.digest())) {
                    throw new Violation("failed-open-changed-files", "an open that failed on a read error changed"
                            + " the directory: before=" + digest + " after=" + storage.digest(), e);
                }
                note("open failed on an injected fault: " + e.getMessage());
            } finally {
                faults().suspend(false);
            }
        }
        openedReport = db.recoveryReport();
        if (mitigateKnownBugs) {
            storage.makeDurable();
        }
        if (!current.latent().isEmpty()) {
            checkHiddenDamage(current, floor);
            return;
        }
        checkRecoveredPrefix(current, floor);
        if (random.nextBoolean()) {
            checkSecondRecoveryAgrees();
        }
    }

    private Expectation judge(CrashReport report) {
        Expectation e = new DamageJudge(report, ledger).judge();
        if (verbose) {
            for (CrashReport.FileImage f : report.files().values()) {
                note("  file=" + f.name() + " inode=" + f.inodeId() + " before=" + f.before().length + " after="
                        + f.after().length + " promised=" + f.promisedBytes() + " firstDamage=" + f.firstDamageBytes()
                        + " header=" + ledger.header(f.inodeId()) + " records=" + ledger.records(f.inodeId()));
            }
        }
        ledger.reconcile(report);
        return e;
    }

    private static Expectation merge(Expectation a, Expectation b) {
        String bug = a.bugHazard() != null ? a.bugHazard() : b.bugHazard();
        Expectation e = a.corruption() ? a : b.corruption() ? b : a.capSequence() <= b.capSequence() ? a : b;
        e = e.withLatent((e == a ? b : a).latent());
        return bug == null ? e : e.withBugHazard(bug);
    }

    /**
     * Oracle 2: the store equals the model after a prefix k holding every durable batch (after a
     * process kill, every acknowledged batch whose record reached a segment) and no batch whose
     * record never did.
     */
    private void checkRecoveredPrefix(Expectation expectation, int floor) {
        Map<String, String> actual = read(db::scan);
        checkRefusedAbsent(actual, expectation);
        int[] bounds = prefixBounds(expectation, floor);
        int from = bounds[0];
        int to = bounds[1];
        int k = model.matchPrefix(actual, from, to);
        if (k < 0) {
            throw new Violation(from == to ? "lost-or-phantom-write" : "no-matching-prefix", "recovered state matches"
                    + " no allowed prefix k in [" + from + ", " + to + "]: actual=" + actual + " modelAtFloor="
                    + model.stateAfter(from) + " modelAtEnd=" + model.stateAfter(to) + " expectation=" + expectation
                    + "\n" + db.recoveryReport().describe());
        }
        if (db.recoveryReport().hasCorruption()) {
            throw new Violation("corruption-without-fault", "open reported corruption no fault explains\n"
                    + db.recoveryReport().describe());
        }
        note("recovered k=" + k + " of [" + from + ", " + to + "] " + expectation.evidence());
        model.recoveredTo(k);
        faults().suspend(true);
        try {
            for (String key : actual.keySet()) {
                checkGet(key, actual.get(key));
            }
        } finally {
            faults().suspend(false);
        }
    }

    /**
     * The prefixes [from, to] of the model a recovery may come back to: at least every durable
     * batch and the {@code floor} (after a process kill, every acknowledged batch whose record
     * reached a segment), and nothing whose record never reached one (lost from the store's buffer).
     */
    private int[] prefixBounds(Expectation expectation, int floor) {
        int from = Math.max(model.durable(), floor);
        int to = Math.min(model.size(), model.recordedBatches());
        if (expectation.capSequence() != Long.MAX_VALUE) {
            int cap = model.batchesBefore(expectation.capSequence());
            to = Math.min(to, cap);
            from = Math.min(from, cap);
        }
        return new int[] {from, to};
    }

    /** Oracle 4, after recovery: no write that failed before its record was written ever comes back. */
    private void checkRefusedAbsent(Map<String, String> actual, Expectation expectation) {
        for (Model.Batch refused : model.refused()) {
            for (Model.Op op : model.putsOf(refused)) {
                if (op.value().equals(actual.get(op.key())) && !model.accepted(op)) {
                    throw new Violation("failed-write-recovered", "a write reported failed before its record was"
                            + " written came back after recovery: key=" + op.key() + " value=" + op.value()
                            + " expectation=" + expectation + "\n" + db.recoveryReport().describe());
                }
            }
        }
    }

    /** Oracle 3: crash again at once, keeping every volatile byte: the same state comes back. */
    private void checkSecondRecoveryAgrees() {
        Map<String, String> first = read(db::scan);
        storage.crash(CrashMode.PROCESS_KILL);
        Abandon.store(db);
        db = null;
        faults().suspend(true);
        try {
            db = Walnut.open(storeStorage, options);
        } catch (IOException e) {
            throw new Violation("second-recovery-fails", "reopen right after a recovery failed: " + e, e);
        } finally {
            faults().suspend(false);
        }
        Map<String, String> second = read(db::scan);
        if (!second.equals(first)) {
            throw new Violation("second-recovery-differs", "a crash right after recovery, losing nothing, changed"
                    + " the state: first=" + first + " second=" + second + "\n" + db.recoveryReport().describe());
        }
    }

    /** Oracle 1: provably durable bytes were damaged: the open fails and salvage reports corruption. */
    private void checkCorruptionIsReported(Expectation expectation) {
        expectedCorruptions++;
        note("expect corruption: " + expectation.evidence());
        faults().suspend(true);
        try {
            Recovery.Outcome salvage = Recovery.run(storage, new Recovery.Settings(RecoveryPolicy.SALVAGE,
                    options.maxRecordBytes(), options.readWindowBytes()), NO_SINK);
            if (!salvage.report().hasCorruption() && expectation.evidence().startsWith(DamageJudge.MANIFEST_DAMAGE)) {
                throw new Violation(KnownKernelBugs.SALVAGE_HIDES_DAMAGED_MANIFEST,
                        "SALVAGE reported no damage over a damaged MANIFEST: " + expectation.evidence() + "\n"
                        + salvage.report().describe());
            }
            if (!salvage.report().hasCorruption()) {
                throw new Violation("corruption-not-reported", "SALVAGE did not report corruption: "
                        + expectation.evidence() + "\n" + salvage.report().describe());
            }
            try (Walnut opened = Walnut.open(storeStorage, options)) {
                throw new Violation("corruption-accepted", "open under TOLERATE_TORN_TAIL succeeded over provable"
                        + " corruption: " + expectation.evidence() + "\n" + opened.recoveryReport().describe());
            } catch (WalCorruptionException expected) {
                note("open failed as it must: " + expected.getMessage());
            } catch (IOException e) {
                throw new Violation("corruption-misclassified", "open over provable corruption failed, but not with"
                        + " WalCorruptionException: " + e + " expectation=" + expectation.evidence(), e);
            }
        } catch (IOException e) {
            throw new Violation("salvage-fails", "SALVAGE inspection failed: " + e, e);
        } finally {
            faults().suspend(false);
        }
        finished = true;
    }

    private static final BatchCodec.OpSink NO_SINK = new BatchCodec.OpSink() {
        @Override
        public void put(byte[] key, java.nio.ByteBuffer body, int cellStart, int cellBytes, int valueLength) {
        }

        @Override
        public void delete(byte[] key) {
        }
    };

    /** After an action failed: fine if a fault made a call fail (the store is then poisoned), else a violation. */
    private void failed(IOException e, int failuresBefore, String action) {
        if (e instanceof StorePoisonedException) {
            if (!poisoned) {
                throw new Violation("poisoned-without-failure", action + " refused as poisoned, but nothing failed", e);
            }
            return;
        }
        if (poisoned) {
            return;
        }
        if (ledger.failures() == failuresBefore) {
            throw new Violation("io-error-without-fault", action + " failed, but no fault made a call fail: " + e, e);
        }
        note(action + " failed on an injected fault: " + e.getMessage());
        poisoned = true;
    }

    /** Write records the segments received since the last call, given to their batches in order. */
    private void claimRecords() {
        while (claimedRecords < ledger.writeRecords()) {
            int index = claimedRecords++;
            long sequence = ledger.writeRecord(index);
            if (!model.recorded(sequence, index)) {
                throw new Violation("record-without-write", "a segment received a write record no accepted write"
                        + " explains: sequence=" + sequence);
            }
        }
    }

    /** Write records of the ledger already given to batches. */
    private int claimedRecords;

    private void checkReadYourWrites(List<Model.Op> ops) {
        TreeMap<String, String> last = new TreeMap<>();
        for (Model.Op op : ops) {
            last.put(op.key(), op.value());
        }
        last.forEach(this::checkGet);
    }

    /**
     * The read oracle, one get: exactly the expected value (null only for an absent key), or a failure an
     * injected fault explains ({@link ReadOracle}). A {@link SimulatedCrash} passes through.
     */
    private void checkGet(String key, String expected) {
        readsChecked++;
        int failuresBefore = ledger.failures();
        byte[] v;
        try {
            v = db.get(bytes(key));
        } catch (IOException e) {
            note("get(" + key + ") failed as a fault explains: " + readOracle.explain("get(" + key + ")", e,
                    failuresBefore));
            return;
        }
        String actual = v == null ? null : new String(v, StandardCharsets.UTF_8);
        if (!java.util.Objects.equals(expected, actual)) {
            throw new Violation(expected != null && actual == null ? "get-null-for-present" : "get-disagrees",
                    "get(" + key + ") expected=" + expected + " actual=" + actual);
        }
    }

    private void checkState(String when, Map<String, String> expected) {
        Map<String, String> actual = read(db::scan);
        if (!actual.equals(expected)) {
            throw new Violation("state-differs", when + ": expected=" + expected + " actual=" + actual);
        }
    }

    private interface Scanner {
        Cursor scan(KeyRange range);
    }

    /** The oracle's own full scan: faults suspended, so it sees the storage as it is. */
    private Map<String, String> read(Scanner view) {
        faults().suspend(true);
        try {
            return readUnsuspended(view);
        } finally {
            faults().suspend(false);
        }
    }

    private static Map<String, String> readUnsuspended(Scanner view) {
        TreeMap<String, String> out = new TreeMap<>();
        try (Cursor c = view.scan(KeyRange.all())) {
            while (c.hasNext()) {
                KeyValue kv = c.next();
                out.put(new String(kv.key(), StandardCharsets.UTF_8), new String(kv.value(), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            throw new Violation("scan-fails", "scan failed: " + e, e);
        }
        return out;
    }

    private long faultTotal() {
        long total = 0;
        for (long n : faults().injected().values()) {
            total += n;
        }
        return total;
    }

    /** A value never written before: its content names the write, so a phantom or a swap shows. */
    private String value(int bytes) {
        String v = "v" + (++valueCounter) + ":";
        StringBuilder out = new StringBuilder(v);
        while (out.length() < bytes) {
            out.append((char) ('a' + (out.length() * 7 + valueCounter) % 26));
        }
        return out.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(List<Model.Op> ops) {
        StringBuilder out = new StringBuilder("[");
        for (Model.Op op : ops) {
            out.append(out.length() > 1 ? " " : "").append(op.value() == null ? "del " + op.key()
                    : "put " + op.key() + "=" + op.value().substring(0, Math.min(12, op.value().length()))
                    + "(" + op.value().length() + "B)");
        }
        return out.append(']').toString();
    }

    private void note(String step) {
        steps.add(step);
        if (verbose) {
            System.out.println("  step " + steps.size() + ": " + step);
        }
    }

    public long seed() {
        return seed;
    }
}
