package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Recovery's reader holds at most window + largest record + codec scratch, whatever the size of
 * the log: measured by the kernel's own meter over synthetic logs that exist nowhere. CI runs logs
 * up to 256 MiB; the 4 GiB case is tagged memory-proof (README.md, "Deterministic simulation").
 * Format 3 leaves values on disk, so an open store holds that plus the key index, never the live
 * values: a real JVM whose heap is smaller than the live values gets and scans them all (512 MiB
 * under 64 MiB in CI, 8 GiB under 256 MiB tagged memory-proof).
 */
class RecoveryMemoryBoundTest {

    private static final long MIB = 1024 * 1024;

    @Property(tries = 25, seed = "20261122", shrinking = net.jqwik.api.ShrinkingMode.BOUNDED)
    void peakBufferBytesStayWithinWindowPlusLargestRecordForAnyRecordSizeMix(
            @ForAll @Size(min = 1, max = 8) java.util.List<@IntRange(min = 0, max = 300_000) Integer> valueBytes,
            @ForAll @IntRange(min = 0, max = 3) int logSizeChoice,
            @ForAll @IntRange(min = 0, max = 2) int windowChoice,
            @ForAll boolean compress) throws IOException {
        long logBytes = new long[] {MIB, 4 * MIB, 16 * MIB, 48 * MIB}[logSizeChoice];
        int window = new int[] {4096, 64 * 1024, 1024 * 1024}[windowChoice];
        int[] sizes = valueBytes.stream().mapToInt(Integer::intValue).toArray();
        RecoveryMemory.Result r = RecoveryMemory.measure(logBytes, sizes, compress, window, logBytes ^ window);
        assertEquals(r.records(), r.replayedRecords(), r.toString());
        assertTrue(r.withinBound(), r.toString());
        assertTrue(r.peakBufferBytes() >= window, "the window itself is counted: " + r);
    }

    @Test
    void peakBufferBytesOfAQuarterGibibyteLogEqualThoseOfAOneMebibyteLog() throws IOException {
        int[] sizes = {100, 70_000, 3000, 12};
        RecoveryMemory.Result small = RecoveryMemory.measure(MIB, sizes, false, 64 * 1024, 3);
        RecoveryMemory.Result large = RecoveryMemory.measure(256 * MIB, sizes, false, 64 * 1024, 3);
        assertTrue(large.logBytes() >= 256 * MIB, large.toString());
        assertEquals(small.peakBufferBytes(), large.peakBufferBytes(), "small: " + small + "\nlarge: " + large);
        assertTrue(large.withinBound(), large.toString());
    }

    @Test
    void aSixtyFourMebibyteHeapGetsAndScansFiveHundredTwelveMebibytesOfLiveValuesButDiesKeepingThem(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assertTrue(ValueMemoryProof.prove(dir, 512 * MIB, "64m"), "see the children's output above");
    }

    @Test
    @Tag("memory-proof")
    void aQuarterGibibyteHeapGetsAndScansEightGibibytesOfLiveValuesButDiesKeepingThem() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "walnut-values-proof");
        try {
            assertTrue(ValueMemoryProof.prove(dir, 8192 * MIB, "256m"), "see the children's output above");
        } finally {
            ValueMemoryProof.delete(dir);
        }
    }

    @Test
    @Tag("memory-proof")
    void recoveryOfAFourGibibyteLogStaysWithinTheBound() throws IOException {
        RecoveryMemory.Result r = RecoveryMemory.measure(4096 * MIB, MemoryProof.PROOF_VALUE_BYTES, false,
                1024 * 1024, 7);
        System.out.println("4 GiB synthetic recovery: " + r);
        assertTrue(r.logBytes() >= 4096 * MIB, r.toString());
        assertEquals(r.records(), r.replayedRecords(), r.toString());
        assertTrue(r.withinBound(), r.toString());
    }

    @Test
    @Tag("memory-proof")
    void aSixtyFourMebibyteHeapOpensALogLargerThanTwoGibibytesButAWholeFileReaderDies() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "walnut-memory-proof");
        assertTrue(MemoryProof.prove(dir, MemoryProof.PROOF_BYTES_DEFAULT), "see the children's output above");
    }
}
