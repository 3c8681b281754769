package dev.walnut.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The streams a command talks through, injected so that tests drive {@link Main#run} with their own
 * streams. {@code interactive} decides whether progress is drawn on {@code err}.
 */
public record Console(InputStream in, PrintStream out, PrintStream err, boolean interactive) {

    /** Progress belongs on a terminal only; redirected output stays free of it. */
    static boolean stderrIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        // From JDK 22, System.console() is non-null even when redirected; isTerminal() tells.
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJdk22) {
            return true;
        }
    }
}
