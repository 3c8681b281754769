package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public, read-only view of a log: what verify and dump-wal print. */
class LogInspectorTest {

    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Collects every event as one line. */
    static final class Lines implements LogVisitor {
        final List<String> lines = new ArrayList<>();

        @Override
        public void segment(Segment s) {
            lines.add("segment " + s.file() + " number=" + s.number() + " first=" + s.firstSequence());
        }

        @Override
        public void record(Record r) {
            lines.add("record " + r.file() + " offset=" + r.offsetBytes() + " sequence=" + r.sequence()
                    + (r.seal() ? " seal" : ""));
        }

        @Override
        public void put(byte[] key, byte[] value) {
            lines.add("  put " + new String(key, StandardCharsets.UTF_8) + "=" + new String(value, StandardCharsets.UTF_8));
        }

        @Override
        public void delete(byte[] key) {
            lines.add("  delete " + new String(key, StandardCharsets.UTF_8));
        }

        @Override
        public void damage(Damage d) {
            lines.add("damage " + d.file() + " offset=" + d.offsetBytes() + " resume=" + d.resumeOffsetBytes());
        }

        @Override
        public void segmentEnd(String file, long end) {
            lines.add("end " + file + " offset=" + end);
        }
    }

    private Path store() throws IOException {
        Path store = dir.resolve("s");
        try (Walnut db = Walnut.open(store, WalnutOptions.builder().seed(2).compression(false).build())) {
            db.put(b("a"), b("1"));
            db.write(new WriteBatch().put(b("b"), b("2")).delete(b("a")));
            db.put(b("c"), b("3"));
        }
        return store;
    }

    @Test
    void dumpStreamsEveryHeaderRecordAndOperationInFileOrder() throws Exception {
        Path store = store();
        Lines lines = new Lines();
        LogInspector.dump(store, lines);
        assertEquals("segment wal-0000000001.log number=1 first=1", lines.lines.get(0));
        assertEquals(List.of("  put a=1"), lines.lines.subList(2, 3));
        assertEquals(List.of("  put b=2", "  delete a"), lines.lines.subList(4, 6));
        assertTrue(lines.lines.get(lines.lines.size() - 2).endsWith("sequence=4 seal"), lines.lines.toString());
        assertTrue(lines.lines.get(lines.lines.size() - 1).startsWith("end wal-0000000001.log"), lines.lines.toString());
    }

    @Test
    void aFlippedBitIsDumpedInLineAndCheckedAsCorruptionAndNothingChanges() throws Exception {
        Path store = store();
        long offset;
        Lines before = new Lines();
        LogInspector.dump(store, before);
        offset = Long.parseLong(before.lines.get(3).replaceAll(".*offset=(\\d+).*", "$1")); // the second record
        try (FileChannel ch = FileChannel.open(store.resolve("wal-0000000001.log"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset + 20);
            one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
            ch.write(one, offset + 20);
        }
        Map<String, String> digest = ReadOnlyOpenTest.digest(store);
        Lines after = new Lines();
        LogInspector.dump(store, after);
        assertTrue(after.lines.contains("damage wal-0000000001.log offset=" + offset + " resume="
                + before.lines.get(6).replaceAll(".*offset=(\\d+).*", "$1")), after.lines.toString());
        LogInspector.Check check = LogInspector.check(store, RecoveryPolicy.SALVAGE);
        assertTrue(check.report().hasCorruption(), check.report().describe());
        assertEquals(offset, check.report().damage().get(0).offsetBytes());
        assertThrows(WalCorruptionException.class, () -> LogInspector.check(store, RecoveryPolicy.TOLERATE_TORN_TAIL));
        assertEquals(digest, ReadOnlyOpenTest.digest(store), "inspection changed a file");
    }

    @Test
    void aPointInTimeCheckNamesTheSegmentsItWouldSetAsideWithoutRenamingThem() throws Exception {
        Path store = dir.resolve("pit");
        for (int open = 0; open < 3; open++) {
            try (Walnut db = Walnut.open(store, WalnutOptions.builder().seed(open).compression(false).build())) {
                db.put(b("k" + open), b("v"));
            }
        }
        try (FileChannel ch = FileChannel.open(store.resolve("wal-0000000001.log"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55}), 80);
        }
        Map<String, String> digest = ReadOnlyOpenTest.digest(store);
        LogInspector.Check check = LogInspector.check(store, RecoveryPolicy.POINT_IN_TIME);
        assertEquals(List.of("wal-0000000002.log", "wal-0000000003.log"), check.quarantine());
        assertEquals(digest, ReadOnlyOpenTest.digest(store));
    }
}
