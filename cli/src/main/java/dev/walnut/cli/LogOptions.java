package dev.walnut.cli;

import dev.walnut.RecoveryPolicy;
import dev.walnut.WalnutOptions;
import dev.walnut.format.RecordFormat;
import dev.walnut.recovery.Recovery;
import picocli.CommandLine.Option;

/**
 * Options of every command that reads a log. The store does not record its maxRecordBytes on disk,
 * so a store written with a larger limit than the default must be read with the same limit.
 */
final class LogOptions {

    @Option(names = "--max-record-bytes", paramLabel = "BYTES", defaultValue = "" + RecordFormat.RECORD_BYTES_DEFAULT,
            description = "The store's maxRecordBytes: longer records count as damage (default: ${DEFAULT-VALUE}).")
    int maxRecordBytes = RecordFormat.RECORD_BYTES_DEFAULT;

    Recovery.Settings settings(RecoveryPolicy policy) {
        checkRange();
        return new Recovery.Settings(policy, maxRecordBytes, WalnutOptions.READ_WINDOW_BYTES_DEFAULT);
    }

    /** The checked limit. */
    int maxRecordBytes() {
        checkRange();
        return maxRecordBytes;
    }

    WalnutOptions.Builder walnutOptions() {
        checkRange();
        return WalnutOptions.builder().maxRecordBytes(maxRecordBytes);
    }

    private void checkRange() {
        if (maxRecordBytes < RecordFormat.RECORD_BYTES_LIMIT_MIN || maxRecordBytes > RecordFormat.RECORD_BYTES_LIMIT_MAX) {
            throw new CliException(ExitCode.USAGE, "--max-record-bytes out of range: actual=" + maxRecordBytes
                    + " allowed=[" + RecordFormat.RECORD_BYTES_LIMIT_MIN + ", " + RecordFormat.RECORD_BYTES_LIMIT_MAX + "]");
        }
    }
}
