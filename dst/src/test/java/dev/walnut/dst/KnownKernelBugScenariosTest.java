package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.Durability;
import dev.walnut.Walnut;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Minimal reproductions of kernel bugs the simulation found and the kernel has not fixed yet
 * ({@link KnownKernelBugs#OPEN}). They fail; the default build excludes the tag. Run them with
 * {@code mvn -pl dst test -Pknown-kernel-bugs}; move a test to {@link FixedKernelBugRegressionTest}
 * once it passes.
 */
@Tag("known-kernel-bug")
class KnownKernelBugScenariosTest {

    /**
     * {@link KnownKernelBugs#TRUNCATION_AT_AN_EARLIER_SEAL_GOES_UNSEEN}. Steps: put k0..k19 SYNC;
     * close (seal); open (since kernel 8476dbc it appends to the sealed segment instead of starting
     * a new one); put k500 SYNC (acknowledged durable); close (second seal); the file is truncated
     * exactly after the first seal (a lost extent, a partial copy). Expected: open reports damage
     * (fails under TOLERATE_TORN_TAIL): before 8476dbc the successor segment's header declared the
     * first segment's end and caught this. Actual: open succeeds with no damage and k500 is gone.
     */
    @Test
    void truncationAtAnEarlierSealOfTheLastSegmentIsNotSilent() throws IOException {
        StoreFixture fx = new StoreFixture(105, 1 << 20);
        try (Walnut db = fx.open()) {
            for (int i = 0; i < 20; i++) {
                StoreFixture.put(db, i, 100, Durability.SYNC);
            }
        }
        try (Walnut db = fx.open()) {
            StoreFixture.put(db, 500, 100, Durability.SYNC);
        }
        String segment = fx.lastSegmentWithRecords();
        StoreFixture.Rec firstSeal = fx.records(segment).stream()
                .filter(r -> r.flags() == RecordLedger.FLAG_SEAL).findFirst().orElseThrow();
        fx.setFile(segment, java.util.Arrays.copyOf(fx.file(segment), firstSeal.endBytes()));
        try (Walnut db = fx.open()) {
            assertTrue(db.get(StoreFixture.bytes(StoreFixture.key(500))) != null || !db.recoveryReport().clean(),
                    "an acknowledged write vanished and the report says no damage\n" + db.recoveryReport().describe());
        } catch (dev.walnut.WalDamageException expected) {
            // failing the open is a right answer too
        }
    }
}
