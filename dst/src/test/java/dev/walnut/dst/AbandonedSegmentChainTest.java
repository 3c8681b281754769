package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.walnut.Walnut;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A kernel bug the simulation found (seed 10320), fixed in ChainPlan: a segment an open skipped
 * as an unfinished creation must not break the chain when its header reads valid later. Failed
 * before the fix with WalCorruptionException "segment chain broken: wal-0000000003.log declares
 * predecessor=wal-0000000001.log but the log before it ends with wal-0000000002.log".
 */
class AbandonedSegmentChainTest {

    /** A byte inside the segment header (its checksum covers it): a flip there makes the header invalid. */
    private static final int HEADER_BYTE = 57;

    /**
     * Simulator seed 10320 (dst 3fcb53b, kernel 8a9643c). Steps: open (segment 1); power loss; open
     * (segment 2, a bare synced header); a bit of segment 2's header flips (seeded BIT_FLIP at a
     * power loss). Open takes segment 2 for an empty torn last segment, starts segment 3 declaring
     * predecessor=1 and leaves segment 2 in place; put k=v SYNC is acknowledged. Then the same bit
     * flips back (the seed's second BIT_FLIP at the next power loss; here a scrub heals it). Now
     * segments 2 and 3 both declare predecessor=1, and the next open fails under
     * TOLERATE_TORN_TAIL with WalCorruptionException "segment chain broken: wal-0000000003.log
     * declares predecessor=wal-0000000001.log but the log before it ends with wal-0000000002.log":
     * the acknowledged write is unreachable. Expected: the open skips the abandoned segment 2
     * (or the earlier open retired it) and finds k=v.
     */
    @Test
    void aSegmentAnOpenSkippedAsTornThatReadsValidLaterDoesNotBreakTheChain() throws IOException {
        StoreFixture fx = new StoreFixture(10320);
        fx.crash(fx.open(), CrashMode.POWER_LOSS);
        fx.crash(fx.open(), CrashMode.POWER_LOSS);
        SimulatedStorage.Rot rot = fx.storage.rot("wal-0000000002.log", HEADER_BYTE, 0);

        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        byte[] value = "v".getBytes(StandardCharsets.UTF_8);
        Walnut db = fx.open();
        db.put(key, value); // SYNC, the default durability
        fx.crash(db, CrashMode.PROCESS_KILL);
        fx.storage.heal(rot);

        try (Walnut reopened = fx.open()) {
            assertArrayEquals(value, reopened.get(key), "the acknowledged SYNC write");
        }
    }
}
