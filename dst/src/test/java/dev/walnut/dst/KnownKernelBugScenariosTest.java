package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.Durability;
import dev.walnut.Walnut;
import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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

    private static final long ANSWER_WITHIN_MS = 5000;

    /**
     * {@link KnownKernelBugs#ERROR_IN_COMMIT_LEADER_WEDGES_THE_STORE}. Found because the
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
        ErrorOnAppend storage = new ErrorOnAppend(new SimulatedStorage("wedge", 1));
        StoreFixture options = new StoreFixture(1);
        Walnut db = Walnut.open(storage, options.options);
        StoreFixture.put(db, 0, 10, Durability.SYNC);
        storage.armed.set(true);
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

    /** Passes every call through; once armed, the next append throws an Error as a full direct-memory pool would. */
    static final class ErrorOnAppend extends ForwardingWalStorage {
        final AtomicBoolean armed = new AtomicBoolean();

        ErrorOnAppend(SimulatedStorage inner) {
            super(inner);
        }

        @Override
        protected WalFile wrap(String name, WalFile file) {
            return new ForwardingWalFile(file) {
                @Override
                public void append(ByteBuffer source) throws IOException {
                    if (armed.compareAndSet(true, false)) {
                        throw new OutOfMemoryError("Direct buffer memory");
                    }
                    super.append(source);
                }
            };
        }
    }
}
