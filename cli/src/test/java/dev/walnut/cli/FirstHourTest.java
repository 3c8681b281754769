package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user meets first: help, the version, and progress that says how far and how long. */
class FirstHourTest {

    /** Set by the build from the pom's project.version (see cli/pom.xml). */
    static final String EXPECTED_VERSION = System.getProperty("walnut.expectedVersion");

    @TempDir
    Path tmp;

    @Test
    void helpListsTheCommandsAndHelpOfACommandPrintsItsUsage() {
        Cli.Result all = Cli.run("help");
        Cli.Result one = Cli.run("help", "import");

        assertEquals(ExitCode.OK, all.code(), all::toString);
        assertContains(all.out(), "Usage: walnut");
        assertContains(all.out(), "verify");
        assertContains(all.out(), "dump-wal");
        assertEquals(ExitCode.OK, one.code(), one::toString);
        assertContains(one.out(), "Usage: walnut import");
        assertContains(one.out(), "--format=FORMAT");
    }

    @Test
    void versionIsTheArtifactVersionFromThePom() {
        assertNotNull(EXPECTED_VERSION, "surefire passes walnut.expectedVersion");
        for (String flag : new String[] {"-V", "--version"}) {
            Cli.Result r = Cli.run(flag);

            assertEquals(ExitCode.OK, r.code(), r::toString);
            assertEquals("walnut " + EXPECTED_VERSION + "\n", r.out());
        }
    }

    @Test
    void importWithProgressPrintsTotalsRateAndEtaLinesToStderrAndNothingToStdout() throws IOException {
        Path input = tmp.resolve("in.jsonl");
        Files.writeString(input, Stores.jsonlLines(2000), StandardCharsets.UTF_8);

        Cli.Result r = Cli.run("import", tmp.resolve("store").toString(), "--format", "jsonl", "--progress",
                input.toString());

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertContains(r.err(), "import: checking: ");
        assertContains(r.err(), " MiB (100.0%)");
        assertContains(r.err(), "import: 2,000/2,000 entries (100.0%)");
        assertEquals("import: imported=2000 entries in 1 batches (directory=" + tmp.resolve("store") + ")\n", r.out());
    }

    @Test
    void withoutATerminalOrTheFlagNoProgressIsPrinted() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 10);

        Cli.Result r = Cli.run("scan", dir.toString(), "--limit", "2");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertEquals("", r.err());
        assertFalse(r.out().contains("entries/s"));
    }

    @Test
    void readCommandsWithProgressShowTheLogBeingRead() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 10);

        Cli.Result r = Cli.run("stats", dir.toString(), "--progress");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertTrue(r.err().startsWith("stats: reading log: "), r::toString);
        assertContains(r.err(), "(100.0%)");
    }
}
