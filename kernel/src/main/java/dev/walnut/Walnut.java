package dev.walnut;

import dev.walnut.format.BatchCodec;
import dev.walnut.format.Manifest;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import dev.walnut.log.LogWriter;
import dev.walnut.log.ValueFiles;
import dev.walnut.recovery.Recovery;
import dev.walnut.store.CheckpointCopier;
import dev.walnut.store.CommitPipeline;
import dev.walnut.store.IndexFiles;
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
import java.util.concurrent.RejectedExecutionException;
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
 * <p>Costs, in short: every live key is held on the heap with where its value is on disk (values
 * of at most 12 bytes are held whole), so {@link #get} and each entry of {@link #scan} cost one
 * positional read of the value, verified by its own checksum; a commit group (the writes that
 * queued while the previous group was written) costs one append and, if any of its writes asked
 * for {@code SYNC}, one fsync (unsynced groups wait in a bounded buffer and share one append per
 * 64 KiB, see {@link #flush}); an open reads the index file of each sealed segment and of the
 * compacted base, and replays the records of the rest, one positional read per read window.
 * Cursors and snapshots pin the versions they may still read until closed.
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

    /** close() logs a warning each time it has waited this long for the background thread. */
    private static final long BACKGROUND_STOP_WAIT_MS = 10_000;

    /** How many of a foreign directory's file names the refusal names. */
    private static final int FOREIGN_NAMES_SHOWN = 5;

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
    /** What the MANIFEST on disk says (or, after salvage, should say); null before the first compaction. */
    private volatile Manifest manifest;
    private volatile boolean closed;
    /** Why close() could not seal; every later close() throws it again. */
    private volatile IOException closeFailure;
    /** Opened by {@link #openReadOnly}: no writer, no lock, no background thread; every change refused. */
    private final boolean readOnly;

    private Walnut(WalStorage storage, boolean ownsStorage, Closeable lock, WalnutOptions options,
                   RecoveryReport report, Manifest manifest, MvccIndex index, LogWriter writer,
                   SplittableRandom random) throws IOException {
        this.storage = storage;
        this.ownsStorage = ownsStorage;
        this.lock = lock;
        this.options = options;
        this.recoveryReport = report;
        this.manifest = manifest;
        this.index = index;
        this.writer = writer;
        this.readOnly = writer == null;
        if (readOnly) {
            this.pipeline = null;
            this.compactor = null;
            this.background = null;
            measureLog();
            return;
        }
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
        pipeline.onRotation(() -> {
            maybeScheduleCompaction();
            scheduleIndexing();
        });
        maybeScheduleCompaction();
        scheduleIndexing();
    }

    /**
     * Opens (creating if needed) the store in {@code directory} with default options; see
     * {@link #open(Path, WalnutOptions)}.
     *
     * @param directory the store's directory; created, with its parents, if missing
     * @return the open store; close it
     * @throws StorageLockedException if another open store, in this JVM or another process, holds it
     * @throws WalDamageException if the log holds damage {@link RecoveryPolicy#TOLERATE_TORN_TAIL} does not accept
     * @throws IOException on any I/O error, or if the directory holds files and none of a store
     */
    public static Walnut open(Path directory) throws IOException {
        return open(directory, WalnutOptions.defaults());
    }

    /**
     * Opens the store in {@code directory}, creating the directory and its parents if missing, and
     * recovers it. It takes the directory's exclusive lock, then replays the log (the compacted
     * base the MANIFEST names, then every live segment) record by record through one positional
     * read per read window, verifying every checksum, and classifies any damage under the options'
     * policy. Replay memory is the read window plus the largest record, besides the live keys and
     * values it loads onto the heap; time grows with the size of the live log. Then it acts on
     * disk: a point-in-time open renames the segments after the cut; leftovers of an interrupted
     * compaction are deleted (not under salvage); the last replayed segment is synced; and the log
     * continues in a new segment (one create, one header append, two fsyncs: the header and the
     * directory). Bytes of an existing segment are never rewritten. Finally it starts one daemon
     * thread for {@link Durability#BACKGROUND} syncs and automatic compaction, which may start at once.
     *
     * @param directory the store's directory; created, with its parents, if missing
     * @param options   the policy, durability and limits
     * @return the open store; close it
     * @throws StorageLockedException if another open store, in this JVM or another process, holds it
     * @throws WalDamageException if the log holds damage the policy does not accept
     *                            ({@link WalCorruptionException} for damage to durable bytes); the log
     *                            is not changed
     * @throws IOException on any I/O error, which is never taken for damage and never truncates
     *                     anything; if the directory holds files and none of a store
     *                     ({@link java.nio.file.FileSystemException} "not a Walnut store"); or if a
     *                     file has a format version this build does not read (naming both versions)
     */
    public static Walnut open(Path directory, WalnutOptions options) throws IOException {
        Files.createDirectories(directory);
        return open(new FileChannelWalStorage(directory), true, options);
    }

    /**
     * Opens the store held by {@code storage}, as {@link #open(Path, WalnutOptions)} does; the
     * caller keeps ownership of the storage: {@link #close()} does not close it.
     *
     * @param storage the store's files, e.g. an in-memory or fault-injecting implementation
     * @param options the policy, durability and limits
     * @return the open store; close it
     * @throws StorageLockedException if the storage's lock is held
     * @throws WalDamageException if the log holds damage the policy does not accept
     * @throws IOException on any I/O error, or if the storage holds files and none of a store
     */
    public static Walnut open(WalStorage storage, WalnutOptions options) throws IOException {
        return open(storage, false, options);
    }

    /**
     * {@link #openReadOnly(Path, WalnutOptions)} with default options.
     *
     * @param directory an existing store's directory
     * @return the store, open for reading only; close it
     * @throws java.nio.file.NoSuchFileException if the directory does not exist or holds no store
     * @throws WalDamageException when the default policy does not accept the damage found
     * @throws IOException on any I/O error
     */
    public static Walnut openReadOnly(Path directory) throws IOException {
        return openReadOnly(directory, WalnutOptions.defaults());
    }

    /**
     * Opens an existing store for reading only: it creates, changes and locks no file, so it works
     * on a read-only directory or mount and beside any number of other read-only opens. Recovery
     * runs as for {@link #open} under the options' policy, but what it would do on disk (drop a torn
     * tail into a new segment, set segments aside, remove a compaction's leftovers) stays in
     * memory: the view is the log as it was when this call read it. It takes no lock, so it may
     * also run beside a writer in another process; it then sees the writer's records up to where
     * it read, and a record the writer had not finished reads as a torn tail (dropped from the view,
     * not from the file). Writes, {@code sync}, {@code compact} and {@code checkpoint} throw
     * {@link ReadOnlyStoreException}. Costs the same replay as {@link #open}, and no write, fsync
     * or background thread.
     *
     * @param directory an existing store's directory
     * @param options   the policy and limits to read with; durability and compaction settings are unused
     * @return the store, open for reading only; close it
     * @throws java.nio.file.NoSuchFileException if the directory does not exist, or holds neither a
     *                                           segment nor a MANIFEST
     * @throws WalDamageException when the policy does not accept the damage found
     * @throws IOException on any I/O error
     */
    public static Walnut openReadOnly(Path directory, WalnutOptions options) throws IOException {
        return openReadOnly(FileChannelWalStorage.readOnly(directory), true, options);
    }

    /**
     * {@link #openReadOnly(Path, WalnutOptions)} on any storage; the caller keeps ownership of it.
     * Only reads: pass a storage that refuses writes (such as
     * {@link FileChannelWalStorage#readOnly}) to have that enforced below the store too.
     *
     * @param storage the store's files
     * @param options the policy and limits to read with
     * @return the store, open for reading only; close it
     * @throws java.nio.file.NoSuchFileException if the storage holds neither a segment nor a MANIFEST
     * @throws WalDamageException when the policy does not accept the damage found
     * @throws IOException on any I/O error
     */
    public static Walnut openReadOnly(WalStorage storage, WalnutOptions options) throws IOException {
        return openReadOnly(storage, false, options);
    }

    private static Walnut openReadOnly(WalStorage storage, boolean ownsStorage, WalnutOptions options)
            throws IOException {
        refuseForeignDirectory(storage);
        if (storage.list().stream().noneMatch(n -> RecordFormat.segmentNumberOf(n) >= 0 || n.equals(Manifest.NAME))) {
            throw new java.nio.file.NoSuchFileException(storage.toString(), null,
                    "not a Walnut store: no segment files and no MANIFEST to open read-only");
        }
        ValueFiles files = new ValueFiles(storage);
        try {
            ReplayIndex replay = new ReplayIndex(options.hashSeed(), files);
            Recovery.Outcome outcome = Recovery.run(storage, recoverySettings(options), replay,
                    new IndexFiles(storage, replay, files, options.readWindowBytes()));
            MvccIndex index = replay.toIndex(outcome.end().lastSequence());
            recordRecovery(outcome.report());
            return new Walnut(storage, ownsStorage, null, options, outcome.report(), outcome.manifest(), index, null,
                    null);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(files, null);
            throw e;
        }
    }

    private static Recovery.Settings recoverySettings(WalnutOptions options) {
        return new Recovery.Settings(options.recoveryPolicy(), options.maxRecordBytes(), options.readWindowBytes());
    }

    private static Walnut open(WalStorage storage, boolean ownsStorage, WalnutOptions options) throws IOException {
        refuseForeignDirectory(storage);
        Closeable lock = storage.lock();
        ValueFiles files = new ValueFiles(storage);
        try {
            ReplayIndex replay = new ReplayIndex(options.hashSeed(), files);
            IndexFiles indexes = new IndexFiles(storage, replay, files, options.readWindowBytes());
            Recovery.Outcome outcome = Recovery.run(storage, recoverySettings(options), replay, indexes);
            quarantine(storage, outcome.quarantine());
            for (String unusable : indexes.unusable()) {
                storage.delete(unusable); // derived: written anew by the background thread
            }
            SplittableRandom random = new SplittableRandom(options.seed());
            RecordCodec codec = new RecordCodec(options.maxRecordBytes(), options.compression());
            if (options.recoveryPolicy() != RecoveryPolicy.SALVAGE) {
                removeLeftovers(storage, outcome.manifest(), codec, random);
            }
            Recovery.LogEnd end = outcome.end();
            LogWriter writer = LogWriter.start(storage, codec, options.segmentBytes(), random, files,
                    Math.max(end.highestSegmentNumber(), end.segmentNumber()) + 1, end.segmentNumber(),
                    end.validEndBytes(), end.cut(), end.lastSequence() + 1);
            MvccIndex index = replay.toIndex(end.lastSequence());
            recordRecovery(outcome.report());
            return new Walnut(storage, ownsStorage, lock, options, outcome.report(), outcome.manifest(), index, writer,
                    random);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(files, null);
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * A directory that holds files and none a store writes is somebody else's: opening it would
     * create a store among them. An empty directory, or one with a store's files, is fine.
     */
    private static void refuseForeignDirectory(WalStorage storage) throws IOException {
        List<String> names = storage.list();
        if (!names.isEmpty() && names.stream().noneMatch(RecordFormat::isStoreFileName)) {
            List<String> shown = names.stream().sorted().limit(FOREIGN_NAMES_SHOWN).toList();
            throw new java.nio.file.FileSystemException(storage.toString(), null, "not a Walnut store: the directory"
                    + " holds " + names.size() + " other file(s) " + shown + " and no segment, base, MANIFEST or LOCK;"
                    + " refusing to create a store among them");
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
                manifest == null || manifest.baseNumber() == 0 ? null : Manifest.baseName(manifest.baseNumber()), true);
    }

    private static void recordRecovery(RecoveryReport report) {
        if (WalnutEvents.recording()) {
            WalnutEvents.RecoveryEvent event = new WalnutEvents.RecoveryEvent();
            event.policy = report.policy().name();
            event.segments = report.segmentsReplayed();
            event.records = report.recordsReplayed();
            event.bytesReplayed = report.bytesReplayed();
            event.damageSites = report.damage().size();
            event.peakBufferBytes = report.peakBufferBytes();
            event.commit();
        }
        if (!report.clean() || LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(report.clean() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, report.describe());
        }
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
        logBytesBeforeWriter = bytes - (readOnly ? 0 : writer.bytesWritten());
        segmentsBeforeWriter = segments - (readOnly ? 0 : writer.segmentsCreated());
    }

    // ---- reads ----

    /**
     * The latest visible value of {@code key}, or null. Takes no lock: a lookup in the skip list of
     * recent writes, then, if the key is not there, one hash probe of the index recovered at open
     * (or built by the last compaction), then one positional read of the value's cell ({@code
     * pread}) and a CRC32C over it, unless the value is 12 bytes or shorter (held in memory) or
     * the key is absent (no I/O). Allocates the returned copy. Never waits for a writer; sees a
     * batch whole or not at all.
     *
     * @throws WalCorruptionException if the value's bytes fail their checksum (file and offset named)
     * @throws IOException if reading the value fails
     * @throws IllegalStateException if the store is closed, also when a close raced the read
     */
    @Override
    public byte[] get(byte[] key) throws IOException {
        WriteBatch.checkKey(key);
        checkOpen();
        try {
            return index.get(key);
        } catch (IOException e) {
            if (index.files().isClosed()) {
                throw new IllegalStateException("store is closed", e); // the read raced close()
            }
            throw e;
        }
    }

    /**
     * A cursor over {@code range} at the latest visible sequence; close it. Opening it costs one
     * registration (a short synchronized section) and no I/O. Until it is closed the store
     * keeps every version written after that sequence, of any key, and the index the cursor started
     * on even after a compaction replaced it: a cursor left open makes memory grow with the writes.
     *
     * @throws IllegalStateException if the store is closed
     */
    @Override
    public Cursor scan(KeyRange range) {
        Objects.requireNonNull(range, "range");
        checkOpen();
        return index.cursor(range, index.register(), true);
    }

    /**
     * A consistent read view at the latest visible sequence; writers never wait for it. Close it.
     * Taking it copies nothing and does no I/O; like a cursor, it pins every version written after
     * its sequence until closed.
     *
     * @return the snapshot
     * @throws IllegalStateException if the store is closed
     */
    public Snapshot snapshot() {
        checkOpen();
        return new Snapshot(index);
    }

    // ---- writes ----

    /**
     * Writes {@code value} under {@code key} with the store's default durability: a batch of one
     * put (both arrays copied), with the costs and outcomes of {@link #write(WriteBatch, Durability)}.
     * Under {@link Durability#SYNC} it returns once durable, having shared one append and one fsync
     * with the other writes of its commit group.
     *
     * @param key   1 to {@link WalnutOptions#KEY_BYTES_MAX} bytes
     * @param value the value; the record holding it must fit in {@link WalnutOptions#maxRecordBytes()}
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalArgumentException if the key is empty or too long, or the record too large
     * @throws IllegalStateException if the store is closed ({@link ReadOnlyStoreException} if read-only)
     * @throws StorePoisonedException if an earlier write or sync failed
     * @throws IOException if the log cannot be written or synced; the store is then poisoned, and
     *                     the put may or may not be on disk
     */
    public void put(byte[] key, byte[] value) throws IOException {
        write(new WriteBatch().put(key, value));
    }

    /**
     * Deletes {@code key} with the store's default durability: a batch of one delete, with the
     * costs and outcomes of {@link #write(WriteBatch, Durability)}. Deleting an absent key is
     * allowed and still writes a record.
     *
     * @param key 1 to {@link WalnutOptions#KEY_BYTES_MAX} bytes
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if the key is empty or too long
     * @throws IllegalStateException if the store is closed ({@link ReadOnlyStoreException} if read-only)
     * @throws StorePoisonedException if an earlier write or sync failed
     * @throws IOException if the log cannot be written or synced; the store is then poisoned, and
     *                     the delete may or may not be on disk
     */
    public void delete(byte[] key) throws IOException {
        write(new WriteBatch().delete(key));
    }

    /**
     * Applies {@code batch} atomically with the store's default durability
     * ({@link WalnutOptions#durability()}); see {@link #write(WriteBatch, Durability)}.
     *
     * @param batch one or more operations
     * @throws NullPointerException if {@code batch} is null
     * @throws IllegalArgumentException if the batch is empty or does not fit in maxRecordBytes
     * @throws IllegalStateException if the store is closed ({@link ReadOnlyStoreException} if read-only)
     * @throws StorePoisonedException if an earlier write or sync failed
     * @throws IOException if the log cannot be written or synced; the store is then poisoned
     */
    public void write(WriteBatch batch) throws IOException {
        write(batch, options.durability());
    }

    /**
     * Applies every operation of {@code batch} atomically as one record, with {@code durability}
     * for this write. The caller joins the group-commit queue and blocks, uninterruptibly, until
     * its group is done. The group's leader encodes every batch queued (up to 4 MiB) into one
     * buffer and writes it with one append, issues one fsync if any write of the group asked for
     * {@link Durability#SYNC}, then makes the group visible to readers. So a {@code SYNC} write
     * returns durable and visible at the cost of its share of one append and one fsync; a
     * {@code BACKGROUND} or {@code MANUAL} write returns visible but not yet durable, with no fsync
     * and no append: its record waits in a bounded user-space buffer ({@link #flush}).
     * Once the active segment has reached {@code segmentBytes}, a group first rotates it (up to
     * three fsyncs). The in-memory index keeps the batch's copies of keys and values.
     *
     * <p>Fail-stop: a write that returns is visible and durable as its mode says; a write that
     * throws is not visible. One refused before anything reached the log (invalid, closed,
     * poisoned, or a segment that could not be created) is also absent after recovery; one whose
     * append or fsync failed may be recovered, whole, never in part.
     *
     * @param batch      one or more operations
     * @param durability when this write counts as done
     * @throws NullPointerException if {@code batch} or {@code durability} is null
     * @throws IllegalArgumentException if the batch is empty or does not fit in maxRecordBytes
     * @throws IllegalStateException    if the store is closed ({@link ReadOnlyStoreException} if read-only)
     * @throws StorePoisonedException   if an earlier write or sync failed
     * @throws IOException              if the log cannot be written or synced; the store is then poisoned
     */
    public void write(WriteBatch batch, Durability durability) throws IOException {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(durability, "durability");
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("empty batch: a batch needs at least one put or delete");
        }
        long recordBytes = WalnutOptions.RECORD_OVERHEAD_BYTES + BatchCodec.encodedBytesMax(batch.ops());
        if (recordBytes > options.maxRecordBytes()) {
            throw new IllegalArgumentException("batch too large: recordBytes=" + recordBytes + " maxRecordBytes="
                    + options.maxRecordBytes());
        }
        checkWritable();
        pipeline.write(batch, durability);
    }

    /**
     * Makes every acknowledged write durable: it queues like a write and issues at most one fsync,
     * shared with any group in flight, and none if every write is durable already.
     *
     * @throws IllegalStateException if the store is closed ({@link ReadOnlyStoreException} if read-only)
     * @throws StorePoisonedException if an earlier write or sync failed: earlier writes may not be durable
     * @throws IOException if the fsync fails; the store is then poisoned
     */
    public void sync() throws IOException {
        checkWritable();
        pipeline.sync();
    }

    /**
     * Writes every acknowledged write that is still in the store's user-space buffer to the log
     * file, without fsync: when it returns, those writes survive a process kill (the OS page cache
     * holds them), not a power loss or an OS crash. Unsynced writes ({@link Durability#BACKGROUND},
     * {@link Durability#MANUAL}) wait in that buffer, at most {@code LogWriter.PENDING_BYTES_MAX}
     * bytes, so that a put costs no write syscall; a sync, a rotation and close flush it too. Queues
     * like a write; costs one write syscall if anything is buffered, none otherwise.
     *
     * @throws IllegalStateException if the store is closed ({@link ReadOnlyStoreException} if read-only)
     * @throws StorePoisonedException if an earlier write or sync failed
     * @throws IOException if the write fails; the store is then poisoned
     */
    public void flush() throws IOException {
        checkWritable();
        pipeline.flush();
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
     * then deletes the segments it replaces. Crash-safe at every step. The caller blocks for the
     * whole pass; writers wait only for a segment rotation at the start (up to three fsyncs) and,
     * at the end, for the new in-memory index to be installed (a sort of the live keys' references
     * and a pass over the writes made since the previous index). It reads memory, not the log: it
     * writes every live key and value once into {@code base-N.log} (one append per record of about
     * 256 KiB) and syncs it, switches the MANIFEST (write a temp file, fsync, rename, fsync the
     * directory), then deletes the retired files and fsyncs the directory. It builds the next
     * in-memory index beside the current one, so heap use peaks near twice the live data. Waits for
     * a running compaction or checkpoint.
     *
     * @throws IllegalStateException if the store is closed ({@link ReadOnlyStoreException} if read-only)
     * @throws StorePoisonedException if an earlier write or sync failed
     * @throws IOException if the rotation fails (the store is then poisoned), or a later step fails
     *                     (the store is not poisoned and serves its in-memory state; the next
     *                     open finishes or discards the interrupted step)
     */
    public void compact() throws IOException {
        checkWritable();
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
            ReplayIndex folded = new ReplayIndex(options.hashSeed(), index.files());
            Compactor.Result result;
            try {
                // The index writer must not be writing a file of a segment this compaction retires.
                synchronized (indexingLock) {
                    result = compactor.compact(index, point[0], firstLive[0], folded, switched -> manifest = switched);
                }
            } finally {
                index.release(point[0]);
            }
            List<Integer> retired = index.files().slotsRetiredBy(firstLive[0], Manifest.baseName(firstLive[0]));
            pipeline.exclusive(w -> index.fold(folded, point[0].sequence(), retired));
            compactions++;
            measureLog();
            if (WalnutEvents.recording()) {
                WalnutEvents.CompactionEvent event = new WalnutEvents.CompactionEvent();
                event.baseSequence = result.baseSequence();
                event.entries = result.entries();
                event.baseBytes = result.baseBytes();
                event.retiredFiles = result.retiredFiles();
                event.commit();
            }
            LOG.log(System.Logger.Level.DEBUG, "compacted: " + result);
        }
    }

    /**
     * At open and in the leader's turn after a rotation: compaction runs on the background thread,
     * never here. Due when the log outgrows the live data by the configured ratio, or when opens
     * (each starts a segment) have left more than {@link #SEGMENTS_COMPACTION_TRIGGER} segments that
     * are on average less than half full.
     */
    private void maybeScheduleCompaction() {
        double ratio = options.compactionRatio();
        long logBytes = logBytes();
        int segments = segments();
        boolean due = ratio > 0 && ((logBytes >= 2 * options.segmentBytes() && logBytes > ratio * index.liveBytes())
                || (segments > SEGMENTS_COMPACTION_TRIGGER && logBytes < segments * (options.segmentBytes() / 2)));
        if (due && !closed && compactionScheduled.compareAndSet(false, true)) {
            try {
                background.execute(this::compactInBackground);
            } catch (RejectedExecutionException e) {
                // close() has stopped the background thread: nothing to compact for any more. The
                // write whose turn called this hook must not fail because of it.
                compactionScheduled.set(false);
            }
        }
    }

    private final AtomicBoolean indexingScheduled = new AtomicBoolean();

    /**
     * In the leader's turn after a rotation, and at open: the background thread writes the index
     * file of each sealed segment that lacks one, so the next open reads keys and locations
     * instead of the segment's records. Must not throw.
     */
    private void scheduleIndexing() {
        if (closed || !options.backgroundIndexing() || !indexingScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            background.execute(this::indexInBackground);
        } catch (RejectedExecutionException e) {
            indexingScheduled.set(false); // closing: the next open replays what has no index file
        }
    }

    private void indexInBackground() {
        indexingScheduled.set(false);
        try {
            synchronized (indexingLock) {
                writeMissingIndexFiles(() -> closed);
            }
        } catch (IOException | RuntimeException e) {
            // Derived data: without it the next open replays the segment; the store's writes are unaffected.
            LOG.log(System.Logger.Level.WARNING, "writing an index file failed: " + e);
        }
    }

    /**
     * Writes now, on the caller's thread, the index file of every sealed segment that lacks one, so
     * the next open reads keys and locations instead of those segments' records. The background
     * thread does this after each rotation unless {@link WalnutOptions#backgroundIndexing()} is
     * off. Costs one sequential read of each such segment and one write of its keys and locations
     * (two fsyncs, temp file and rename); writers are not held.
     *
     * @return how many index files it wrote
     * @throws IllegalStateException if the store is closed ({@link ReadOnlyStoreException} if read-only)
     * @throws IOException on an I/O error; the store's data is untouched, and the next open replays
     *                     what has no index file
     */
    public int writeIndexFiles() throws IOException {
        checkWritable();
        synchronized (indexingLock) {
            return writeMissingIndexFiles(() -> false);
        }
    }

    /** The base's index file if the MANIFEST says it has one and it is gone, then the segments'. */
    private int writeMissingIndexFiles(java.util.function.BooleanSupplier stop) throws IOException {
        Manifest m = manifest;
        int written = 0;
        if (m != null && m.baseIndexed()) {
            String base = Manifest.baseName(m.baseNumber());
            if (storage.exists(base) && !storage.exists(dev.walnut.format.IndexFile.nameFor(base))) {
                IndexFiles.writeForBase(storage, base, m.baseSequence(), options.readWindowBytes());
                written++;
            }
        }
        return written + IndexFiles.writeMissing(storage, m == null ? 0 : m.firstLiveSegment(),
                options.readWindowBytes(), stop);
    }

    /** One writer of index files at a time: the background thread, or a test. */
    private final Object indexingLock = new Object();

    private void compactInBackground() {
        try {
            if (!closed) {
                compact();
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "automatic compaction failed: " + e.getMessage());
        } finally {
            compactionScheduled.set(false);
        }
    }

    // ---- checkpoints ----

    /**
     * Writes a consistent, openable copy of the store as of one sequence number into {@code target}
     * while writes go on, and returns that sequence: the copy holds exactly the writes up to it.
     * Writers wait only for one segment rotation (two fsyncs, three if writes were unsynced); the
     * copy itself runs outside the commit path. Files below the active segment are immutable, so on
     * a real directory they are hard-linked where the file system allows (no bytes copied) and
     * copied otherwise, through a bounded buffer. Every copied file and the target directory are
     * synced before it returns. Compaction waits while a checkpoint copies. Open the copy with
     * {@link #open(Path)} like any store.
     *
     * @param target a directory that does not exist yet or is empty
     * @return the sequence number of the last write the copy holds
     * @throws java.nio.file.DirectoryNotEmptyException if {@code target} holds files
     * @throws IllegalStateException if the store is closed ({@link ReadOnlyStoreException} if read-only)
     * @throws StorePoisonedException if an earlier write failed
     * @throws IOException if reading the store or writing the copy fails; a partial copy may remain
     */
    public long checkpoint(Path target) throws IOException {
        Objects.requireNonNull(target, "target");
        checkWritable();
        CheckpointCopier.prepareTarget(target);
        synchronized (compactionLock) {
            checkOpen();
            long[] cut = new long[2];
            // The rotation syncs the active segment whole and starts its successor: every segment
            // below the new one is then durable and never written again.
            pipeline.exclusive(w -> {
                w.rotate();
                cut[0] = w.segmentNumber();
                cut[1] = w.lastSequence();
            });
            Manifest current = manifest;
            CheckpointCopier.Result result = CheckpointCopier.copy(storage, checkpointFiles(current, cut[0]), target,
                    current == null ? null : current.encode());
            LOG.log(System.Logger.Level.DEBUG, "checkpoint: sequence=" + cut[1] + " " + result + " target=" + target);
            return cut[1];
        }
    }

    /**
     * The base {@code current} names and the live segments below {@code activeSegment}. The
     * MANIFEST is written from memory, not copied: under salvage the one on disk may be damaged.
     */
    private List<String> checkpointFiles(Manifest current, long activeSegment) throws IOException {
        long firstLive = current == null ? 0 : current.firstLiveSegment();
        List<String> names = new java.util.ArrayList<>();
        if (current != null && current.baseNumber() != 0) {
            names.add(Manifest.baseName(current.baseNumber()));
        }
        for (String name : storage.list()) {
            long number = RecordFormat.segmentNumberOf(name);
            if (number >= firstLive && number < activeSegment && number >= 0) {
                names.add(name);
            }
        }
        return names;
    }

    // ---- introspection ----

    private long logBytes() {
        return logBytesBeforeWriter + (readOnly ? 0 : writer.bytesWritten());
    }

    private int segments() {
        return segmentsBeforeWriter + (readOnly ? 0 : writer.segmentsCreated());
    }

    /**
     * Counters of this store since open; cheap (no I/O, no lock).
     *
     * @return a snapshot of the figures; they are read one by one, so under writes they may be
     *         from slightly different moments
     * @throws IllegalStateException if the store is closed
     */
    public Stats stats() {
        checkOpen();
        long fsyncs = readOnly ? 0 : writer.fsyncs();
        long writes = readOnly ? 0 : pipeline.writes();
        long lastSequence = readOnly ? recoveryReport.lastSequence() : writer.lastSequence();
        return new Stats(index.liveKeys(), index.liveBytes(), logBytes(), segments(), lastSequence, fsyncs, writes,
                fsyncs == 0 ? 0 : (double) writes / fsyncs, compactions);
    }

    /**
     * Data files this store holds a read handle on: the live segments and base, and files a
     * compaction retired that a snapshot or cursor of the older state may still read. Cheap.
     *
     * @return the number of open read handles
     */
    public int openDataFiles() {
        return index.files().openHandles();
    }

    /**
     * Live keys in memory; cheap (a volatile read).
     *
     * @return keys with a value, as of the last write applied
     * @throws IllegalStateException if the store is closed
     */
    public long size() {
        checkOpen();
        return index.liveKeys();
    }

    /**
     * What the open found and did; still available after close.
     *
     * @return the report of the recovery that opened this store
     */
    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    /**
     * The options this store was opened with.
     *
     * @return the options, seeds included
     */
    public WalnutOptions options() {
        return options;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }

    private void checkWritable() {
        checkOpen();
        if (readOnly) {
            throw new ReadOnlyStoreException("store is open read-only: writes, sync, compact and checkpoint are"
                    + " refused (directory=" + storage + ")");
        }
    }

    /**
     * Whether this store was opened by {@link #openReadOnly}.
     *
     * @return true if every change is refused
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * Waits for a running compaction and for the background thread to stop, seals the active
     * segment (proof of a clean close) and syncs it, then releases the lock. When it returns, every
     * write acknowledged before it is durable. Costs one append (the seal) and up to two fsyncs
     * (unsynced writes, then the seal). Writes racing it either complete first or fail with
     * {@link IllegalStateException}. A read-only store only releases its storage, if it owns it.
     * Idempotent: a later call returns at once, or throws again what the first one threw.
     *
     * @throws StorePoisonedException if an earlier write or sync failed: the log cannot be sealed,
     *                                and writes acknowledged without {@code SYNC} may not be durable
     * @throws IOException            if the seal or its sync fails; the files are released anyway
     */
    @Override
    public void close() throws IOException {
        synchronized (compactionLock) {
            if (closed) {
                if (closeFailure != null) {
                    // A close that could not seal stays a failure: a retry must not read as success.
                    throw closeFailure;
                }
                return;
            }
            closed = true;
        }
        if (readOnly) {
            IOException failure = closeQuietly(index.files(), null);
            if (ownsStorage) {
                failure = closeQuietly(storage, failure);
            }
            if (failure != null) {
                throw failure;
            }
            return;
        }
        stopBackground();
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
        failure = closeQuietly(index.files(), failure);
        failure = closeQuietly(lock, failure);
        if (ownsStorage) {
            failure = closeQuietly(storage, failure);
        }
        if (failure != null) {
            closeFailure = failure;
            throw failure;
        }
    }

    /**
     * Stops the background thread without interrupting it: an interrupted {@code FileChannel.force}
     * closes the channel, which would fail the seal. A periodic sync in progress finishes; queued
     * compactions find the store closed and return.
     */
    private void stopBackground() {
        background.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (background.awaitTermination(BACKGROUND_STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                    break;
                }
                LOG.log(System.Logger.Level.WARNING, "close() still waiting for the background thread (a slow fsync?)");
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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
