package dev.walnut.cli;

import dev.walnut.WalnutOptions;
import dev.walnut.format.BatchCodec;
import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import dev.walnut.log.ReadMeter;
import dev.walnut.log.SegmentReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Streams every record of every log file (a compacted base, then the segments), in file order,
 * read-only. This is the raw view:
 * damage is reported where it is met with the reader's own words, and the dump resumes at the next
 * record valid at its own offset; telling a torn tail from corruption is {@code verify}'s job.
 * Memory is the read window plus the largest record.
 */
@Command(name = "dump-wal", mixinStandardHelpOptions = true,
        description = "Print every record (segment, offset, length, sequence, operations) with damage in line. Read-only.")
final class DumpWalCommand implements Callable<Integer> {

    enum Format { text, jsonl }

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text or jsonl.")
    Format format;

    @Option(names = "--values", description = "Print values too, not only their sizes.")
    boolean values;

    DumpWalCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        StoreDirectory.requireStore(directory);
        try (ReadOnlyWalStorage storage = new ReadOnlyWalStorage(directory);
             Closeable lock = storage.lock();
             WalDumpPrinter printer = new WalDumpPrinter(console.out(), format == Format.jsonl, values)) {
            WalStorage files = console.readStorage().apply(storage);
            for (String name : files.list()) {
                if (!LogReplay.isLogFile(name)) {
                    continue;
                }
                try (WalFile file = files.open(name)) {
                    dumpSegment(file, name, printer);
                }
            }
        }
        return ExitCode.OK;
    }

    private void dumpSegment(WalFile file, String name, WalDumpPrinter printer) throws IOException {
        long size = file.sizeBytes();
        ByteBuffer headerBytes = ByteBuffer.allocate((int) Math.min(size, RecordFormat.SEGMENT_HEADER_BYTES));
        file.readFully(0, headerBytes);
        SegmentHeader.Decoded decoded = SegmentHeader.decode(headerBytes.flip(), name);
        if (!decoded.valid()) {
            printer.damage(name, 0, size, decoded.problem(), -1);
            return;
        }
        printer.segment(name, size, decoded.header());
        RecordCodec codec = new RecordCodec(LogReplay.READ_LIMIT_BYTES, false);
        try (SegmentReader reader = new SegmentReader(file, name, decoded.header(), size,
                WalnutOptions.READ_WINDOW_BYTES_DEFAULT, codec, new ReadMeter())) {
            SegmentReader.Step step = reader.next();
            while (step != SegmentReader.Step.END) {
                String problem = reader.problem();
                if (step == SegmentReader.Step.RECORD) {
                    problem = printRecord(reader, name, printer);
                    if (problem == null) {
                        step = reader.next();
                        continue;
                    }
                }
                long at = reader.offsetBytes();
                boolean found = reader.scanForward(at + 1, 0);
                long resume = found ? reader.offsetBytes() : -1;
                printer.damage(name, at, (found ? resume : size) - at, problem, resume);
                if (!found) {
                    return;
                }
                step = SegmentReader.Step.RECORD;
            }
            printer.segmentEnd(name, reader.offsetBytes());
        }
    }

    /** Prints the reader's current record; returns why not if its body does not decode, else null. */
    private String printRecord(SegmentReader reader, String name, WalDumpPrinter printer) throws IOException {
        ByteBuffer body = reader.body();
        try {
            BatchCodec.validate(body);
        } catch (MalformedRecordException e) {
            return e.getMessage() + " (file=" + name + " offset=" + reader.offsetBytes() + ")";
        }
        printer.startRecord(name, reader.offsetBytes(), reader.recordBytes(), reader.sequence(),
                reader.syncedThroughBytes(), reader.flags());
        try {
            BatchCodec.decode(body, printer);
        } catch (MalformedRecordException e) {
            throw new AssertionError("validated body failed to decode", e);
        }
        printer.endRecord();
        return null;
    }
}
