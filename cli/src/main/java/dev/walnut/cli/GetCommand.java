package dev.walnut.cli;

import dev.walnut.RecoveryPolicy;
import dev.walnut.format.BatchCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints one value, read-only: the replay keeps only the one key's latest value. */
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

    GetCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        byte[] key = encoding.decode("KEY", keyText);
        KeyEncoding.requireKey(key);
        byte[][] latest = new byte[1][];
        LogReplay.run(directory, LogReplay.settings(RecoveryPolicy.TOLERATE_TORN_TAIL), new BatchCodec.OpSink() {
            @Override
            public void put(byte[] k, byte[] v) {
                if (Arrays.equals(k, key)) {
                    latest[0] = v;
                }
            }

            @Override
            public void delete(byte[] k) {
                if (Arrays.equals(k, key)) {
                    latest[0] = null;
                }
            }
        }, console, "get");
        if (latest[0] == null) {
            console.err().println("walnut get: key not found (key=" + ByteText.escape(key) + " directory=" + directory
                    + ")");
            return ExitCode.NOT_FOUND;
        }
        if (raw) {
            console.out().write(latest[0]);
        } else {
            console.out().println(encoding.encode(latest[0]));
        }
        return ExitCode.OK;
    }
}
