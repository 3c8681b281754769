package dev.walnut.cli;

import dev.walnut.format.BatchCodec;
import dev.walnut.store.ByteKey;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns the log's operations, in log order, into the live state in key order, with memory bounded
 * by a run budget plus the largest entry, however large the store: an external merge sort. Ops are
 * collected in a hash map (the last op on a key wins) until the budget is used, then spilled as a
 * sorted run to a private temporary directory; the runs are merged, the newest run winning a key,
 * and deletes (tombstones) dropped. A store whose filtered state fits the budget never touches disk.
 */
final class SortedLiveState implements BatchCodec.OpSink, AutoCloseable {

    static final long RUN_BYTES_MAX = 16L * 1024 * 1024;
    /** A quarter of the heap: recovery's window and largest record, and the output, need the rest. */
    static final int HEAP_FRACTION_FOR_RUNS = 4;
    /** Estimated heap per map entry beyond key and value bytes: node, ByteKey, array headers, table slot. */
    static final int ENTRY_OVERHEAD_BYTES = 112;
    static final byte[] TOMBSTONE = new byte[0];

    private final KeyFilter filter;
    private final Path tempParent;
    private final long runBytesMax;
    private final List<Path> runs = new ArrayList<>();
    private Map<ByteKey, byte[]> current = new HashMap<>();
    private long currentBytes;
    private Path tempDirectory;

    SortedLiveState(KeyFilter filter, Path tempParent) {
        this(filter, tempParent, Math.min(RUN_BYTES_MAX, Runtime.getRuntime().maxMemory() / HEAP_FRACTION_FOR_RUNS));
    }

    SortedLiveState(KeyFilter filter, Path tempParent, long runBytesMax) {
        this.filter = filter;
        this.tempParent = tempParent;
        this.runBytesMax = runBytesMax;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        if (filter.accepts(key)) {
            remember(key, value);
        }
    }

    @Override
    public void delete(byte[] key) {
        if (filter.accepts(key)) {
            remember(key, TOMBSTONE);
        }
    }

    private void remember(byte[] key, byte[] valueOrTombstone) {
        byte[] previous = current.put(new ByteKey(key), valueOrTombstone);
        currentBytes += valueOrTombstone.length;
        if (previous != null) {
            currentBytes -= previous.length;
        } else {
            currentBytes += key.length + ENTRY_OVERHEAD_BYTES;
        }
        if (currentBytes >= runBytesMax) {
            try {
                spill();
            } catch (IOException e) {
                // OpSink cannot throw IOException; LogReplay's caller unwraps it.
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Runs spilled to disk so far (0 when the state fit in memory). */
    int runCount() {
        return runs.size();
    }

    /** Streams the live entries in unsigned key order to {@code sink}; call once, after the replay. */
    void emit(EntrySink sink) throws IOException {
        if (runs.isEmpty()) {
            emitFromMemory(sink);
            return;
        }
        spill();
        new RunMerger(runs, this::newRunPath).merge(sink);
    }

    private void emitFromMemory(EntrySink sink) throws IOException {
        ByteKey[] keys = sortedKeys();
        for (ByteKey key : keys) {
            byte[] value = current.get(key);
            if (value != TOMBSTONE) {
                sink.accept(key.bytes(), value);
            }
        }
    }

    private ByteKey[] sortedKeys() {
        ByteKey[] keys = current.keySet().toArray(new ByteKey[0]);
        Arrays.sort(keys, Comparator.naturalOrder());
        return keys;
    }

    private void spill() throws IOException {
        if (current.isEmpty()) {
            return;
        }
        Path run = newRunPath();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run),
                RunMerger.RUN_BUFFER_BYTES))) {
            for (ByteKey key : sortedKeys()) {
                byte[] value = current.get(key);
                RunMerger.writeEntry(out, key.bytes(), value == TOMBSTONE ? null : value);
            }
        }
        runs.add(run);
        current = new HashMap<>();
        currentBytes = 0;
    }

    private Path newRunPath() throws IOException {
        if (tempDirectory == null) {
            tempDirectory = Files.createTempDirectory(tempParent, "walnut-sort-");
        }
        return Files.createTempFile(tempDirectory, "run-", ".tmp");
    }

    /** Deletes every run and the private temporary directory. */
    @Override
    public void close() throws IOException {
        current = new HashMap<>();
        if (tempDirectory == null) {
            return;
        }
        try (Stream<Path> files = Files.list(tempDirectory)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(tempDirectory);
        tempDirectory = null;
    }
}
