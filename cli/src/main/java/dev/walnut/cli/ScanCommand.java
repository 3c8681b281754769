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

/** Prints entries in key order, one {@code key<TAB>value} line each; read-only and memory-bounded like export. */
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

    @Option(names = "--limit", paramLabel = "N", defaultValue = "-1", description = "Print at most N entries.")
    long limit;

    @Option(names = "--keys-only", description = "Print keys only.")
    boolean keysOnly;

    @Mixin
    KeyEncoding encoding = new KeyEncoding();

    ScanCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        KeyFilter filter = new KeyFilter(optional("--prefix", prefix), optional("--after", after),
                optional("--from", from), optional("--to", to));
        StoreDirectory.requireStore(directory);
        PrintStream out = console.out();
        try (SortedLiveState state = new SortedLiveState(filter, Path.of(System.getProperty("java.io.tmpdir")))) {
            LogReplay.run(directory, LogReplay.settings(RecoveryPolicy.TOLERATE_TORN_TAIL), state, console, "scan");
            long[] printed = new long[1];
            state.emit((key, value) -> {
                if (limit >= 0 && printed[0] >= limit) {
                    return;
                }
                out.println(keysOnly ? encoding.encode(key) : encoding.encode(key) + "\t" + encoding.encode(value));
                printed[0]++;
            });
        }
        return ExitCode.OK;
    }

    private byte[] optional(String option, String text) {
        return text == null ? null : encoding.decode(option, text);
    }
}
