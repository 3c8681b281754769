package dev.walnut.cli;

import dev.walnut.LogInspector;
import dev.walnut.WalnutOptions;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Streams every record of every log file (a compacted base, then the segments), in file order,
 * through {@link LogInspector#dump}, read-only. This is the raw view: damage is reported where it
 * is met with the reader's own words, and the dump resumes at the next record valid at its own
 * offset; telling a torn tail from corruption is {@code verify}'s job. Memory is the read window
 * plus the largest record. Its output is its progress, so it draws none.
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
        try (WalStorage storage = ReadOnlyStore.storage(directory, console, Progress.OFF);
             WalDumpPrinter printer = new WalDumpPrinter(console.out(), format == Format.jsonl, values)) {
            LogInspector.dump(storage, WalnutOptions.READ_WINDOW_BYTES_DEFAULT, printer);
        }
        return ExitCode.OK;
    }
}
