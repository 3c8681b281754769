package dev.walnut.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static String drive(boolean interactive) throws InterruptedException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Console console = new Console(new ByteArrayInputStream(new byte[0]), System.out, errStream, interactive);
        try (Progress progress = new Progress(console, "export")) {
            long endMs = System.currentTimeMillis() + 2 * Progress.REDRAW_INTERVAL_MS;
            while (System.currentTimeMillis() < endMs) {
                progress.tick(() -> "wrote 42 entries");
                Thread.sleep(0, 1000);
            }
            for (int i = 0; i < Progress.TICKS_PER_CLOCK_READ; i++) {
                progress.tick(() -> "wrote 42 entries");
            }
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void progressIsDrawnInPlaceOnATerminalAndErasedWhenDone() throws InterruptedException {
        String err = drive(true);
        assertTrue(err.startsWith("\rexport: wrote 42 entries"), err);
        assertTrue(err.endsWith("\r"), "the line is erased at the end");
        assertTrue(!err.contains("\n"), "progress never scrolls the terminal");
    }

    @Test
    void progressStaysQuietWhenStderrIsNotATerminal() throws InterruptedException {
        assertEquals("", drive(false));
    }
}
