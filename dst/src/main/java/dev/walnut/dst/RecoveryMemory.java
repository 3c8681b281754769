package dev.walnut.dst;

import dev.walnut.RecoveryPolicy;
import dev.walnut.RecoveryReport;
import dev.walnut.format.BatchCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.recovery.Recovery;
import java.io.IOException;

/**
 * The deterministic memory proof: runs the kernel's read-only recovery over a
 * {@link SyntheticSegmentFile} and compares the peak bytes its reader held (as counted by the
 * kernel's {@code ReadMeter}) with the bound DESIGN.md promises: the read window, plus the largest
 * record, plus the codec's fixed scratch. Format 3 compresses values one by one and replay keeps
 * only their locations, so recovery decompresses nothing: compressed logs get the same bound.
 * (The open store adds the key index to this; {@link ValueMemoryProof} shows the values stay out.)
 */
public final class RecoveryMemory {

    /** RecordCodec's fixed scratch: 24-byte header scratch, 64 KiB record scratch (a reader never packs). */
    static final long CODEC_FIXED_SCRATCH_BYTES = 24 + 64 * 1024;

    /** One measurement. */
    public record Result(long logBytes, long records, int windowBytes, int largestRecordBytes, long boundBytes,
                         long peakBufferBytes, long replayedRecords, long elapsedMs) {
        public boolean withinBound() {
            return peakBufferBytes <= boundBytes;
        }

        @Override
        public String toString() {
            return "logBytes=" + logBytes + " records=" + records + " windowBytes=" + windowBytes
                    + " largestRecordBytes=" + largestRecordBytes + " peakBufferBytes=" + peakBufferBytes
                    + " boundBytes=" + boundBytes + " withinBound=" + withinBound() + " elapsedMs=" + elapsedMs;
        }
    }

    private RecoveryMemory() {
    }

    /** The bound for a log whose largest record is given, compressed values or not. */
    public static long boundBytes(int windowBytes, int largestRecordBytes) {
        return windowBytes + largestRecordBytes + CODEC_FIXED_SCRATCH_BYTES;
    }

    public static Result measure(long targetBytes, int[] valueBytes, boolean compress, int windowBytes, long salt)
            throws IOException {
        SyntheticLogStorage storage = new SyntheticLogStorage(salt, targetBytes, valueBytes, compress);
        SyntheticSegmentFile shape = storage.segment();
        long start = System.nanoTime();
        Recovery.Outcome outcome = Recovery.run(storage, new Recovery.Settings(RecoveryPolicy.STRICT,
                RecordFormat.RECORD_BYTES_LIMIT_MAX, windowBytes), new CountingSink());
        RecoveryReport report = outcome.report();
        long bound = boundBytes(windowBytes, shape.largestRecordBytes());
        return new Result(shape.sizeBytes(), shape.records(), windowBytes, shape.largestRecordBytes(), bound,
                report.peakBufferBytes(), report.recordsReplayed(), (System.nanoTime() - start) / 1_000_000L);
    }

    /** Keeps nothing but a count: the proof is about the reader's buffers, not the index. */
    static final class CountingSink implements BatchCodec.OpSink {
        long ops;

        @Override
        public void put(byte[] key, java.nio.ByteBuffer body, int cellStart, int cellBytes, int valueLength) {
            ops++;
        }

        @Override
        public void delete(byte[] key) {
            ops++;
        }
    }
}
