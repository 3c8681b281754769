package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void childHaltedMidWriteLeavesATornTailAndEveryAcknowledgedRecordSurvives() {
        Path dir = tmp.resolve("demo");

        Cli.Result r = Cli.run("demo", dir.toString(), "--tear-at-record", "40");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertContains(r.out(), "child: power cut: record 40 torn after writtenBytes=");
        assertContains(r.out(), "child acknowledged 39 records");
        assertContains(r.out(), "TORN_TAIL file=wal-0000000001.log");
        assertContains(r.out(), "action=DROPPED");
        assertContains(r.out(), "acknowledged=39 survived=39 missing=0");
        assertContains(r.out(), "torn record demo-000040 is absent");
        assertEquals("", r.err());

        Cli.Result verify = Cli.run("verify", dir.toString());
        assertEquals(ExitCode.OK, verify.code(), "the reopened store verifies clean:\n" + verify);
    }

    /** The indented lines after {@code header}: the commands the demo printed, one a line. */
    static List<String> commandsAfter(String out, String header) {
        List<String> lines = out.lines().toList();
        int at = lines.indexOf(header);
        assertTrue(at >= 0, "expected a line: " + header + "\nactual:\n" + out);
        List<String> commands = new ArrayList<>();
        for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("  "); i++) {
            commands.add(lines.get(i).strip());
        }
        return commands;
    }

    /** Runs a printed command as a POSIX shell would split it: words, single-quoted where the demo quoted them. */
    static ProcessResult runAsPrinted(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        return new ProcessResult(p.exitValue(), output);
    }

    record ProcessResult(int code, String output) {
    }

    @Test
    void theClosingTipIsACommandThatRunsAsPrinted() throws Exception {
        Path dir = tmp.resolve("with space").resolve("demo");

        Cli.Result r = Cli.run("demo", dir.toString(), "--tear-at-record", "5");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        List<String> commands = commandsAfter(r.out(), "demo: look closer with:");
        assertEquals(2, commands.size(), r::toString);
        assertContains(commands.get(0), " verify ");
        ProcessResult verify = runAsPrinted(commands.get(0));
        assertEquals(ExitCode.OK, verify.code(), commands.get(0) + "\n" + verify.output());
        assertContains(verify.output(), "verify: clean directory=" + dir.toAbsolutePath());
        ProcessResult dump = runAsPrinted(commands.get(1));
        assertEquals(ExitCode.OK, dump.code(), commands.get(1) + "\n" + dump.output());
        assertTrue(Files.isDirectory(dir), "a directory the user gave is kept");
    }

    @Test
    void withoutADirectoryTheDemoRemovesTheStoreItCreatedAndSaysHowToKeepOne() throws Exception {
        Cli.Result r = Cli.run("demo", "--tear-at-record", "5");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        String header = "demo: store directory ";
        Path created = Path.of(r.out().lines().filter(l -> l.startsWith(header)).findFirst().orElseThrow()
                .substring(header.length()));
        assertFalse(Files.exists(created), "left behind: " + created);
        assertContains(r.out(), "demo: removed its temporary store " + created);
        List<String> commands = commandsAfter(r.out(), "demo: to keep a store and look closer, run:");
        try {
            for (String command : commands) {
                ProcessResult result = runAsPrinted(command);
                assertEquals(ExitCode.OK, result.code(), command + "\n" + result.output());
            }
            assertTrue(Files.isDirectory(created), "the printed demo command keeps its store");
        } finally {
            TempTree.delete(created);
        }
    }

    @Test
    void demoRefusesANonEmptyDirectoryAndTouchesNothing() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result r = Cli.run("demo", dir.toString());

        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertContains(r.err(), "directory is not empty");
        assertEquals(before, Stores.fingerprint(dir));
    }
}
