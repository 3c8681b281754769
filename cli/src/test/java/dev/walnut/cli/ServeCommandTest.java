package dev.walnut.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `walnut serve` refuses what it must before anything listens. */
class ServeCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void wildcardListenAddressIsRefusedUnlessAllowed() {
        int code = run("serve", "--dir", dir.toString(), "--id", "n1", "--peers", "n1=0.0.0.0:9001,n2=127.0.0.1:9002");
        assertEquals(ExitCode.USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("refusing to listen on a wildcard address"), err.toString());
    }

    @Test
    void nodeThatIsNotAmongThePeersIsAUsageError() {
        int code = run("serve", "--dir", dir.toString(), "--id", "n9", "--peers", "n1=127.0.0.1:9001");
        assertEquals(ExitCode.USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("self is not among the peers"), err.toString());
    }

    @Test
    void malformedPeerIsAUsageError() {
        int code = run("serve", "--dir", dir.toString(), "--id", "n1", "--peers", "n1=127.0.0.1");
        assertEquals(ExitCode.USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("peer must be id=host:port"), err.toString());
    }
}
