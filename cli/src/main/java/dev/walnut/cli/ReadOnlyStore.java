package dev.walnut.cli;

import dev.walnut.LogInspector;
import dev.walnut.RecoveryPolicy;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How every read-only command reaches a store: through the kernel's public read path only. The
 * storage is {@link FileChannelWalStorage#readOnly}, which refuses every change, and the store is
 * {@link Walnut#openReadOnly}: one pass over the log, no file created, changed or locked, so it
 * works on a read-only directory and beside other readers. While the log is read, the bytes read
 * are shown as progress against the log's size.
 */
final class ReadOnlyStore implements AutoCloseable {

    private final MeteredStorage storage;
    private final Walnut db;

    private ReadOnlyStore(MeteredStorage storage, Walnut db) {
        this.storage = storage;
        this.db = db;
    }

    /** Opens the store in {@code directory} read-only under {@code policy}. */
    static ReadOnlyStore open(Path directory, RecoveryPolicy policy, Console console, ProgressOption progress,
                              String label) throws IOException {
        MeteredStorage storage = storage(directory, console, progress, label);
        try {
            Walnut db = Walnut.openReadOnly(storage, options(policy));
            storage.logRead();
            return new ReadOnlyStore(storage, db);
        } catch (IOException | RuntimeException | Error e) {
            storage.close();
            throw e;
        }
    }

    /** The read-only storage of a store directory (checked to be one), metered for progress. */
    static MeteredStorage storage(Path directory, Console console, ProgressOption progress, String label)
            throws IOException {
        StoreDirectory.requireStore(directory);
        return storage(directory, console, progress.start(console, label + ": reading log", Progress.Unit.BYTES,
                logBytes(directory)));
    }

    /** The read-only storage of a store directory, metered into {@code progress} (which may be {@link Progress#OFF}). */
    static MeteredStorage storage(Path directory, Console console, Progress progress) throws IOException {
        StoreDirectory.requireStore(directory);
        return new MeteredStorage(console.readStorage().apply(FileChannelWalStorage.readOnly(directory)), progress);
    }

    static WalnutOptions options(RecoveryPolicy policy) {
        return WalnutOptions.builder().recoveryPolicy(policy).build();
    }

    Walnut db() {
        return db;
    }

    /** The bytes of every log file (segments and base): what a read-only open reads. */
    static long logBytes(Path directory) throws IOException {
        long total = 0;
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (LogInspector.isLogFileName(p.getFileName().toString())) {
                    total += Files.size(p);
                }
            }
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        try {
            db.close();
        } finally {
            storage.close();
        }
    }

    /** Counts the bytes read through it into a {@link Progress}; it ends that progress when closed. */
    static final class MeteredStorage extends ForwardingWalStorage {
        private final Progress progress;
        private long bytesRead;

        MeteredStorage(WalStorage inner, Progress progress) {
            super(inner);
            this.progress = progress;
        }

        /** The log has been read: the progress line is done, though the storage stays open for reads. */
        void logRead() {
            progress.close();
        }

        @Override
        protected WalFile wrap(String name, WalFile file) {
            return new ForwardingWalFile(file) {
                @Override
                public int read(long offsetBytes, ByteBuffer target) throws IOException {
                    int n = super.read(offsetBytes, target);
                    if (n > 0) {
                        bytesRead += n;
                        progress.update(bytesRead);
                    }
                    return n;
                }
            };
        }

        @Override
        public void close() throws IOException {
            progress.close();
            super.close();
        }
    }
}
