package dev.walnut.cli;

import dev.walnut.RecoveryPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints one value: one read-only open of the store, then one lookup. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Print the value of KEY (exit 1 if absent). Read-only.")
final class GetCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "KEY", description = "The key (escaped UTF-8, or base64 with --base64).")
    String keyText;

    @Option(names = "--raw", description = "Write the value's exact bytes, with no newline.")
    boolean raw;

    @Mixin
    KeyEncoding encoding = new KeyEncoding();

    @Mixin
    ProgressOption progress = new ProgressOption();

    GetCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        byte[] key = encoding.decode("KEY", keyText);
        KeyEncoding.requireKey(key);
        byte[] value;
        try (ReadOnlyStore store = ReadOnlyStore.open(directory, RecoveryPolicy.TOLERATE_TORN_TAIL, console, progress,
                "get")) {
            value = store.db().get(key);
        }
        if (value == null) {
            console.err().println("walnut get: key not found (key=" + ByteText.escape(key) + " directory=" + directory
                    + ")");
            return ExitCode.NOT_FOUND;
        }
        if (raw) {
            console.out().write(value);
        } else {
            console.out().println(encoding.encode(value));
        }
        return ExitCode.OK;
    }
}
