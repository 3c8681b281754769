package dev.walnut.cli;

import dev.walnut.WalnutOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Streams entries into a store in atomic batches, creating the store if DIR does not exist or is
 * empty. From a file, a first pass checks the whole input, so a malformed file changes nothing; from
 * stdin (which cannot be read twice) batches before the malformed entry stay applied and the one
 * holding it is not written.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import jsonl or walnut entries into a store (created if missing or empty).",
                "A malformed input stops with its line or entry number (exit 7); from a file nothing is changed."})
final class ImportCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", arity = "0..1", paramLabel = "IN", description = "Input file (default or '-': stdin).")
    String input;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "jsonl or walnut.")
    ImportFormat format;

    @Mixin
    RecordLimitOption log = new RecordLimitOption();

    ImportCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        StoreDirectory.requireWritable(directory);
        WalnutOptions options = log.walnutOptions().build();
        long entryBytesMax = BatchImporter.entryBytesMax(options.maxRecordBytes());
        boolean fromStdin = input == null || input.equals("-");
        String source = fromStdin ? "stdin" : input;
        if (!fromStdin) {
            requireReadableFile(Path.of(input));
            long[] checked = new long[1];
            try (InputStream in = Files.newInputStream(Path.of(input));
                 Progress progress = new Progress(console, "import")) {
                format.read(in, source, entryBytesMax, (key, value) -> {
                    checked[0]++;
                    progress.tick(() -> "checked " + checked[0] + " entries");
                });
            }
        }
        try (Progress progress = new Progress(console, "import");
             BatchImporter importer = new BatchImporter(directory, options, progress);
             InputStream in = fromStdin ? CloseShieldInput.of(console.in()) : Files.newInputStream(Path.of(input))) {
            try {
                format.read(in, source, entryBytesMax, importer);
            } catch (CliException e) {
                throw new CliException(e.exitCode(), e.getMessage() + importedBefore(importer, "was not applied"), e);
            } catch (IOException e) {
                // Batches before a failing read (of stdin) or write stay applied: say so, as for malformed input,
                // under the exit code the failure has on its own.
                if (importer.batches() == 0) {
                    throw e;
                }
                throw new CliException(Main.exitCode(e), Main.describe(e) + importedBefore(importer, "is not acknowledged"),
                        e);
            }
            importer.finish();
            progress.close();
            console.out().println("import: imported=" + importer.entries() + " entries in " + importer.batches()
                    + " batches (directory=" + directory + ")");
        }
        return ExitCode.OK;
    }

    /** What stays in the store after a failure: the acknowledged batches, and what became of the failing one. */
    private static String importedBefore(BatchImporter importer, String failingBatch) {
        return "; imported=" + (importer.entries() - importer.pending()) + " entries in " + importer.batches()
                + " batches before it, the failing batch of " + importer.pending() + " " + failingBatch;
    }

    private static void requireReadableFile(Path path) {
        if (!Files.exists(path)) {
            throw new CliException(ExitCode.USAGE, "input file does not exist (input=" + path + ")");
        }
        if (Files.isDirectory(path)) {
            throw new CliException(ExitCode.USAGE, "input is a directory, expected a file (input=" + path + ")");
        }
    }
}
