package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.format.RecordFormat;
import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format 3 keeps values where the log wrote them: a get reads the value's cell and checks its own
 * checksum, a damaged value is refused with its file and offset, a failed read surfaces, and a
 * compaction's retired files stay readable for the readers that still need them.
 */
class ValuesOnDiskTest {

    private static final int VALUE_BYTES = 100;

    @TempDir
    Path root;

    private static byte[] valueOf(int i) {
        byte[] v = new byte[VALUE_BYTES];
        new SplittableRandom(1000 + i).nextBytes(v); // incompressible, unique: findable in the file
        return v;
    }

    private Path storeWith(int count) throws IOException {
        Path dir = root.resolve("store");
        try (Walnut db = Walnut.open(dir, LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL))) {
            for (int i = 0; i < count; i++) {
                db.put(LogFixture.key(i), valueOf(i));
            }
        }
        return dir;
    }

    /** The file and offset where value {@code i}'s bytes are, searching every segment. */
    private static long[] find(Path dir, int i) throws IOException {
        byte[] needle = valueOf(i);
        for (Path segment : LogFixture.segments(dir)) {
            byte[] bytes = Files.readAllBytes(segment);
            for (int at = 0; at + needle.length <= bytes.length; at++) {
                if (java.util.Arrays.equals(bytes, at, at + needle.length, needle, 0, needle.length)) {
                    return new long[] {RecordFormat.segmentNumberOf(segment.getFileName().toString()), at};
                }
            }
        }
        throw new AssertionError("value " + i + " not found in " + dir);
    }

    @Test
    void aBitFlipInAValueIsRefusedOnGetWithItsFileAndOffsetAndOtherKeysStillRead() throws IOException {
        Path dir = storeWith(50);
        long[] at = find(dir, 7);
        Path segment = dir.resolve(RecordFormat.segmentName(at[0]));
        try (Walnut db = Walnut.open(dir, LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL))) {
            assertArrayEquals(valueOf(7), db.get(LogFixture.key(7)), "before the flip the value reads back");
            LogFixture.flipBit(segment, at[1] + 40, 3);
            WalCorruptionException e = assertThrows(WalCorruptionException.class, () -> db.get(LogFixture.key(7)));
            assertEquals(segment.getFileName().toString(), e.file());
            assertTrue(e.offsetBytes() < at[1] && e.offsetBytes() > at[1] - 16, "offset of the cell: " + e.getMessage());
            assertTrue(e.getMessage().contains("value checksum mismatch"), e.getMessage());
            assertArrayEquals(valueOf(8), db.get(LogFixture.key(8)));
            try (Cursor c = db.scan(KeyRange.all())) {
                UncheckedIOException u = assertThrows(UncheckedIOException.class, () -> {
                    while (c.hasNext()) {
                        c.next();
                    }
                });
                assertTrue(u.getCause() instanceof WalCorruptionException, u.toString());
                assertThrows(IllegalStateException.class, c::hasNext, "a cursor that failed a read is done");
            }
        }
    }

    @Test
    void aValueWrittenSinceOpenIsReadFromTheLogAndVerifiedToo() throws IOException {
        Path dir = root.resolve("store");
        try (Walnut db = Walnut.open(dir, LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL))) {
            db.put(LogFixture.key(1), valueOf(1));
            assertArrayEquals(valueOf(1), db.get(LogFixture.key(1)));
            long[] at = find(dir, 1);
            LogFixture.flipBit(dir.resolve(RecordFormat.segmentName(at[0])), at[1], 0);
            assertThrows(WalCorruptionException.class, () -> db.get(LogFixture.key(1)));
            // Restore it: the store itself was never wrong, only the bytes under it.
            LogFixture.flipBit(dir.resolve(RecordFormat.segmentName(at[0])), at[1], 0);
        }
    }

    @Test
    void aFailedReadSurfacesAsAnIOExceptionNeverAsAbsentOrWrong() throws IOException {
        Path dir = storeWith(20);
        long[] at = find(dir, 12);
        String name = RecordFormat.segmentName(at[0]);
        try (WalStorage files = new FileChannelWalStorage(dir);
             FaultyReadStorage failing = disarmed(new FaultyReadStorage(files, name, at[1] - 16));
             Walnut db = Walnut.open(failing, LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL))) {
            failing.armed = true; // the sector fails after the open read it
            IOException e = assertThrows(IOException.class, () -> db.get(LogFixture.key(12)));
            assertFalse(e instanceof WalDamageException, "an I/O error is not damage: " + e);
            assertTrue(e.getMessage().contains("injected read error"), e.getMessage());
            assertArrayEquals(valueOf(0), db.get(LogFixture.key(0)), "values before the failing sector still read");
        }
    }

    @Test
    void retiredFilesStayReadableForASnapshotOfTheOldBaseAndAreLetGoWhenItCloses() throws IOException {
        Path dir = root.resolve("store");
        try (Walnut db = Walnut.open(dir, LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL))) {
            for (int i = 0; i < 30; i++) {
                db.put(LogFixture.key(i), valueOf(i));
            }
            Snapshot old = db.snapshot();
            db.put(LogFixture.key(3), valueOf(300));
            db.compact();
            assertFalse(Files.exists(dir.resolve(RecordFormat.segmentName(1))), "compaction retired segment 1");
            assertArrayEquals(valueOf(3), old.get(LogFixture.key(3)), "the snapshot reads its own state from the"
                    + " retired file, through the handle the store kept");
            assertArrayEquals(valueOf(300), db.get(LogFixture.key(3)));
            int held = db.openDataFiles();
            old.close();
            assertTrue(db.openDataFiles() < held, "closing the last reader of the old base lets its files go: before="
                    + held + " after=" + db.openDataFiles());
            assertArrayEquals(valueOf(29), db.get(LogFixture.key(29)));
        }
        try (Walnut db = Walnut.open(dir, LogFixture.small(RecoveryPolicy.STRICT))) {
            assertArrayEquals(valueOf(300), db.get(LogFixture.key(3)));
            assertArrayEquals(valueOf(4), db.get(LogFixture.key(4)));
        }
    }

    @Test
    void aRetiredReadHandleThatFailsToCloseDoesNotPoisonTheStore() throws IOException {
        Path dir = Files.createDirectories(root.resolve("store"));
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        try (WalStorage files = new FileChannelWalStorage(dir)) {
            Walnut db = Walnut.open(new dev.walnut.io.ForwardingWalStorage(files) {
                @Override
                public void close() {
                    // The test owns the wrapped storage.
                }

                @Override
                public dev.walnut.io.WalFile open(String name) throws IOException {
                    dev.walnut.io.WalFile file = super.open(name);
                    return new dev.walnut.io.ForwardingWalFile(file) {
                        @Override
                        public void close() throws IOException {
                            file.close();
                            if (armed.get() && name.equals(RecordFormat.segmentName(1))) {
                                throw new IOException("injected close failure (file=" + name + ")");
                            }
                        }
                    };
                }
            }, LogFixture.small(RecoveryPolicy.TOLERATE_TORN_TAIL));
            for (int i = 0; i < 30; i++) {
                db.put(LogFixture.key(i), valueOf(i));
            }
            armed.set(true);
            db.compact(); // retires segment 1: closing its read handle fails
            assertTrue(db.openDataFiles() >= 1);
            db.put(LogFixture.key(100), valueOf(100)); // nothing was lost: the store must take writes
            assertArrayEquals(valueOf(100), db.get(LogFixture.key(100)));
            assertArrayEquals(valueOf(7), db.get(LogFixture.key(7)));
            db.close();
        }
        try (Walnut reopened = Walnut.open(dir, LogFixture.small(RecoveryPolicy.STRICT))) {
            assertTrue(reopened.recoveryReport().clean(), "the seal was written: " + reopened.recoveryReport().describe());
            assertArrayEquals(valueOf(100), reopened.get(LogFixture.key(100)));
        }
    }

    @Test
    void aVersion2SegmentIsRefusedNamingBothVersions() throws IOException {
        Path dir = storeWith(3);
        Path segment = LogFixture.segments(dir).get(0);
        byte[] header = LogFixture.read(segment, 0, RecordFormat.SEGMENT_HEADER_BYTES);
        ByteBuffer h = ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.putInt(8, 2);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(header, 0, RecordFormat.SEGMENT_HEADER_BYTES - 4);
        h.putInt(RecordFormat.SEGMENT_HEADER_BYTES - 4, (int) crc.getValue());
        LogFixture.overwrite(segment, 0, header);
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> Walnut.open(dir, LogFixture.small(RecoveryPolicy.SALVAGE)).close());
        assertTrue(e.getMessage().contains("expected=3 actual=2"), e.getMessage());
    }

    private static FaultyReadStorage disarmed(FaultyReadStorage storage) {
        storage.armed = false;
        return storage;
    }
}
