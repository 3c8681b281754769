package dev.walnut.cli;

import dev.walnut.RecoveryPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints entries in key order, one {@code key<TAB>value} line each: one read-only open, then a cursor that stops at the limit. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Print entries in key order as KEY<TAB>VALUE lines (escaped UTF-8, or base64). Read-only.")
final class ScanCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P.")
    String prefix;

    @Option(names = "--from", paramLabel = "KEY", description = "Only keys >= KEY.")
    String from;

    @Option(names = "--to", paramLabel = "KEY", description = "Only keys < KEY.")
    String to;

    @Option(names = "--after", paramLabel = "KEY", description = "Only keys > KEY.")
    String after;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "" + KeyFilter.NO_LIMIT,
            description = "Print at most N entries (default: all).")
    long limit;

    @Option(names = "--keys-only", description = "Print keys only.")
    boolean keysOnly;

    @Mixin
    KeyEncoding encoding = new KeyEncoding();

    @Mixin
    ProgressOption progress = new ProgressOption();

    ScanCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        KeyFilter filter = new KeyFilter(optional("--prefix", prefix), optional("--after", after),
                optional("--from", from), optional("--to", to));
        PrintStream out = console.out();
        try (ReadOnlyStore store = ReadOnlyStore.open(directory, RecoveryPolicy.TOLERATE_TORN_TAIL, console, progress,
                "scan")) {
            filter.forEach(store.db(), limit, (key, value) -> out.println(keysOnly ? encoding.encode(key)
                    : encoding.encode(key) + "\t" + encoding.encode(value)));
        }
        return ExitCode.OK;
    }

    private byte[] optional(String option, String text) {
        return text == null ? null : encoding.decode(option, text);
    }
}
