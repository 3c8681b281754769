package dev.walnut.cli;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges sorted runs (oldest first) into one stream in key order, the newest run winning a key.
 * Readers hold only a key each: a value is read only for the winner and skipped for the others, so
 * memory is the fan-in times (buffer + key) plus one value. More runs than {@link #FAN_IN} are
 * first merged in consecutive groups (tombstones kept), which preserves "newest wins".
 *
 * <p>Run entry layout (temporary files of this process only, read back at once): kind u8
 * (1 put, 2 tombstone), keyLength u32, key, and for a put valueLength u32, value.
 */
final class RunMerger {

    static final int FAN_IN = 32;
    static final int RUN_BUFFER_BYTES = 64 * 1024;
    static {
        if (FAN_IN < 2) {
            throw new ExceptionInInitializerError("FAN_IN must merge at least two runs");
        }
    }

    private static final byte KIND_PUT = 1;
    private static final byte KIND_TOMBSTONE = 2;

    /** Creates a fresh run file for an intermediate merge. */
    interface RunFactory {
        Path newRun() throws IOException;
    }

    private final List<Path> runs;
    private final RunFactory factory;

    RunMerger(List<Path> runs, RunFactory factory) {
        this.runs = new ArrayList<>(runs);
        this.factory = factory;
    }

    static void writeEntry(DataOutputStream out, byte[] key, byte[] valueOrNull) throws IOException {
        out.writeByte(valueOrNull == null ? KIND_TOMBSTONE : KIND_PUT);
        out.writeInt(key.length);
        out.write(key);
        if (valueOrNull != null) {
            out.writeInt(valueOrNull.length);
            out.write(valueOrNull);
        }
    }

    void merge(EntrySink sink) throws IOException {
        while (runs.size() > FAN_IN) {
            List<Path> next = new ArrayList<>();
            for (int i = 0; i < runs.size(); i += FAN_IN) {
                List<Path> group = runs.subList(i, Math.min(runs.size(), i + FAN_IN));
                if (group.size() == 1) {
                    next.add(group.get(0));
                    continue;
                }
                Path merged = factory.newRun();
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(merged),
                        RUN_BUFFER_BYTES))) {
                    mergeGroup(group, (key, value) -> writeEntry(out, key, value), true);
                }
                for (Path p : group) {
                    Files.delete(p);
                }
                next.add(merged);
            }
            runs.clear();
            runs.addAll(next);
        }
        mergeGroup(runs, sink::accept, false);
    }

    private interface Emit {
        void entry(byte[] key, byte[] valueOrNull) throws IOException;
    }

    private static void mergeGroup(List<Path> group, Emit emit, boolean keepTombstones) throws IOException {
        List<RunReader> readers = new ArrayList<>();
        try {
            PriorityQueue<RunReader> queue = new PriorityQueue<>((a, b) -> {
                int c = Arrays.compareUnsigned(a.key, b.key);
                return c != 0 ? c : Integer.compare(b.age, a.age); // newest run first
            });
            for (int i = 0; i < group.size(); i++) {
                RunReader r = new RunReader(group.get(i), i);
                readers.add(r);
                if (r.advance()) {
                    queue.add(r);
                }
            }
            while (!queue.isEmpty()) {
                RunReader winner = queue.poll();
                byte[] key = winner.key;
                byte[] value = winner.readValue();
                requeue(queue, winner);
                while (!queue.isEmpty() && Arrays.equals(queue.peek().key, key)) {
                    RunReader older = queue.poll();
                    older.skipValue();
                    requeue(queue, older);
                }
                if (value != null || keepTombstones) {
                    emit.entry(key, value);
                }
            }
        } finally {
            for (RunReader r : readers) {
                r.close();
            }
        }
    }

    private static void requeue(PriorityQueue<RunReader> queue, RunReader r) throws IOException {
        if (r.advance()) {
            queue.add(r);
        }
    }

    /** Reads one run: positioned after an entry's key until its value is read or skipped. */
    private static final class RunReader implements AutoCloseable {
        final int age;
        private final Path path;
        private final DataInputStream in;
        byte[] key;
        private byte kind;

        RunReader(Path path, int age) throws IOException {
            this.path = path;
            this.age = age;
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), RUN_BUFFER_BYTES));
        }

        boolean advance() throws IOException {
            int k = in.read();
            if (k < 0) {
                key = null;
                return false;
            }
            kind = (byte) k;
            if (kind != KIND_PUT && kind != KIND_TOMBSTONE) {
                throw new IOException("temporary run damaged: expected kind=1|2 actual=" + kind + " (file=" + path + ")");
            }
            key = new byte[in.readInt()];
            in.readFully(key);
            return true;
        }

        byte[] readValue() throws IOException {
            if (kind == KIND_TOMBSTONE) {
                return null;
            }
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            return value;
        }

        void skipValue() throws IOException {
            if (kind == KIND_PUT) {
                int length = in.readInt();
                long skipped = in.skip(length);
                while (skipped < length) {
                    long n = in.skip(length - skipped);
                    if (n <= 0) {
                        throw new EOFException("temporary run ends inside a value (file=" + path + ")");
                    }
                    skipped += n;
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
