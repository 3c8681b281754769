package dev.walnut.dst;

import static dev.walnut.dst.StoreFixture.expected;
import static dev.walnut.dst.StoreFixture.put;
import static dev.walnut.dst.StoreFixture.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.Durability;
import dev.walnut.RecoveryPolicy;
import dev.walnut.Walnut;
import dev.walnut.format.BatchCodec;
import dev.walnut.recovery.Recovery;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Minimal reproductions of the kernel bugs the simulation found ({@link KnownKernelBugs}). Each was
 * tagged {@code known-kernel-bug} (excluded from the default build) while it failed; kernel commit
 * 14cde35 fixed both, so they now run in CI as regression tests. A new finding goes here tagged.
 */
class FixedKernelBugRegressionTest {

    private static final long ANSWER_WITHIN_MS = 5000;

    private static final int VALUE_BYTES = 100;

    /**
     * {@link KnownKernelBugs#UNSYNCED_TAIL_DECLARED_DURABLE}, simulator seed 2. Steps: put k0..k4
     * SYNC; put k5 MANUAL (acknowledged, flushed, never synced); the process dies (page cache kept); open
     * replays k5 and creates segment 2 whose header declares segment 1 ends after k5, without
     * syncing segment 1; put k6 SYNC (acknowledged durable); power loss drops segment 1's unsynced
     * tail. Expected: open succeeds with k0..k4 and k6 (k5 may or may not be there). Actual: every
     * open fails with WalCorruptionException "segment ends short ... declared by its successor",
     * so the acknowledged k6 is unreachable under the default policy.
     */
    @Test
    void writesAcknowledgedAfterRecoveringAnUnsyncedTailSurviveAPowerLoss() throws IOException {
        StoreFixture fx = new StoreFixture(2, 1 << 20);
        Walnut db = fx.open();
        for (int i = 0; i < 5; i++) {
            put(db, i, VALUE_BYTES, Durability.SYNC);
        }
        put(db, 5, VALUE_BYTES, Durability.MANUAL);
        db.flush(); // k5 leaves the store's buffer for the page cache: the process kill keeps it
        fx.crash(db, CrashMode.PROCESS_KILL);

        Walnut reopened = fx.open();
        assertEquals(6, reopened.size(), "the process kill lost nothing: k5 is replayed from the page cache");
        put(reopened, 6, VALUE_BYTES, Durability.SYNC);
        fx.crash(reopened, CrashMode.POWER_LOSS_UNSYNCED_LOST);

        try (Walnut recovered = fx.open()) {
            Map<String, String> expected = expected(0, 5, VALUE_BYTES);
            expected.putAll(expected(6, 1, VALUE_BYTES));
            Map<String, String> actual = new TreeMap<>(state(recovered));
            actual.remove(StoreFixture.key(5));
            assertEquals(expected, actual, recovered.recoveryReport().describe());
        }
    }

    /**
     * {@link KnownKernelBugs#SALVAGE_HIDES_DAMAGED_MANIFEST}, simulator seed 525. Steps: put 40
     * keys SYNC; compact (base + MANIFEST, old segments retired); put 1 more; close; flip one bit
     * of MANIFEST. Expected: SALVAGE reports a CORRUPTION site for MANIFEST (and, going on without
     * it, says which data it could not reach). Actual: the report says "no damage" and the 40
     * compacted keys are silently missing from the salvaged state.
     */
    @Test
    void salvageReportsADamagedManifestAndDoesNotSilentlyDropTheBase() throws IOException {
        StoreFixture fx = new StoreFixture(525, 4096);
        try (Walnut db = fx.open()) {
            for (int i = 0; i < 40; i++) {
                put(db, i, VALUE_BYTES, Durability.SYNC);
            }
            db.compact();
            put(db, 40, VALUE_BYTES, Durability.SYNC);
        }
        byte[] manifest = fx.file("MANIFEST");
        manifest[20] ^= 1;
        fx.setFile("MANIFEST", manifest);
        Recovery.Outcome salvage = Recovery.run(fx.storage, new Recovery.Settings(RecoveryPolicy.SALVAGE,
                fx.options.maxRecordBytes(), fx.options.readWindowBytes()), new BatchCodec.OpSink() {
                    @Override
                    public void put(byte[] key, java.nio.ByteBuffer body, int cellStart, int cellBytes,
                                    int valueLength) {
                    }

                    @Override
                    public void delete(byte[] key) {
                    }
                });
        assertTrue(salvage.report().hasCorruption(), "a damaged MANIFEST must be reported\n"
                + salvage.report().describe());
    }

    /**
     * {@link KnownKernelBugs#ERROR_IN_COMMIT_LEADER_WEDGES_THE_STORE}, fixed in kernel 8e14cbc. Found because the
     * simulation's crash is an {@link Error} thrown at an I/O call: the dead store's next call
     * never returned. Steps: open; put k0 (fine); the next append throws an Error — here
     * {@code OutOfMemoryError("Direct buffer memory")}, which a FileChannel write of a large heap
     * buffer throws for real — so put k1 fails with it; then put k2, and close. Expected: put k2
     * fails at once (the store is poisoned) and close returns. Actual: {@code CommitPipeline.lead}
     * catches only IOException and RuntimeException, so the failed group is never removed from the
     * queue; put k2 (from any thread, even the same one) and close() wait behind it forever.
     */
    @Test
    void anErrorInTheCommitLeaderFailsLaterWritesInsteadOfHangingThem() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        AppendInterceptingStorage storage = errorOnAppend(new SimulatedStorage("wedge", 1), armed);
        StoreFixture options = new StoreFixture(1);
        Walnut db = Walnut.open(storage, options.options);
        StoreFixture.put(db, 0, 10, Durability.SYNC);
        armed.set(true);
        assertThrows(OutOfMemoryError.class, () -> StoreFixture.put(db, 1, 10, Durability.SYNC));

        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                StoreFixture.put(db, 2, 10, Durability.SYNC);
                outcome.set(new AssertionError("put k2 was acknowledged after a failed commit"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "put-after-error");
        writer.setDaemon(true); // if it hangs, it must not keep the test JVM alive
        writer.start();
        writer.join(ANSWER_WITHIN_MS);
        assertFalse(writer.isAlive(), "put k2 still blocked after " + ANSWER_WITHIN_MS + " ms: the store is wedged");
        assertTrue(outcome.get() instanceof IOException, "put k2 must fail with an IOException: " + outcome.get());
    }

    /**
     * {@link KnownKernelBugs#TRUNCATION_AT_AN_EARLIER_SEAL_GOES_UNSEEN}, fixed by reverting 8476dbc
     * (609ec22). Steps: put k0..k19 SYNC; close (seal); open; put k500 SYNC (acknowledged durable);
     * close; the segment holding the first seal is truncated exactly after it (a lost extent, a
     * partial copy). The open must not be silent: each open starts a segment whose header declares
     * its predecessor's end, which catches the truncation.
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

    /** Passes every call through; once armed, the next append throws an Error as a full direct-memory pool would. */
    static AppendInterceptingStorage errorOnAppend(SimulatedStorage inner, AtomicBoolean armed) {
        return new AppendInterceptingStorage(inner, (file, source) -> {
            if (armed.compareAndSet(true, false)) {
                throw new OutOfMemoryError("Direct buffer memory");
            }
            file.append(source);
        });
    }
}
