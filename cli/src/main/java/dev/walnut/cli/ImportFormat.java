package dev.walnut.cli;

import java.io.IOException;
import java.io.InputStream;

/** The formats {@code import} reads: the two lossless export formats. */
enum ImportFormat {
    jsonl, walnut;

    /**
     * Streams every entry of {@code in} to {@code sink}, checking each one.
     *
     * @param source        names the input in error messages (a path or "stdin")
     * @param entryBytesMax the largest key + value a single store record can hold
     * @throws CliException with {@link ExitCode#BAD_INPUT}, naming the line or entry and offset, for every
     *                     malformed input (ImportFuzzTest holds both readers to it)
     * @throws IOException only when reading {@code in} fails, or from {@code sink}
     */
    void read(InputStream in, String source, long entryBytesMax, EntrySink sink) throws IOException {
        switch (this) {
            case jsonl -> new JsonlEntryReader(in, source, entryBytesMax).readAll(sink);
            case walnut -> new WalnutEntryReader(in, source, entryBytesMax).readAll(sink);
        }
    }

    /** One check shared by both readers: the kernel's key rules, and an entry a record can hold. */
    static String entryProblem(byte[] key, byte[] value, long entryBytesMax) {
        if (key.length == 0) {
            return "empty key: keys must have 1.." + dev.walnut.format.RecordFormat.KEY_BYTES_MAX + " bytes";
        }
        if (key.length > dev.walnut.format.RecordFormat.KEY_BYTES_MAX) {
            return "key too large: keyBytes=" + key.length + " max=" + dev.walnut.format.RecordFormat.KEY_BYTES_MAX;
        }
        if ((long) key.length + value.length > entryBytesMax) {
            return "entry too large for one record: keyBytes+valueBytes=" + ((long) key.length + value.length)
                    + " max=" + entryBytesMax + " (raise --max-record-bytes)";
        }
        return null;
    }
}
