package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every read command leaves the store exactly as it found it: no file or directory created
 * (not even LOCK), removed, written or touched, also where an open for writing would act (a
 * torn tail it would end in a new segment, damage it would set aside). Read-only file modes cannot
 * be proven here (CI runs as root, which writes through them), so this proves what makes a
 * read-only store readable: the commands never need to write.
 */
class ReadOnlyCommandsTest {

    @TempDir
    Path tmp;

    private static List<String[]> readCommands(Path dir) {
        String d = dir.toString();
        return List.of(new String[] {"get", d, Stores.key(2)}, new String[] {"scan", d, "--limit", "2"},
                new String[] {"scan", d, "--prefix", "key-000", "--keys-only"}, new String[] {"stats", d},
                new String[] {"stats", d, "--json"}, new String[] {"export", d, "--format", "jsonl"},
                new String[] {"verify", d}, new String[] {"dump-wal", d},
                new String[] {"dump-wal", d, "--format", "jsonl", "--values"},
                new String[] {"recover", d, "--policy", "TOLERATE_TORN_TAIL", "--dry-run"},
                new String[] {"recover", d, "--policy", "POINT_IN_TIME", "--dry-run"});
    }

    private static void assertEveryReadCommandLeavesTheDirectoryAsItWas(Path dir, int expectedVerifyCode)
            throws IOException {
        Map<String, String> before = Stores.fingerprint(dir);
        for (String[] args : readCommands(dir)) {
            Cli.Result r = Cli.run(args);

            int expected = args[0].equals("verify") ? expectedVerifyCode : ExitCode.OK;
            assertEquals(expected, r.code(), () -> String.join(" ", args) + "\n" + r);
            assertEquals(before, Stores.fingerprint(dir), () -> String.join(" ", args) + " changed the directory");
        }
    }

    @Test
    void readCommandsOnACleanStoreChangeAndCreateNothing() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 30);

        assertEveryReadCommandLeavesTheDirectoryAsItWas(dir, ExitCode.OK);
    }

    @Test
    void readCommandsOnAStoreWithoutALockFileCreateNone() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 30);
        Files.delete(dir.resolve("LOCK"));

        assertEveryReadCommandLeavesTheDirectoryAsItWas(dir, ExitCode.OK);
        assertFalse(Files.exists(dir.resolve("LOCK")));
    }

    @Test
    void readCommandsOnATornTailNeitherCutItNorStartASegment() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 30);
        Files.delete(dir.resolve("LOCK"));
        Stores.appendTornTail(dir);

        assertEveryReadCommandLeavesTheDirectoryAsItWas(dir, ExitCode.TORN_TAIL);
    }

    @Test
    void salvagingReadsOfACorruptStoreSetNothingAside() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 30);
        Stores.flipByteOf(dir, Stores.value(7));
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result export = Cli.run("export", dir.toString(), "--format", "jsonl", "--policy", "SALVAGE");
        Cli.Result dryRun = Cli.run("recover", dir.toString(), "--policy", "SALVAGE", "--dry-run");
        Cli.Result verify = Cli.run("verify", dir.toString());

        assertEquals(ExitCode.OK, export.code(), export::toString);
        assertEquals(29, export.out().lines().count(), export::toString);
        assertEquals(ExitCode.OK, dryRun.code(), dryRun::toString);
        assertEquals(ExitCode.CORRUPTION, verify.code(), verify::toString);
        assertContains(verify.out(), "CORRUPTION");
        assertEquals(before, Stores.fingerprint(dir));
    }
}
