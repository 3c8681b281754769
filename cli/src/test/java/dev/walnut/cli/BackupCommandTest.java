package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walnut backup DIR TARGET}: a checkpoint that opens and reads like the store it copies. */
class BackupCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aBackupOpensAndHoldsEveryKeyTheStoreHeldWhenItWasTaken() throws IOException {
        Path dir = tmp.resolve("store");
        for (int i = 0; i < 20; i++) {
            assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "k" + i, "v" + i).code());
        }
        Path target = tmp.resolve("copy");
        Cli.Result backup = Cli.run("backup", dir.toString(), target.toString());
        assertEquals(ExitCode.OK, backup.code(), backup.err());
        assertContains(backup.out(), "liveKeys=20");
        assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "after", "x").code());
        assertEquals("v7\n", Cli.run("get", target.toString(), "k7").out());
        assertEquals(ExitCode.OK, Cli.run("verify", target.toString()).code());
        assertEquals(20, Cli.run("scan", target.toString()).out().lines().count(), "the copy does not see 'after'");
    }

    @Test
    void aBackupIntoADirectoryThatHoldsFilesIsRefusedAndChangesNothing() throws IOException {
        Path dir = tmp.resolve("store");
        assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "k", "v").code());
        Path target = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(target.resolve("keep.txt"), "mine");
        Cli.Result r = Cli.run("backup", dir.toString(), target.toString());
        assertEquals(ExitCode.USAGE, r.code());
        assertContains(r.err(), "new or empty directory");
        assertEquals(1, target.toFile().list().length);
    }
}
