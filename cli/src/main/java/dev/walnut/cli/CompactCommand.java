package dev.walnut.cli;

import dev.walnut.Stats;
import dev.walnut.Walnut;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Opens the store and compacts it: the live state goes into a compacted base, and the segments it
 * replaces (damaged bytes included) are retired. Under the default policy a store with corruption
 * does not open; recover it first (e.g. {@code recover --policy SALVAGE}), then compact.
 */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Rewrite the live state into a compacted base and retire the segments it replaces.")
final class CompactCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Mixin
    RecordLimitOption log = new RecordLimitOption();

    @Mixin
    ProgressOption progress = new ProgressOption();

    CompactCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        StoreDirectory.requireStore(directory);
        try (Walnut db = Walnut.open(directory, log.walnutOptions().build());
             Ticker ticker = new Ticker(progress.start(console, "compact", Progress.Unit.ELAPSED,
                     Progress.UNKNOWN_TOTAL))) {
            Stats before = db.stats();
            db.compact();
            Stats after = db.stats();
            ticker.close();
            console.out().println("compact: liveKeys=" + after.liveKeys() + " liveBytes=" + after.liveBytes()
                    + " logBytes=" + before.logBytes() + "->" + after.logBytes() + " segments=" + before.segments()
                    + "->" + after.segments() + " lastSequence=" + after.lastSequence());
        }
        return ExitCode.OK;
    }

    /** Compaction reports no progress of its own: show that it is still running, and for how long. */
    private static final class Ticker implements AutoCloseable {
        private final Progress progress;
        private final Thread thread;

        Ticker(Progress progress) {
            this.progress = progress;
            thread = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        progress.update(0);
                        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(Progress.TERMINAL_INTERVAL_NANOS));
                    }
                } catch (InterruptedException done) {
                    // Closing the ticker interrupts it.
                }
            }, "walnut-compact-ticker");
            thread.setDaemon(true);
            thread.start();
        }

        /** Stops the thread, then ends the progress line: Progress is used by one thread at a time. */
        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            progress.close();
        }
    }
}
