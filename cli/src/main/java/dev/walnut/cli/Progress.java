package dev.walnut.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One status line on stderr: how much is done, of what total when it is known, the rate, and an
 * ETA when the total is known, e.g. {@code import: 5,120/1,000,000 entries (0.5%) 48,000 entries/s eta 20s}.
 *
 * <p>Drawn only when stderr is a terminal (redrawn in place, at most every
 * {@link #TERMINAL_INTERVAL_NANOS}, erased at the end) or when the user asked with
 * {@code --progress} (one line per {@link #LOG_INTERVAL_NANOS}, plus a last line at the end, so a
 * log shows how far the command got). Piped or redirected stderr without the flag never carries
 * progress. {@link #update} only reads the clock when called, so a loop may call it for every item.
 */
final class Progress implements AutoCloseable {

    static final long TERMINAL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long UNKNOWN_TOTAL = -1;
    static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    /** What is counted; {@link #ELAPSED} counts nothing and shows that the command is still running. */
    enum Unit { ENTRIES, BYTES, ELAPSED }

    /** No output at all: for callers that have no progress to show. */
    static final Progress OFF = new Progress(null, Mode.OFF, "", Unit.ENTRIES, UNKNOWN_TOTAL, System::nanoTime);

    private enum Mode { OFF, TERMINAL, LOG }

    private final PrintStream err;
    private final Mode mode;
    private final String label;
    private final Unit unit;
    private final long total;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long nextLineNanos;
    private long done;
    private int drawnChars;
    private boolean closed;

    Progress(PrintStream err, boolean terminal, boolean requested, String label, Unit unit, long total,
             LongSupplier nanoClock) {
        this(err, terminal ? Mode.TERMINAL : requested ? Mode.LOG : Mode.OFF, label, unit, total, nanoClock);
    }

    private Progress(PrintStream err, Mode mode, String label, Unit unit, long total, LongSupplier nanoClock) {
        this.err = err;
        this.mode = mode;
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.nextLineNanos = startNanos + interval();
    }

    /** Progress of {@code label} on the console's stderr; {@code requested} is the {@code --progress} flag. */
    static Progress start(Console console, boolean requested, String label, Unit unit, long total) {
        return new Progress(console.err(), console.interactive(), requested, label, unit, total, System::nanoTime);
    }

    /** Records that {@code doneSoFar} units are done; draws a line if one is due. */
    void update(long doneSoFar) {
        done = doneSoFar;
        if (mode == Mode.OFF || closed) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - nextLineNanos < 0) {
            return;
        }
        nextLineNanos = now + interval();
        draw(now);
    }

    private long interval() {
        return mode == Mode.LOG ? LOG_INTERVAL_NANOS : TERMINAL_INTERVAL_NANOS;
    }

    private void draw(long nowNanos) {
        String line = line(label, unit, done, total, nowNanos - startNanos);
        if (mode == Mode.LOG) {
            err.println(line);
        } else {
            err.print("\r" + line + " ".repeat(Math.max(0, drawnChars - line.length())));
            drawnChars = line.length();
        }
        err.flush();
    }

    /** The status line: done[/total] unit [(percent)] [rate] [eta]. */
    static String line(String label, Unit unit, long done, long total, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        if (unit == Unit.ELAPSED) {
            return label + ": running " + duration(seconds);
        }
        boolean known = total > 0;
        StringBuilder s = new StringBuilder(label).append(": ").append(amount(unit, done));
        if (known) {
            s.append('/').append(amount(unit, total));
        }
        s.append(unit == Unit.BYTES ? " MiB" : " entries");
        if (known) {
            s.append(String.format(Locale.ROOT, " (%.1f%%)", Math.min(100.0, 100.0 * done / total)));
        }
        if (seconds > 0 && done > 0) {
            double rate = done / seconds;
            s.append(' ').append(unit == Unit.BYTES ? String.format(Locale.ROOT, "%,.1f MiB/s", rate / BYTES_PER_MIB)
                    : String.format(Locale.ROOT, "%,d entries/s", Math.round(rate)));
            if (known && done < total) {
                s.append(" eta ").append(duration((total - done) / rate));
            }
        }
        return s.toString();
    }

    private static String amount(Unit unit, long n) {
        return unit == Unit.BYTES ? String.format(Locale.ROOT, "%,.1f", n / BYTES_PER_MIB)
                : String.format(Locale.ROOT, "%,d", n);
    }

    /** 7s, 3m05s, 1h02m: the precision a person waiting needs. */
    static String duration(double seconds) {
        long s = (long) Math.ceil(seconds);
        if (s < 60) {
            return s + "s";
        } else if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** On a terminal erases the line, so the command's own output starts clean; in a log, prints the last state. */
    @Override
    public void close() {
        if (closed || mode == Mode.OFF) {
            return;
        }
        closed = true;
        if (mode == Mode.LOG) {
            err.println(line(label, unit, done, total, nanoClock.getAsLong() - startNanos));
        } else if (drawnChars > 0) {
            err.print("\r" + " ".repeat(drawnChars) + "\r");
            drawnChars = 0;
        }
        err.flush();
    }
}
