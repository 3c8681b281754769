package dev.walnut.cli;

import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * What a command talks through, injected so that tests drive {@link Main#run} end to end: the
 * streams; {@code interactive}, which decides whether progress is drawn on {@code err}; and
 * {@code readStorage}, applied to the read-only storage of every read-only command (the identity in
 * production; tests wrap it to inject read errors, which cannot be provoked by file modes as root).
 */
public record Console(InputStream in, PrintStream out, PrintStream err, boolean interactive,
                      UnaryOperator<WalStorage> readStorage) {

    public Console(InputStream in, PrintStream out, PrintStream err, boolean interactive) {
        this(in, out, err, interactive, UnaryOperator.identity());
    }

    /**
     * Progress belongs on a terminal only; redirected output stays free of it. On Linux, stderr's
     * own descriptor tells (so {@code export > file} on a terminal still shows progress); elsewhere
     * {@link System#console()} (stdin and stdout are a terminal) is the best Java offers.
     */
    static boolean stderrIsTerminal() {
        Path stderr = Path.of("/proc/self/fd/2");
        if (Files.exists(stderr, LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(stderr).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
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
