package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressTest {

    static final long TOTAL = 1_000_000;
    static final long ENTRIES_PER_MS = 48;
    static final long SIMULATED_MS = 10_000;

    /** A clock the test moves: every update advances it by a millisecond. */
    private static final class FakeClock {
        long nanos;
    }

    /** 48 entries per simulated millisecond for ten simulated seconds, one update per millisecond. */
    private static String drive(boolean terminal, boolean requested) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        FakeClock clock = new FakeClock();
        try (Progress progress = new Progress(errStream, terminal, requested, "import", Progress.Unit.ENTRIES, TOTAL,
                () -> clock.nanos)) {
            for (long ms = 1; ms <= SIMULATED_MS; ms++) {
                clock.nanos = TimeUnit.MILLISECONDS.toNanos(ms);
                progress.update(ms * ENTRIES_PER_MS);
            }
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLineShowsDoneOfTotalPercentRateAndEta() {
        String line = Progress.line("import", Progress.Unit.ENTRIES, 5_120, TOTAL, TimeUnit.MILLISECONDS.toNanos(107));

        assertEquals("import: 5,120/1,000,000 entries (0.5%) 47,850 entries/s eta 21s", line);
    }

    @Test
    void withoutATotalALineShowsCountAndRateButNoEta() {
        String line = Progress.line("import", Progress.Unit.ENTRIES, 96_000, Progress.UNKNOWN_TOTAL,
                TimeUnit.SECONDS.toNanos(2));

        assertEquals("import: 96,000 entries 48,000 entries/s", line);
    }

    @Test
    void bytesAreShownInMebibytesWithTheirRate() {
        String line = Progress.line("get: reading log", Progress.Unit.BYTES, 64L << 20, 160L << 20,
                TimeUnit.SECONDS.toNanos(1));

        assertEquals("get: reading log: 64.0/160.0 MiB (40.0%) 64.0 MiB/s eta 2s", line);
    }

    @Test
    void longEtasReadAsMinutesAndHours() {
        assertEquals("3m05s", Progress.duration(184.2));
        assertEquals("1h02m", Progress.duration(3725));
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAtMostFourTimesASecondAndErasedWhenDone() {
        String err = drive(true, false);

        long redraws = err.split("\rimport: ", -1).length - 1;
        assertTrue(redraws <= SIMULATED_MS / TimeUnit.NANOSECONDS.toMillis(Progress.TERMINAL_INTERVAL_NANOS),
                "redraws=" + redraws);
        assertTrue(redraws >= 30, "redraws=" + redraws);
        assertTrue(err.startsWith("\rimport: 12,000/1,000,000 entries (1.2%) 48,000 entries/s eta 21s"), err);
        assertTrue(err.endsWith("\r"), "the line is erased at the end");
        assertFalse(err.contains("\n"), "progress never scrolls the terminal");
    }

    @Test
    void whenAskedForWithoutATerminalOneLineASecondIsPrintedAndALastOneAtTheEnd() {
        String err = drive(false, true);

        assertEquals(SIMULATED_MS / TimeUnit.NANOSECONDS.toMillis(Progress.LOG_INTERVAL_NANOS) + 1, err.lines().count(),
                err);
        assertTrue(err.startsWith("import: 48,000/1,000,000 entries (4.8%) 48,000 entries/s eta 20s\n"), err);
        assertContains(err, "import: 480,000/1,000,000 entries (48.0%) 48,000 entries/s eta 11s\n");
        assertFalse(err.contains("\r"), "a log gets whole lines");
    }

    @Test
    void progressStaysQuietWhenStderrIsNotATerminalAndItWasNotAskedFor() {
        assertEquals("", drive(false, false));
    }
}
