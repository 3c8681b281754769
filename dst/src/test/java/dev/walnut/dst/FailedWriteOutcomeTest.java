package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.Durability;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The oracle's rule for a write reported failed: absent after recovery if it failed before its
 * record reached the storage whole (at its append, or at a rotation before it); present or absent
 * if it failed at a sync or a later step, and if present then with exactly the written value.
 */
class FailedWriteOutcomeTest {

    private static final long SEED = 9;
    private static final int VALUE_BYTES = 200;

    private static SimulationRun started() {
        SimulationRun run = new SimulationRun(SEED, SimulationRun.optionsFor(SEED), false);
        run.start();
        run.put("k0", VALUE_BYTES, Durability.SYNC);
        return run;
    }

    private static byte[] get(SimulationRun run, String key) {
        try {
            return run.store().get(key.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no fault is armed for this get", e);
        }
    }

    @Test
    void aWriteThatFailedAtItsAppendIsAbsentAfterAProcessKill() {
        SimulationRun run = started();
        run.faults().arm(FaultKind.APPEND_FAILURE, 0);
        run.put("k1", VALUE_BYTES, Durability.SYNC);
        run.crash(CrashMode.PROCESS_KILL);
        assertNull(get(run, "k1"));
        assertNotNull(get(run, "k0"));
    }

    @Test
    void aWriteThatFailedAtItsSyncMayBeRecoveredWithTheValueItWrote() {
        SimulationRun run = started();
        run.faults().arm(FaultKind.SYNC_FAILURE, 0);
        run.put("k1", VALUE_BYTES, Durability.SYNC);
        run.crash(CrashMode.PROCESS_KILL);
        byte[] recovered = get(run, "k1");
        assertNotNull(recovered, "the page cache kept the record: the oracle allowed it present");
        assertTrue(new String(recovered, StandardCharsets.UTF_8).startsWith("v2:"), "the value k1 was written with");
    }

    /**
     * Negative control: a kernel that, after its append failed, writes the record anyway (a retry
     * of the same bytes) but still reports the write failed. The record is then whole in the log
     * and recovery brings it back: the oracle must call that a violation.
     */
    @Test
    void aKernelThatLeavesAWriteThatFailedAtItsAppendOnDiskIsCaught() {
        SimulationRun run = new SimulationRun(SEED, SimulationRun.optionsFor(SEED), false)
                .storeRunsOn(FailedWriteOutcomeTest::retryingAfterFailedAppend);
        run.start();
        run.put("k0", VALUE_BYTES, Durability.SYNC);
        run.faults().arm(FaultKind.APPEND_FAILURE, 0);
        run.put("k1", VALUE_BYTES, Durability.SYNC);
        Violation v = assertThrows(Violation.class, () -> run.crash(CrashMode.PROCESS_KILL));
        assertEquals("failed-write-recovered", v.kind(), v.getMessage());
    }

    /** The buggy kernel's storage path: a failed append is retried once, and the failure still reported. */
    private static AppendInterceptingStorage retryingAfterFailedAppend(WalStorage inner) {
        return new AppendInterceptingStorage(inner, (file, source) -> {
            ByteBuffer again = source.duplicate();
            try {
                file.append(source);
            } catch (IOException e) {
                file.append(again);
                source.position(source.limit());
                throw e;
            }
        });
    }
}
