package dev.walnut.cli;

import dev.walnut.DamageAction;
import dev.walnut.DamageSite;
import dev.walnut.RecoveryPolicy;
import dev.walnut.recovery.Recovery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Streams the live state in key order. The log is replayed read-only under the store's lock, so the
 * export is one consistent state (the log as it stood when the lock was taken) and the store is
 * never modified. Memory stays bounded however large the store: the replay feeds an external sort
 * ({@link SortedLiveState}) whose runs go to a temporary directory outside the store.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export the live state in key order (jsonl, csv, tsv or walnut), read-only.",
                "walnut is a compact checksummed binary stream. The same state always gives the same bytes.",
                "Keys for --after/--prefix are escaped UTF-8 (\\xNN for any byte)."})
final class ExportCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", arity = "0..1", paramLabel = "OUT",
            description = "Output file, written whole or not at all (default or '-': stdout).")
    String output;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "jsonl, csv, tsv or walnut.")
    ExportFormat format;

    @Option(names = "--after", paramLabel = "KEY", description = "Only keys strictly after KEY: resumes an export.")
    String after;

    @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P.")
    String prefix;

    @Option(names = "--base64", description = "jsonl: write every key and value as base64, even text.")
    boolean base64;

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "TOLERATE_TORN_TAIL",
            description = "Recovery policy for reading the log (default: ${DEFAULT-VALUE}); SALVAGE exports what"
                    + " survives corruption.")
    RecoveryPolicy policy;

    @Option(names = "--tmp-dir", paramLabel = "DIR", description = "Where sort runs go (default: java.io.tmpdir).")
    Path tmpDir;

    ExportCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        KeyFilter filter = new KeyFilter(keyArgument("--prefix", prefix), keyArgument("--after", after), null, null);
        Path sortDirectory = tmpDir != null ? tmpDir : Path.of(System.getProperty("java.io.tmpdir"));
        StoreDirectory.requireStore(directory);
        try (SortedLiveState state = new SortedLiveState(filter, sortDirectory);
             OutputTarget target = OutputTarget.open(output, console)) {
            Recovery.Outcome outcome = LogReplay.run(directory, LogReplay.settings(policy), state, console, "export");
            for (DamageSite site : outcome.report().damage()) {
                if (site.action() != DamageAction.DROPPED_EARLIER) {
                    console.err().println("export: note: " + site);
                }
            }
            ExportFormat.EntryWriter writer = format.writer(target.stream(), base64);
            long[] entries = new long[1];
            try (Progress progress = new Progress(console, "export")) {
                state.emit((key, value) -> {
                    writer.accept(key, value);
                    entries[0]++;
                    progress.tick(() -> "wrote " + entries[0] + " entries");
                });
            }
            writer.finish();
            target.commit();
            console.err().println("export: entries=" + entries[0] + " format=" + format + " lastSequence="
                    + outcome.report().lastSequence() + " sortRuns=" + state.runCount()
                    + (output == null || output.equals("-") ? "" : " output=" + output));
        }
        return ExitCode.OK;
    }

    static byte[] keyArgument(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return ByteText.unescape(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, option + ": " + e.getMessage() + " (value=" + text + ")");
        }
    }
}
