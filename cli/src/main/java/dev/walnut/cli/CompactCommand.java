package dev.walnut.cli;

import dev.walnut.Stats;
import dev.walnut.Walnut;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    CompactCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        StoreDirectory.requireStore(directory);
        try (Walnut db = Walnut.open(directory, log.walnutOptions().build());
             Ticker ticker = new Ticker(console, "compact")) {
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

    /** Compaction reports no progress of its own: on a terminal, show that it is still running. */
    private static final class Ticker implements AutoCloseable {
        private final Thread thread;

        Ticker(Console console, String label) {
            long startMs = System.currentTimeMillis();
            thread = new Thread(() -> {
                try (Progress progress = new Progress(console, label)) {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (int i = 0; i < Progress.TICKS_PER_CLOCK_READ; i++) {
                            progress.tick(() -> "running, elapsedMs=" + (System.currentTimeMillis() - startMs));
                        }
                        Thread.sleep(Progress.REDRAW_INTERVAL_MS);
                    }
                } catch (InterruptedException done) {
                    // Closing the ticker interrupts it; the progress line is erased on the way out.
                }
            }, "walnut-compact-ticker");
            thread.setDaemon(true);
            if (console.interactive()) {
                thread.start();
            }
        }

        @Override
        public void close() {
            if (thread.isAlive()) {
                thread.interrupt();
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
