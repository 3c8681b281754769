package dev.walnut.dst.fuzz;

import dev.walnut.RecoveryPolicy;
import dev.walnut.RecoveryReport;
import dev.walnut.WalDamageException;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.adapters.InMemoryWalStorage;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.UnsupportedFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What an open of any bytes must do, under every policy: succeed, or refuse with a documented
 * exception (damage the policy does not accept, a format this build does not read). Never another
 * exception, never an Error, never a buffer the stored bytes cannot justify. A store that opened
 * once opens again under the same policy, with the write made after the first open.
 */
final class OpenOracle {

    /** The reader's smallest window, so records larger than it take the large-record path. */
    static final int WINDOW_BYTES = 4096;
    /** The codec's scratch besides the body: a 64 KiB direct encode buffer, a 4 KiB body to start, a header. */
    static final long CODEC_SCRATCH_BYTES = 128 * 1024;
    /**
     * Per stored byte: a record buffer of exactly its size (1), and an LZ4 body of at most 255x its
     * stored bytes in a scratch buffer that may have doubled once past its need (2 x 255).
     */
    static final long BUFFER_BYTES_PER_STORED_BYTE = 1 + 2L * RecordFormat.LZ4_EXPANSION_MAX;

    private static final byte[] MARK_KEY = "fuzz-oracle-mark".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MARK_VALUE = "written after the first open".getBytes(StandardCharsets.UTF_8);
    /** Held so the setting is not collected with the logger: a damaged open logs a warning each time. */
    private static final Logger WALNUT_LOG = Logger.getLogger("dev.walnut");

    static {
        WALNUT_LOG.setLevel(Level.OFF);
    }

    private OpenOracle() {
    }

    static void check(Map<String, byte[]> files) {
        for (RecoveryPolicy policy : RecoveryPolicy.values()) {
            check(files, policy);
        }
    }

    static WalnutOptions options(RecoveryPolicy policy) {
        return WalnutOptions.builder().recoveryPolicy(policy).seed(RealStores.SEED).readWindowBytes(WINDOW_BYTES)
                .segmentBytes(RealStores.SEGMENT_BYTES).compactionRatio(0).build();
    }

    private static void check(Map<String, byte[]> files, RecoveryPolicy policy) {
        InMemoryWalStorage storage = StoreFiles.load(files);
        long boundBytes = WINDOW_BYTES + CODEC_SCRATCH_BYTES + BUFFER_BYTES_PER_STORED_BYTE * StoreFiles.totalBytes(files);
        WalnutOptions options = options(policy);
        try (Walnut db = Walnut.open(storage, options)) {
            checkMemory(db.recoveryReport(), boundBytes, "first open");
            db.put(MARK_KEY, MARK_VALUE);
        } catch (WalDamageException | UnsupportedFormatException documented) {
            return;
        } catch (IOException e) {
            throw new AssertionError("open under policy=" + policy + " failed with an undocumented exception", e);
        }
        try (Walnut db = Walnut.open(storage, options)) {
            checkMemory(db.recoveryReport(), boundBytes, "second open");
            byte[] mark = db.get(MARK_KEY);
            // Null first: Jazzer's hook on Arrays.equals crashes the JVM on a null array (0.24.0).
            if (mark == null || !Arrays.equals(MARK_VALUE, mark)) {
                throw new AssertionError("the write made after the first open is lost under policy=" + policy + "\n"
                        + db.recoveryReport().describe());
            }
        } catch (IOException e) {
            throw new AssertionError("a store that opened under policy=" + policy + " fails its next open", e);
        }
    }

    private static void checkMemory(RecoveryReport report, long boundBytes, String which) {
        if (report.peakBufferBytes() > boundBytes) {
            throw new AssertionError(which + " held more buffer than the stored bytes justify: peakBufferBytes="
                    + report.peakBufferBytes() + " bound=" + boundBytes + "\n" + report.describe());
        }
    }

    /** The codec scratch bound above must cover the codec as built: checked once, not per input. */
    static void checkScratchBound() {
        long scratch = new RecordCodec(RecordFormat.RECORD_BYTES_DEFAULT, false).scratchBytes();
        if (scratch > CODEC_SCRATCH_BYTES) {
            throw new AssertionError("CODEC_SCRATCH_BYTES=" + CODEC_SCRATCH_BYTES + " below scratchBytes=" + scratch);
        }
    }
}
