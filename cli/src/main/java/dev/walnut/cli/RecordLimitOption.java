package dev.walnut.cli;

import dev.walnut.WalnutOptions;
import dev.walnut.format.RecordFormat;
import picocli.CommandLine.Option;

/**
 * The record size limit of the commands that write records a user sizes: {@code put} and {@code import}
 * (the largest entry they accept) and {@code compact} (how the base's records are packed; it must hold the
 * largest entry). Each new segment records this limit in its header, and every reader bounds that
 * segment's records by it, so reading a store never needs the option: read commands do not take it.
 */
final class RecordLimitOption {

    static final String NAME = "--max-record-bytes";

    @Option(names = NAME, paramLabel = "BYTES", defaultValue = "" + RecordFormat.RECORD_BYTES_DEFAULT,
            description = "maxRecordBytes of the records this command writes (default: ${DEFAULT-VALUE}); reading"
                    + " uses each segment's own limit.")
    int maxRecordBytes = RecordFormat.RECORD_BYTES_DEFAULT;

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
            throw new CliException(ExitCode.USAGE, NAME + " out of range: actual=" + maxRecordBytes
                    + " allowed=[" + RecordFormat.RECORD_BYTES_LIMIT_MIN + ", " + RecordFormat.RECORD_BYTES_LIMIT_MAX + "]");
        }
    }
}
