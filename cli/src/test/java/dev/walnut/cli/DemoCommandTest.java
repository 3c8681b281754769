package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
