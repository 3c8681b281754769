package dev.walnut.cli;

import dev.walnut.RecoveryPolicy;
import dev.walnut.WalnutOptions;
import dev.walnut.format.BatchCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.recovery.Recovery;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Replays a store's log strictly read-only, under the store's lock: the same replay an open does
 * (so the same state and the same damage report), without creating the directory, a segment or any
 * other file. Memory is the reader's window plus the largest record, plus what the sink keeps.
 */
final class LogReplay {

    /**
     * The limit a read-only codec is built with. The reader bounds every record by its own segment
     * header's limit (the writer's maxRecordBytes), so this one decides nothing; it is the largest legal
     * value so that it can never be the tighter bound.
     */
    static final int READ_LIMIT_BYTES = RecordFormat.RECORD_BYTES_LIMIT_MAX;

    private LogReplay() {
    }

    /** Settings for a read-only replay under {@code policy}; see {@link #READ_LIMIT_BYTES}. */
    static Recovery.Settings settings(RecoveryPolicy policy) {
        return new Recovery.Settings(policy, READ_LIMIT_BYTES, WalnutOptions.READ_WINDOW_BYTES_DEFAULT);
    }

    static Recovery.Outcome run(Path directory, Recovery.Settings settings, BatchCodec.OpSink sink, Console console,
                                String label) throws IOException {
        StoreDirectory.requireStore(directory);
        try (ReadOnlyWalStorage storage = new ReadOnlyWalStorage(directory);
             Closeable lock = storage.lock();
             Progress progress = new Progress(console, label)) {
            long totalBytes = segmentBytes(directory);
            BatchCodec.OpSink counted = new BatchCodec.OpSink() {
                @Override
                public void put(byte[] key, byte[] value) {
                    sink.put(key, value);
                    progress.tick(() -> "read " + Progress.mebibytes(storage.bytesRead(), totalBytes));
                }

                @Override
                public void delete(byte[] key) {
                    sink.delete(key);
                    progress.tick(() -> "read " + Progress.mebibytes(storage.bytesRead(), totalBytes));
                }
            };
            return Recovery.run(console.readStorage().apply(storage), settings, counted);
        }
    }

    /** True for the files that hold log records: segments and a compacted base. */
    static boolean isLogFile(String name) {
        return RecordFormat.segmentNumberOf(name) >= 0 || BASE_NAME.matcher(name).matches();
    }

    /** Manifest.baseName's pattern. */
    private static final java.util.regex.Pattern BASE_NAME = java.util.regex.Pattern.compile("base-[0-9]{10}\\.log");

    /** The bytes of every log file (segments and base), the denominator of progress. */
    static long segmentBytes(Path directory) throws IOException {
        long total = 0;
        try (var entries = java.nio.file.Files.list(directory)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (isLogFile(p.getFileName().toString())) {
                    total += java.nio.file.Files.size(p);
                }
            }
        }
        return total;
    }

    /** A sink that keeps nothing, for commands that only need the report. */
    static final BatchCodec.OpSink DISCARD = new BatchCodec.OpSink() {
        @Override
        public void put(byte[] key, byte[] value) {
        }

        @Override
        public void delete(byte[] key) {
        }
    };
}
