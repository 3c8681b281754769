package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdHocCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void putCreatesTheStoreAndGetScanDeleteSeeTheWrites() {
        Path dir = tmp.resolve("new");

        assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "fruit:apple", "red").code());
        assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "fruit:kiwi", "green").code());
        assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "veg:leek", "white").code());

        assertEquals("red\n", Cli.run("get", dir.toString(), "fruit:apple").out());
        assertEquals("fruit:apple\tred\nfruit:kiwi\tgreen\n", Cli.run("scan", dir.toString(), "--prefix", "fruit:").out());
        assertEquals("fruit:kiwi\n", Cli.run("scan", dir.toString(), "--after", "fruit:apple", "--to", "veg:",
                "--keys-only").out());
        assertEquals(ExitCode.OK, Cli.run("delete", dir.toString(), "fruit:apple").code());
        Cli.Result gone = Cli.run("get", dir.toString(), "fruit:apple");
        assertEquals(ExitCode.NOT_FOUND, gone.code(), gone::toString);
        assertContains(gone.err(), "key not found (key=fruit:apple");
        assertEquals("fruit:kiwi\tgreen\nveg:leek\twhite\n", Cli.run("scan", dir.toString(), "--limit", "5").out());
    }

    @Test
    void binaryKeysAndValuesPassThroughEscapesBase64AndRaw() {
        Path dir = tmp.resolve("bin");
        byte[] value = {0, 1, (byte) 0xFE, (byte) 0xFF, '\n'};

        assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "k\\x00\\xff", "\\x00\\x01\\xfe\\xff\\x0a").code());
        assertEquals(ExitCode.OK, Cli.withStdin(value, "put", dir.toString(), "from-stdin", "-").code());

        assertEquals("\\x00\\x01\\xfe\\xff\\x0a\n", Cli.run("get", dir.toString(), "k\\x00\\xff").out());
        assertEquals("AAH+/wo=\n", Cli.run("get", dir.toString(), "--base64", "awD/").out());
        assertArrayEquals(value, Cli.run("get", dir.toString(), "--raw", "from-stdin").outBytes());
        assertEquals("awD/\tAAH+/wo=\n", Cli.run("scan", dir.toString(), "--base64", "--prefix", "aw==").out());
    }

    @Test
    void statsCountsLiveStateAndCompactShrinksTheLogKeepingEveryEntry() {
        Path dir = tmp.resolve("store");
        for (int i = 0; i < 20; i++) {
            Cli.run("put", dir.toString(), "k" + (i % 5), "v" + i);
        }
        String scanBefore = Cli.run("scan", dir.toString()).out();

        Cli.Result before = Cli.run("stats", dir.toString());
        Cli.Result compact = Cli.run("compact", dir.toString());
        Cli.Result after = Cli.run("stats", dir.toString(), "--json");

        assertContains(before.out(), "liveKeys=5\n");
        assertContains(before.out(), "segments=20\n");
        assertEquals(ExitCode.OK, compact.code(), compact::toString);
        assertContains(compact.out(), "compact: liveKeys=5");
        assertContains(after.out(), "\"liveKeys\":5");
        assertContains(after.out(), "\"segments\":1");
        assertEquals(scanBefore, Cli.run("scan", dir.toString()).out());
        assertEquals(ExitCode.OK, Cli.run("verify", dir.toString()).code());
    }

    @Test
    void readOnlyCommandsCreateNothingAndChangeNoFile() throws IOException {
        Path missing = tmp.resolve("missing");
        Path store = Stores.create(tmp.resolve("store"), 10);
        Stores.appendTornTail(store);
        Map<String, String> before = Stores.fingerprint(store);
        List<List<String>> commands = List.of(
                List.of("verify"), List.of("verify", "--json"), List.of("dump-wal"), List.of("stats"),
                List.of("get", "key-0001"), List.of("scan"), List.of("export", "--format", "jsonl"),
                List.of("recover", "--policy", "SALVAGE", "--dry-run"));
        for (List<String> command : commands) {
            String[] onMissing = args(command, missing);
            Cli.Result r = Cli.run(onMissing);
            assertEquals(ExitCode.USAGE, r.code(), command + "\n" + r);
            assertContains(r.err(), "directory does not exist");
            assertFalse(Files.exists(missing), command + " created the directory");

            Cli.Result onStore = Cli.run(args(command, store));
            assertEquals(before, Stores.fingerprint(store), command + " changed the store\n" + onStore);
        }
    }

    @Test
    void deleteOnAMissingDirectoryIsRefusedAndCreatesNothing() {
        Path missing = tmp.resolve("missing");

        Cli.Result r = Cli.run("delete", missing.toString(), "k");

        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertFalse(Files.exists(missing));
    }

    @Test
    void badKeyArgumentsAreUsageErrors() {
        Path dir = tmp.resolve("s");
        assertEquals(ExitCode.USAGE, Cli.run("put", dir.toString(), "", "v").code());
        assertEquals(ExitCode.USAGE, Cli.run("put", dir.toString(), "bad\\q", "v").code());
        assertEquals(ExitCode.USAGE, Cli.run("put", dir.toString(), "--base64", "!!", "v").code());
        assertFalse(Files.exists(dir), "refused writes create nothing");
    }

    @Test
    void writesToALockedStoreExitSixAndValuesTooLargeForARecordAreRefused() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 2);
        try (dev.walnut.Walnut open = dev.walnut.Walnut.open(dir)) {
            Cli.Result r = Cli.run("put", dir.toString(), "k", "v");
            assertEquals(ExitCode.LOCKED, r.code(), r::toString);
            assertContains(r.err(), "storage is locked");
        }
        Map<String, String> before = Stores.fingerprint(dir);
        byte[] big = new byte[8 * 1024];

        Cli.Result put = Cli.withStdin(big, "put", dir.toString(), "--max-record-bytes", "4096", "k", "-");
        Cli.Result imported = Cli.withStdin(("{\"key\":\"k\",\"valueBase64\":\""
                + java.util.Base64.getEncoder().encodeToString(big) + "\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "import", dir.toString(), "--format", "jsonl", "--max-record-bytes", "4096");

        assertEquals(ExitCode.USAGE, put.code(), put::toString);
        assertContains(put.err(), "too large for one record");
        assertEquals(ExitCode.BAD_INPUT, imported.code(), imported::toString);
        assertContains(imported.err(), "entry too large for one record");
        assertContains(imported.err(), "line=1");
        assertEquals(before, Stores.fingerprint(dir));
    }

    private static String[] args(List<String> command, Path dir) {
        String[] args = new String[command.size() + 1];
        args[0] = command.get(0);
        args[1] = dir.toString();
        for (int i = 1; i < command.size(); i++) {
            args[i + 1] = command.get(i);
        }
        return args;
    }
}
