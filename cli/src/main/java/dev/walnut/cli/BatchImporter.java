package dev.walnut.cli;

import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes imported entries in atomic batches. The store is opened only when the first batch is
 * complete, so an input that fails inside its first batch creates and changes nothing; a batch is
 * written only once every entry of it has been read and checked, so a malformed entry never leaves
 * a batch half-applied.
 */
final class BatchImporter implements EntrySink, AutoCloseable {

    static final long BATCH_BYTES_TARGET = 1024 * 1024;
    static final int BATCH_OPS_MAX = 10_000;
    /**
     * What a batch of one put costs beyond its key and value (op framing plus batch framing), as
     * the kernel's public {@link WriteBatch#estimatedBytes()} counts it.
     */
    static final long ONE_PUT_OVERHEAD_BYTES = new WriteBatch().put(new byte[1], new byte[0]).estimatedBytes() - 1;
    /** What a record costs beyond its body, as the kernel counts it. */
    static final int RECORD_FRAMING_BYTES = WalnutOptions.RECORD_OVERHEAD_BYTES;

    static {
        // The smallest store must still take a single-byte key with a value.
        if (RECORD_FRAMING_BYTES + ONE_PUT_OVERHEAD_BYTES + 1 >= WalnutOptions.MAX_RECORD_BYTES_MIN) {
            throw new ExceptionInInitializerError("record overhead leaves no room for an entry");
        }
    }

    private final Path directory;
    private final WalnutOptions options;
    private final long batchBytesMax;
    private final Progress progress;
    private Walnut db;
    private WriteBatch batch = new WriteBatch();
    private long entries;
    private long batches;

    BatchImporter(Path directory, WalnutOptions options, Progress progress) {
        this.directory = directory;
        this.options = options;
        this.batchBytesMax = Math.min(BATCH_BYTES_TARGET, entryBytesMax(options.maxRecordBytes()));
        this.progress = progress;
    }

    /** The largest key + value that fits one record of a store with this maxRecordBytes. */
    static long entryBytesMax(int maxRecordBytes) {
        return maxRecordBytes - RECORD_FRAMING_BYTES - ONE_PUT_OVERHEAD_BYTES;
    }

    @Override
    public void accept(byte[] key, byte[] value) throws IOException {
        long bytes = (long) key.length + value.length + ONE_PUT_OVERHEAD_BYTES;
        if (!batch.isEmpty() && (batch.estimatedBytes() + bytes > batchBytesMax || batch.size() >= BATCH_OPS_MAX)) {
            flush();
        }
        batch.put(key, value);
        entries++;
        progress.update(entries);
    }

    private void flush() throws IOException {
        if (db == null) {
            db = Walnut.open(directory, options);
        }
        if (!batch.isEmpty()) {
            db.write(batch);
            batches++;
            batch = new WriteBatch();
        }
    }

    /** Writes the last batch; opens (creating) the store even for an empty input. */
    void finish() throws IOException {
        flush();
    }

    long entries() {
        return entries;
    }

    long batches() {
        return batches;
    }

    /** Entries that were read but are not in the store (the pending batch, when the input failed). */
    long pending() {
        return batch.size();
    }

    @Override
    public void close() throws IOException {
        if (db != null) {
            db.close();
        }
    }
}
