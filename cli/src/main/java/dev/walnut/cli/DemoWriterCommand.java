package dev.walnut.cli;

import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.io.FileChannelWalStorage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The child half of {@code demo} (hidden): writes synced puts into DIR through a
 * {@link TearingWalStorage} until the chosen record is torn and the JVM halts. After each put
 * returns (it is durable then) it prints {@code ack N}, so the parent knows what was acknowledged.
 */
@Command(name = DemoWriterCommand.NAME, hidden = true, description = "Child process of demo (internal).")
final class DemoWriterCommand implements Callable<Integer> {

    static final String NAME = "demo-writer";
    static final String ACK_PREFIX = "ack ";

    private final Console console;

    @Parameters(index = "0", description = "Store directory (must exist).")
    Path directory;

    @Option(names = "--tear-at-record", required = true, description = "The record append to tear (1-based).")
    long tearAtRecord;

    DemoWriterCommand(Console console) {
        this.console = console;
    }

    /** The key of the {@code n}-th demo record: fixed width, so key order is write order. */
    static byte[] key(long n) {
        return String.format("demo-%06d", n).getBytes(StandardCharsets.UTF_8);
    }

    /** The value of the {@code n}-th demo record, long enough that half a record cuts into it. */
    static byte[] value(long n) {
        return String.format("value of record %06d, written and synced before its ack", n)
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = console.out();
        FileChannelWalStorage files = new FileChannelWalStorage(directory);
        TearingWalStorage storage = new TearingWalStorage(files, tearAtRecord, out);
        // Compression off: every record then carries its value bytes as written, like the text shows.
        WalnutOptions options = WalnutOptions.builder().compression(false).build();
        try (Walnut db = Walnut.open(storage, options)) {
            for (long n = 1; ; n++) {
                db.put(key(n), value(n));
                out.println(ACK_PREFIX + n);
                out.flush();
            }
        }
    }
}
