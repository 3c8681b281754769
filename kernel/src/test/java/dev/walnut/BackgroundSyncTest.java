package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BACKGROUND timer's fsync runs beside the writers, not in front of them, and still fails stop. */
class BackgroundSyncTest {

    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Segment syncs block on {@link #release} once armed, or fail once. */
    static final class SyncControlStorage extends ForwardingWalStorage {
        final AtomicBoolean blockNext = new AtomicBoolean();
        final AtomicBoolean failNext = new AtomicBoolean();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        SyncControlStorage(Path directory) throws IOException {
            super(new FileChannelWalStorage(directory));
        }

        @Override
        protected WalFile wrap(String name, WalFile file) {
            return new ForwardingWalFile(file) {
                @Override
                public void sync() throws IOException {
                    if (name.startsWith("wal-") && blockNext.getAndSet(false)) {
                        entered.countDown();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    if (name.startsWith("wal-") && failNext.getAndSet(false)) {
                        entered.countDown();
                        throw new IOException("injected: fsync failed (file=" + name + ")");
                    }
                    file.sync();
                }
            };
        }
    }

    private static WalnutOptions background() {
        return WalnutOptions.builder().seed(8).durability(Durability.BACKGROUND).syncIntervalMs(1)
                .compactionRatio(0).build();
    }

    @Test
    void writesThatDoNotSyncAreAcknowledgedWhileTheTimersFsyncIsInProgress() throws Exception {
        SyncControlStorage storage = new SyncControlStorage(dir);
        try (Walnut db = Walnut.open(storage, background())) {
            storage.blockNext.set(true);
            db.put(b("first"), b("1"));
            assertTrue(storage.entered.await(10, TimeUnit.SECONDS), "the timer never synced");
            // The timer's fsync is now stuck in the disk. Writers that do not sync must not wait for it.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 100; i++) {
                    db.put(b("k" + i), b("v"));
                }
            }, "a BACKGROUND write waited for the timer's fsync");
            storage.release.countDown();
        }
        storage.close();
    }

    @Test
    void aFailedTimerFsyncPoisonsTheStoreAndNoLaterSyncReportsSuccess() throws Exception {
        SyncControlStorage storage = new SyncControlStorage(dir);
        Walnut db = Walnut.open(storage, background());
        storage.failNext.set(true);
        db.put(b("first"), b("1"));
        assertTrue(storage.entered.await(10, TimeUnit.SECONDS), "the timer never synced");
        // The failed fsync may have dropped dirty pages: a later fsync succeeding proves nothing.
        IOException e = assertThrows(IOException.class, () -> {
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < end; ) {
                db.write(new WriteBatch().put(b("sync"), b("2")), Durability.SYNC);
            }
        });
        assertTrue(e.getMessage().contains("fsync failed"), e.getMessage());
        assertThrows(StorePoisonedException.class, () -> db.put(b("later"), b("3")));
        assertThrows(IOException.class, db::close);
        storage.close();
    }
}
