package dev.walnut.cli;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * One status line redrawn in place on stderr, only when stderr is a terminal: piped or redirected
 * output never carries progress. Redraws are throttled so that a tight loop can call
 * {@link #tick} for every item.
 */
final class Progress implements AutoCloseable {

    static final long REDRAW_INTERVAL_MS = 250;
    /** Ticks between clock reads: reading the clock per record would cost more than the record. */
    static final int TICKS_PER_CLOCK_READ = 1024;

    private final PrintStream err;
    private final boolean enabled;
    private final String label;
    private long nextRedrawMs;
    private int ticks;
    private int drawnChars;

    Progress(Console console, String label) {
        this.err = console.err();
        this.enabled = console.interactive();
        this.label = label;
        this.nextRedrawMs = System.currentTimeMillis() + REDRAW_INTERVAL_MS;
    }

    /** Redraws the status if it is time; {@code status} is only evaluated then. */
    void tick(Supplier<String> status) {
        if (!enabled || ++ticks % TICKS_PER_CLOCK_READ != 0) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now < nextRedrawMs) {
            return;
        }
        nextRedrawMs = now + REDRAW_INTERVAL_MS;
        String line = label + ": " + status.get();
        err.print("\r" + line + " ".repeat(Math.max(0, drawnChars - line.length())));
        err.flush();
        drawnChars = line.length();
    }

    static String mebibytes(long doneBytes, long totalBytes) {
        double mib = 1024.0 * 1024.0;
        if (totalBytes <= 0) {
            return String.format("%.1f MiB", doneBytes / mib);
        }
        return String.format("%.1f / %.1f MiB (%d%%)", doneBytes / mib, totalBytes / mib,
                Math.min(100, doneBytes * 100 / totalBytes));
    }

    /** Erases the status line, so the command's own output starts on a clean line. */
    @Override
    public void close() {
        if (enabled && drawnChars > 0) {
            err.print("\r" + " ".repeat(drawnChars) + "\r");
            err.flush();
            drawnChars = 0;
        }
    }
}
