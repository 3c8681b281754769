package dev.walnut;

import dev.walnut.format.RecordCodec;
import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalStorage;
import dev.walnut.log.LogWriter;
import dev.walnut.recovery.Recovery;
import dev.walnut.store.ByteKey;
import dev.walnut.store.ReplayIndex;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An embedded key-value store backed by a write-ahead log. {@link #open} replays the log with
 * bounded memory, classifies any damage under the options' {@link RecoveryPolicy}, and continues the
 * log in a new segment. Every write is durable when it returns.
 *
 * <pre>{@code
 * try (Walnut db = Walnut.open(Path.of("data"))) {
 *     db.put(key, value);
 *     byte[] v = db.get(key);
 * }
 * }</pre>
 */
public final class Walnut implements AutoCloseable {

    private final WalStorage storage;
    private final boolean ownsStorage;
    private final Closeable lock;
    private final WalnutOptions options;
    private final RecoveryReport recoveryReport;
    private final ConcurrentSkipListMap<ByteKey, byte[]> index;
    private final LogWriter writer;
    private IOException poison;
    private boolean closed;

    private Walnut(WalStorage storage, boolean ownsStorage, Closeable lock, WalnutOptions options,
                   RecoveryReport report, ConcurrentSkipListMap<ByteKey, byte[]> index, LogWriter writer) {
        this.storage = storage;
        this.ownsStorage = ownsStorage;
        this.lock = lock;
        this.options = options;
        this.recoveryReport = report;
        this.index = index;
        this.writer = writer;
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
            ReplayIndex replay = new ReplayIndex();
            Recovery.Outcome outcome = Recovery.run(storage,
                    new Recovery.Settings(options.recoveryPolicy(), options.maxRecordBytes(), options.readWindowBytes()),
                    replay);
            quarantine(storage, outcome.quarantine());
            Recovery.LogEnd end = outcome.end();
            LogWriter writer = LogWriter.start(storage, new RecordCodec(options.maxRecordBytes(), options.compression()),
                    options.segmentBytes(), new SplittableRandom(options.seed()),
                    Math.max(end.highestSegmentNumber(), end.segmentNumber()) + 1, end.segmentNumber(),
                    end.validEndBytes(), end.cut(), end.lastSequence() + 1);
            return new Walnut(storage, ownsStorage, lock, options, outcome.report(), replay.toOrdered(), writer);
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

    /** The value of {@code key}, or null if absent. */
    public byte[] get(byte[] key) {
        WriteBatch.checkKey(key);
        byte[] value = index.get(new ByteKey(key));
        return value == null ? null : value.clone();
    }

    public void put(byte[] key, byte[] value) throws IOException {
        write(new WriteBatch().put(key, value));
    }

    public void delete(byte[] key) throws IOException {
        write(new WriteBatch().delete(key));
    }

    /**
     * Applies every operation of {@code batch} atomically and durably: one record, one fsync.
     *
     * @throws IllegalArgumentException if the batch is empty or does not fit in maxRecordBytes
     * @throws IOException              if the log cannot be written; the store is then poisoned
     */
    public synchronized void write(WriteBatch batch) throws IOException {
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("empty batch: a batch needs at least one put or delete");
        }
        checkWritable();
        try {
            writer.append(batch.ops());
            writer.sync();
        } catch (IOException e) {
            poison = e;
            throw e;
        }
        for (WriteBatch.Op op : batch.ops()) {
            if (op.isPut()) {
                index.put(new ByteKey(op.key()), op.value());
            } else {
                index.remove(new ByteKey(op.key()));
            }
        }
        if (writer.rotationDue()) {
            try {
                writer.rotate();
            } catch (IOException e) {
                // The batch is durable, but the log cannot go on: refuse later writes.
                poison = e;
            }
        }
    }

    /** Makes every acknowledged write durable (they already are in this version: each write syncs). */
    public synchronized void sync() throws IOException {
        checkWritable();
        try {
            writer.sync();
        } catch (IOException e) {
            poison = e;
            throw e;
        }
    }

    /** Live keys in memory. */
    public int size() {
        return index.size();
    }

    public RecoveryReport recoveryReport() {
        return recoveryReport;
    }

    public WalnutOptions options() {
        return options;
    }

    private void checkWritable() throws IOException {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        if (poison != null) {
            throw new IOException("store is poisoned by an earlier write or sync failure; reopen to recover: "
                    + poison.getMessage(), poison);
        }
    }

    /** Seals the active segment (proof of a clean close), releases the lock. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        try {
            if (poison == null) {
                writer.seal();
            }
        } catch (IOException e) {
            failure = e;
        }
        failure = closeQuietly(writer, failure);
        failure = closeQuietly(lock, failure);
        if (ownsStorage) {
            failure = closeQuietly(storage, failure);
        }
        if (failure != null) {
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
