package dev.walnut;

import dev.walnut.format.BatchCodec;
import dev.walnut.format.Manifest;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import dev.walnut.log.LogWriter;
import dev.walnut.recovery.Recovery;
import dev.walnut.store.CommitPipeline;
import dev.walnut.store.Compactor;
import dev.walnut.store.MvccIndex;
import dev.walnut.store.ReadPoint;
import dev.walnut.store.ReplayIndex;
import dev.walnut.store.WalnutEvents;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An embedded, ordered key-value store backed by a write-ahead log; safe for any number of threads.
 *
 * <p>{@link #open} replays the log with bounded memory, classifies any damage under the options'
 * {@link RecoveryPolicy}, and continues the log in a new segment. Writes go through group commit:
 * under {@link Durability#SYNC} (the default) a write returns once durable, and concurrent writers
 * share fsyncs. Reads never wait for fsync and see whole batches only.
 *
 * <pre>{@code
 * try (Walnut db = Walnut.open(Path.of("data"))) {
 *     db.put(key, value);
 *     byte[] v = db.get(key);
 *     try (Cursor c = db.scan(KeyRange.prefix(p))) { c.forEachRemaining(kv -> ...); }
 * }
 * }</pre>
 */
public final class Walnut implements ReadView, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Walnut.class.getName());

    /** Automatic compaction also runs once the log has more segments than this (each open adds one). */
    public static final int SEGMENTS_COMPACTION_TRIGGER = 32;

    private final WalStorage storage;
    private final boolean ownsStorage;
    private final Closeable lock;
    private final WalnutOptions options;
    private final RecoveryReport recoveryReport;
    private final MvccIndex index;
    private final LogWriter writer;
    private final CommitPipeline pipeline;
    private final Compactor compactor;
    private final ScheduledExecutorService background;
    private final Object compactionLock = new Object();
    private final AtomicBoolean compactionScheduled = new AtomicBoolean();
    private volatile long logBytesBeforeWriter;
    private volatile int segmentsBeforeWriter;
    private volatile long compactions;
    private volatile boolean closed;

    private Walnut(WalStorage storage, boolean ownsStorage, Closeable lock, WalnutOptions options,
                   RecoveryReport report, MvccIndex index, LogWriter writer, SplittableRandom random)
            throws IOException {
        this.storage = storage;
        this.ownsStorage = ownsStorage;
        this.lock = lock;
        this.options = options;
        this.recoveryReport = report;
        this.index = index;
        this.writer = writer;
        this.pipeline = new CommitPipeline(writer, index);
        this.compactor = new Compactor(storage, new RecordCodec(options.maxRecordBytes(), options.compression()), random);
        measureLog();
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "walnut-background");
            t.setDaemon(true);
            return t;
        });
        background.scheduleWithFixedDelay(this::syncBackgroundWrites, options.syncIntervalMs(),
                options.syncIntervalMs(), TimeUnit.MILLISECONDS);
        pipeline.onRotation(this::maybeScheduleCompaction);
        maybeScheduleCompaction();
    }

    /** Opens (creating if needed) the store in {@code directory} with default options. */
    public static Walnut open(Path directory) throws IOException {
        return open(directory, WalnutOptions.defaults());
    }

    public static Walnut open(Path directory, WalnutOptions options) throws IOException {
        Files.createDirectories(directory);
        return open(new FileChannelWalStorage(directory), true, options);
    }

    /** Opens the store held by {@code storage}; the caller keeps ownership of the storage. */
    public static Walnut open(WalStorage storage, WalnutOptions options) throws IOException {
        return open(storage, false, options);
    }

    private static Walnut open(WalStorage storage, boolean ownsStorage, WalnutOptions options) throws IOException {
        Closeable lock = storage.lock();
        try {
            ReplayIndex replay = new ReplayIndex(options.seed());
            Recovery.Outcome outcome = Recovery.run(storage,
                    new Recovery.Settings(options.recoveryPolicy(), options.maxRecordBytes(), options.readWindowBytes()),
                    replay);
            quarantine(storage, outcome.quarantine());
            SplittableRandom random = new SplittableRandom(options.seed());
            RecordCodec codec = new RecordCodec(options.maxRecordBytes(), options.compression());
            if (options.recoveryPolicy() != RecoveryPolicy.SALVAGE) {
                removeLeftovers(storage, outcome.manifest(), codec, random);
            }
            Recovery.LogEnd end = outcome.end();
            LogWriter writer = LogWriter.start(storage, codec, options.segmentBytes(), random,
                    Math.max(end.highestSegmentNumber(), end.segmentNumber()) + 1, end.segmentNumber(),
                    end.validEndBytes(), end.cut(), end.lastSequence() + 1);
            MvccIndex index = replay.toIndex(end.lastSequence());
            recordRecovery(outcome.report());
            return new Walnut(storage, ownsStorage, lock, options, outcome.report(), index, writer, random);
        } catch (IOException | RuntimeException | Error e) {
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Point-in-time: sets aside every segment after the cut, by rename; nothing is deleted. */
    private static void quarantine(WalStorage storage, List<String> names) throws IOException {
        for (String name : names) {
            storage.rename(name, name + Recovery.QUARANTINE_SUFFIX);
        }
        if (!names.isEmpty()) {
            storage.syncDirectory();
        }
    }

    /** Files an interrupted compaction left: a temp manifest, an orphan base, retired segments. */
    private static void removeLeftovers(WalStorage storage, Manifest manifest, RecordCodec codec,
                                        SplittableRandom random) throws IOException {
        if (storage.exists(Manifest.TEMP_NAME)) {
            storage.delete(Manifest.TEMP_NAME);
        }
        new Compactor(storage, codec, random).retireBefore(manifest == null ? 0 : manifest.firstLiveSegment(),
                manifest == null || manifest.baseNumber() == 0 ? null : Manifest.baseName(manifest.baseNumber()));
    }

    private static void recordRecovery(RecoveryReport report) {
        WalnutEvents.RecoveryEvent event = new WalnutEvents.RecoveryEvent();
        event.policy = report.policy().name();
        event.segments = report.segmentsReplayed();
        event.records = report.recordsReplayed();
        event.bytesReplayed = report.bytesReplayed();
        event.damageSites = report.damage().size();
        event.peakBufferBytes = report.peakBufferBytes();
        event.commit();
        LOG.log(report.clean() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, report.describe());
    }

    /** Log bytes and live segments on storage now, less what the writer has added. */
    private void measureLog() throws IOException {
        long bytes = 0;
        int segments = 0;
        for (String name : storage.list()) {
            boolean segment = RecordFormat.segmentNumberOf(name) >= 0;
            if (segment || (name.startsWith("base-") && name.endsWith(".log"))) {
                try (WalFile f = storage.open(name)) {
                    bytes += f.sizeBytes();
                }
                segments += segment ? 1 : 0;
            }
        }
        logBytesBeforeWriter = bytes - writer.bytesWritten();
        segmentsBeforeWriter = segments - writer.segmentsCreated();
    }

    // ---- reads ----

    @Override
    public byte[] get(byte[] key) {
        WriteBatch.checkKey(key);
        checkOpen();
        byte[] value = index.get(key);
        return value == null ? null : value.clone();
    }

    /** A cursor over {@code range} at the latest visible sequence; close it. */
    @Override
    public Cursor scan(KeyRange range) {
        Objects.requireNonNull(range, "range");
        checkOpen();
        return index.cursor(range, index.register(), true);
    }

    /** A consistent read view at the latest visible sequence; writers never wait for it. Close it. */
    public Snapshot snapshot() {
        checkOpen();
        return new Snapshot(index);
    }

    // ---- writes ----

    public void put(byte[] key, byte[] value) throws IOException {
        write(new WriteBatch().put(key, value));
    }

    public void delete(byte[] key) throws IOException {
        write(new WriteBatch().delete(key));
    }

    /** Applies {@code batch} atomically with the store's default durability. */
    public void write(WriteBatch batch) throws IOException {
        write(batch, options.durability());
    }

    /**
     * Applies every operation of {@code batch} atomically as one record.
     *
     * @throws IllegalArgumentException if the batch is empty or does not fit in maxRecordBytes
     * @throws StorePoisonedException   if an earlier write or sync failed
     * @throws IOException              if the log cannot be written; the store is then poisoned
     */
    public void write(WriteBatch batch, Durability durability) throws IOException {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(durability, "durability");
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("empty batch: a batch needs at least one put or delete");
        }
        long recordBytes = RecordFormat.RECORD_HEADER_BYTES + RecordFormat.PREAMBLE_BYTES
                + BatchCodec.encodedBytes(batch.ops());
        if (recordBytes > options.maxRecordBytes()) {
            throw new IllegalArgumentException("batch too large: recordBytes=" + recordBytes + " maxRecordBytes="
                    + options.maxRecordBytes());
        }
        checkOpen();
        pipeline.write(batch, durability);
    }

    /** Makes every acknowledged write durable. */
    public void sync() throws IOException {
        checkOpen();
        pipeline.sync();
    }

    private void syncBackgroundWrites() {
        try {
            pipeline.syncBackgroundWrites();
        } catch (IOException | IllegalStateException e) {
            // The pipeline is poisoned or closed; the next write reports it to its caller.
            LOG.log(System.Logger.Level.DEBUG, "background sync stopped: " + e.getMessage());
        }
    }

    // ---- compaction ----

    /**
     * Writes the live state into a compacted base while writes go on, switches to it atomically,
     * then deletes the segments it replaces. Crash-safe at every step.
     */
    public void compact() throws IOException {
        checkOpen();
        synchronized (compactionLock) {
            checkOpen();
            long[] firstLive = new long[1];
            ReadPoint[] point = new ReadPoint[1];
            pipeline.exclusive(w -> {
                w.rotate();
                firstLive[0] = w.segmentNumber();
                point[0] = index.register();
            });
            // The same pass that writes the compacted base builds the next in-memory base: the
            // delta written since open folds into it, and the stale base bytes go.
            ReplayIndex folded = new ReplayIndex(options.seed());
            Compactor.Result result;
            try {
                result = compactor.compact(index, point[0], firstLive[0], folded);
            } finally {
                index.release(point[0]);
            }
            pipeline.exclusive(w -> index.fold(folded, point[0].sequence()));
            compactions++;
            measureLog();
            WalnutEvents.CompactionEvent event = new WalnutEvents.CompactionEvent();
            event.baseSequence = result.baseSequence();
            event.entries = result.entries();
            event.baseBytes = result.baseBytes();
            event.retiredFiles = result.retiredFiles();
            event.commit();
            LOG.log(System.Logger.Level.INFO, "compacted: " + result);
        }
    }

    /**
     * At open and in the leader's turn after a rotation: compaction runs on the background thread,
     * never here. Due when the log outgrows the live data by the configured ratio, or when opens
     * (each starts a segment) have left more small segments than {@link #SEGMENTS_COMPACTION_TRIGGER}.
     */
    private void maybeScheduleCompaction() {
        double ratio = options.compactionRatio();
        long logBytes = logBytes();
        int segments = segmentsBeforeWriter + writer.segmentsCreated();
        boolean due = ratio > 0 && ((logBytes >= 2 * options.segmentBytes() && logBytes > ratio * index.liveBytes())
                || segments > SEGMENTS_COMPACTION_TRIGGER);
        if (due && compactionScheduled.compareAndSet(false, true)) {
            background.execute(() -> {
                try {
                    compact();
                } catch (IOException | IllegalStateException e) {
                    LOG.log(System.Logger.Level.WARNING, "automatic compaction failed: " + e.getMessage());
                } finally {
                    compactionScheduled.set(false);
                }
            });
        }
    }

    // ---- introspection ----

    private long logBytes() {
        return logBytesBeforeWriter + writer.bytesWritten();
    }

    public Stats stats() {
        long fsyncs = writer.fsyncs();
        long writes = pipeline.writes();
        return new Stats(index.liveKeys(), index.liveBytes(), logBytes(),
                segmentsBeforeWriter + writer.segmentsCreated(), writer.lastSequence(), fsyncs, writes,
                fsyncs == 0 ? 0 : (double) writes / fsyncs, compactions);
    }

    /** Live keys in memory. */
    public long size() {
        return index.liveKeys();
    }

    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    public WalnutOptions options() {
        return options;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    /**
     * Waits for a running compaction, seals the active segment (proof of a clean close), releases
     * the lock. Idempotent. A poisoned store closes without sealing.
     */
    @Override
    public void close() throws IOException {
        synchronized (compactionLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        background.shutdownNow();
        IOException failure = null;
        try {
            pipeline.close(w -> {
                try {
                    w.seal();
                } finally {
                    w.close();
                }
            });
        } catch (IOException e) {
            failure = e;
        }
        if (pipeline.poison() != null) {
            failure = closeQuietly(writer, failure);
        }
        failure = closeQuietly(lock, failure);
        if (ownsStorage) {
            failure = closeQuietly(storage, failure);
        }
        if (failure != null && !(failure instanceof StorePoisonedException)) {
            throw failure;
        }
    }

    private static IOException closeQuietly(AutoCloseable c, IOException failure) {
        try {
            c.close();
        } catch (Exception e) {
            IOException io = e instanceof IOException x ? x : new IOException(e);
            if (failure == null) {
                return io;
            }
            failure.addSuppressed(io);
        }
        return failure;
    }
}
