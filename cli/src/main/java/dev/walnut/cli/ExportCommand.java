package dev.walnut.cli;

import dev.walnut.DamageAction;
import dev.walnut.DamageSite;
import dev.walnut.RecoveryPolicy;
import dev.walnut.RecoveryReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Streams the live state in key order: one read-only open of the store (no file created, changed
 * or locked), then a cursor over it. The export is one consistent state, the log as that open read
 * it. Memory is the read-only open's: today the whole live state is held on the heap, plus one
 * entry being written.
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

    @Mixin
    ProgressOption progress = new ProgressOption();

    ExportCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        KeyFilter filter = new KeyFilter(keyArgument("--prefix", prefix), keyArgument("--after", after), null, null);
        StoreDirectory.requireStore(directory);
        try (ReadOnlyStore store = ReadOnlyStore.open(directory, policy, console, progress, "export");
             OutputTarget target = OutputTarget.open(output, console)) {
            RecoveryReport report = store.db().recoveryReport();
            for (DamageSite site : report.damage()) {
                if (site.action() != DamageAction.DROPPED_EARLIER) {
                    console.err().println("export: note: " + site);
                }
            }
            ExportFormat.EntryWriter writer = format.writer(target.stream(), base64);
            long total = filter.acceptsAll() ? store.db().size() : Progress.UNKNOWN_TOTAL;
            long entries;
            try (Progress shown = progress.start(console, "export", Progress.Unit.ENTRIES, total)) {
                long[] written = new long[1];
                entries = filter.forEach(store.db(), KeyFilter.NO_LIMIT, (key, value) -> {
                    writer.accept(key, value);
                    shown.update(++written[0]);
                });
            }
            writer.finish();
            target.commit();
            console.err().println("export: entries=" + entries + " format=" + format + " lastSequence="
                    + report.lastSequence() + (output == null || output.equals("-") ? "" : " output=" + output));
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
