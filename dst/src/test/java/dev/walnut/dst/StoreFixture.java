package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.walnut.Cursor;
import dev.walnut.Durability;
import dev.walnut.KeyRange;
import dev.walnut.KeyValue;
import dev.walnut.RecoveryPolicy;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A store on a {@link SimulatedStorage} with small segments, and byte-level tools for scenarios. */
final class StoreFixture {

    /** One record found by walking a segment's bytes from its header. */
    record Rec(int offsetBytes, int lengthBytes, long sequence, int flags) {
        int endBytes() {
            return offsetBytes + lengthBytes;
        }
    }

    final SimulatedStorage storage;
    final WalnutOptions options;

    StoreFixture(long seed) {
        this(seed, 4096);
    }

    StoreFixture(long seed, long segmentBytes) {
        this.storage = new SimulatedStorage("fixture", seed);
        this.options = WalnutOptions.builder().segmentBytes(segmentBytes).readWindowBytes(4096)
                .maxRecordBytes(64 * 1024).compression(false).compactionRatio(0).seed(seed).build();
        Simulator.quietKernelLogging();
    }

    Walnut open() throws IOException {
        return open(RecoveryPolicy.TOLERATE_TORN_TAIL);
    }

    Walnut open(RecoveryPolicy policy) throws IOException {
        return Walnut.open(storage, options.toBuilder().recoveryPolicy(policy).build());
    }

    /** The process dies with {@code db} open (never closed: a close would seal the log), and maybe the machine. */
    void crash(Walnut db, CrashMode mode) {
        storage.crash(mode);
        Abandon.store(db);
    }

    /** Work that may die in a simulated crash. */
    interface StoreWork {
        void run(Walnut db) throws IOException;
    }

    /**
     * Opens, runs {@code work} and closes; if the process dies inside (a {@link SimulatedCrash}),
     * crashes the storage with {@code mode} instead of closing. Returns whether it crashed.
     */
    boolean runOrCrash(StoreWork work, CrashMode mode) throws IOException {
        Walnut db = null;
        try {
            db = open();
            work.run(db);
        } catch (SimulatedCrash e) {
            crash(db, mode);
            return true;
        }
        db.close();
        return false;
    }

    static String key(int i) {
        return String.format("key-%04d", i);
    }

    static String value(int i, int bytes) {
        StringBuilder out = new StringBuilder("value-" + i + "-");
        while (out.length() < bytes) {
            out.append((char) ('a' + (i + out.length()) % 26));
        }
        return out.toString();
    }

    static void put(Walnut db, int i, int valueBytes, Durability durability) throws IOException {
        db.write(new dev.walnut.WriteBatch().put(bytes(key(i)), bytes(value(i, valueBytes))), durability);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, String> state(Walnut db) {
        TreeMap<String, String> out = new TreeMap<>();
        try (Cursor c = db.scan(KeyRange.all())) {
            while (c.hasNext()) {
                KeyValue kv = c.next();
                out.put(new String(kv.key(), StandardCharsets.UTF_8), new String(kv.value(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The state after puts 0..count-1 of {@link #value}(i, bytes). */
    static Map<String, String> expected(int from, int count, int valueBytes) {
        TreeMap<String, String> out = new TreeMap<>();
        for (int i = from; i < from + count; i++) {
            out.put(key(i), value(i, valueBytes));
        }
        return out;
    }

    static void assertHolds(Map<String, String> expected, Walnut db) {
        Map<String, String> actual = state(db);
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertEquals(e.getValue(), actual.get(e.getKey()), "key=" + e.getKey() + "\n"
                    + db.recoveryReport().describe());
        }
    }

    List<String> segments() throws IOException {
        List<String> out = new ArrayList<>();
        for (String name : storage.list()) {
            if (DamageJudge.segmentNumber(name) >= 0) {
                out.add(name);
            }
        }
        return out;
    }

    /** The newest segment holding at least one record. */
    String lastSegmentWithRecords() throws IOException {
        List<String> all = segments();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (!records(all.get(i)).isEmpty()) {
                return all.get(i);
            }
        }
        throw new IllegalStateException("no records");
    }

    /** Walks the records of a segment from its header until the bytes stop looking like one. */
    List<Rec> records(String name) {
        byte[] file = storage.bytes(name);
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Rec> out = new ArrayList<>();
        int at = RecordLedger.SEGMENT_HEADER_BYTES;
        while (file.length - at >= RecordLedger.RECORD_HEADER_BYTES + RecordLedger.PREAMBLE_BYTES) {
            long payload = Integer.toUnsignedLong(in.getInt(at));
            if (payload < RecordLedger.PREAMBLE_BYTES || at + 12 + payload > file.length) {
                break;
            }
            int p = at + RecordLedger.RECORD_HEADER_BYTES;
            out.add(new Rec(at, (int) (12 + payload), in.getLong(p + 1), in.get(p) & 0xFF));
            at += (int) (12 + payload);
        }
        return out;
    }

    byte[] file(String name) {
        return storage.bytes(name);
    }

    void setFile(String name, byte[] bytes) {
        storage.setBytes(name, bytes);
    }
}
