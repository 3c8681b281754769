package dev.walnut.cli;

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

    private LogReplay() {
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
            return Recovery.run(storage, settings, counted);
        }
    }

    /** The bytes of every segment file, the denominator of progress. */
    static long segmentBytes(Path directory) throws IOException {
        long total = 0;
        try (var entries = java.nio.file.Files.list(directory)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (RecordFormat.segmentNumberOf(p.getFileName().toString()) >= 0) {
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
