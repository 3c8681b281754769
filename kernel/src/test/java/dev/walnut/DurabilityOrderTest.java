package dev.walnut;

import static dev.walnut.LogFixture.key;
import static dev.walnut.LogFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order of durability steps that recovery's classification relies on. */
class DurabilityOrderTest {

    @TempDir
    Path root;

    /** Records creates and syncs, in order. */
    static final class RecordingStorage extends ForwardingWalStorage {
        final List<String> events = new ArrayList<>();

        RecordingStorage(Path dir) throws IOException {
            super(new FileChannelWalStorage(dir));
        }

        @Override
        public WalFile create(String name) throws IOException {
            events.add("create " + name);
            return super.create(name);
        }

        @Override
        protected WalFile wrap(String name, WalFile file) {
            return new ForwardingWalFile(file) {
                @Override
                public void sync() throws IOException {
                    events.add("sync " + name);
                    super.sync();
                }
            };
        }
    }

    @Test
    void openSyncsTheReplayedLastSegmentBeforeItsSuccessorDeclaresItsEnd() throws IOException {
        WalnutOptions manual = WalnutOptions.builder().durability(Durability.MANUAL).seed(9).build();
        // Unsynced writes that reached only the page cache (flushed from the store's buffer, never
        // synced) when the process died.
        Path image = LogFixture.writeAndCrash(root, 20, manual, true);
        try (RecordingStorage storage = new RecordingStorage(image);
             Walnut db = Walnut.open(storage, manual)) {
            assertArrayEquals(value(19), db.get(key(19)));
            int sync = storage.events.indexOf("sync wal-0000000001.log");
            int create = storage.events.indexOf("create wal-0000000002.log");
            assertTrue(sync >= 0 && sync < create, "events=" + storage.events);
        }
    }

    @Test
    void salvageReportsADamagedManifestAndStillReplaysTheNewestBase() throws IOException {
        Path dir = root.resolve("db");
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().compactionRatio(0).build())) {
            for (int i = 0; i < 10; i++) {
                db.put(key(i), value(i));
            }
            db.compact();
            db.put(key(10), value(10));
        }
        LogFixture.flipBit(dir.resolve("MANIFEST"), 30, 0);
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().recoveryPolicy(RecoveryPolicy.SALVAGE).build())) {
            DamageSite site = db.recoveryReport().damage().get(0);
            assertEquals("MANIFEST", site.file(), db.recoveryReport().describe());
            assertEquals(DamageKind.CORRUPTION, site.kind());
            assertEquals(DamageAction.SKIPPED, site.action());
            for (int i = 0; i <= 10; i++) {
                assertArrayEquals(value(i), db.get(key(i)), "key " + i + "\n" + db.recoveryReport().describe());
            }
        }
        assertTrue(Files.exists(dir.resolve("MANIFEST")));
    }
}
