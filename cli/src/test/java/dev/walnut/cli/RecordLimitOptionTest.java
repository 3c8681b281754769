package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static dev.walnut.cli.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.format.RecordFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-record-bytes} belongs to the commands that write records (put, import, compact): a reader
 * takes each segment's limit from the segment's header, so read commands need no option and refuse it.
 */
class RecordLimitOptionTest {

    /** Larger than the default limit, so no reader that applied the default could accept the record. */
    private static final int BIG_VALUE_BYTES = RecordFormat.RECORD_BYTES_DEFAULT + 4096;
    private static final int WRITE_LIMIT_BYTES = 2 * RecordFormat.RECORD_BYTES_DEFAULT;
    /** The read commands, and the two writers whose records are tiny (a delete, recovery's seal). */
    private static final List<String> COMMANDS_WITHOUT_LIMIT = List.of("verify", "dump-wal", "get", "scan", "stats",
            "export", "recover", "delete");

    @TempDir
    Path tmp;

    @Test
    void readCommandsReadAStoreWrittenWithALargerRecordLimitWithoutTheOption() throws IOException {
        byte[] big = new byte[BIG_VALUE_BYTES];
        new SplittableRandom(11).nextBytes(big);
        Path dir = tmp.resolve("store");
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().maxRecordBytes(WRITE_LIMIT_BYTES)
                .compression(false).seed(3).build())) {
            db.put(utf8("big"), big);
            db.put(utf8("small"), utf8("v"));
        }
        Path exported = tmp.resolve("out.walnut");

        Cli.Result verify = Cli.run("verify", dir.toString());
        Cli.Result dump = Cli.run("dump-wal", dir.toString());
        Cli.Result get = Cli.run("get", dir.toString(), "big", "--raw");
        Cli.Result scan = Cli.run("scan", dir.toString(), "--keys-only");
        Cli.Result stats = Cli.run("stats", dir.toString());
        Cli.Result export = Cli.run("export", dir.toString(), "--format", "walnut", exported.toString());
        Cli.Result dryRun = Cli.run("recover", dir.toString(), "--policy", "STRICT", "--dry-run");

        for (Cli.Result r : List.of(verify, dump, get, scan, stats, export, dryRun)) {
            assertEquals(ExitCode.OK, r.code(), r::toString);
        }
        assertContains(verify.out(), "verify: clean");
        assertContains(dump.out(), "put key=big valueBytes=" + BIG_VALUE_BYTES);
        assertArrayEquals(big, get.outBytes());
        assertEquals("big\nsmall\n", scan.out());
        assertContains(stats.out(), "liveKeys=2");
        assertContains(export.err(), "export: entries=2");
        assertEquals(2, ExportImportTest.readWalnut(Files.readAllBytes(exported)).size());
    }

    @Test
    void commandsThatWriteNoSizableRecordRefuseTheRecordLimitOptionWithAUsageError() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 3);
        for (String command : COMMANDS_WITHOUT_LIMIT) {
            List<String> args = new ArrayList<>(List.of(command, dir.toString(), "--max-record-bytes", "4096"));
            switch (command) {
                case "get", "delete" -> args.add(Stores.key(1));
                case "export" -> args.addAll(List.of("--format", "jsonl"));
                case "recover" -> args.addAll(List.of("--policy", "STRICT", "--dry-run"));
                default -> { }
            }

            Cli.Result r = Cli.run(args.toArray(String[]::new));

            assertEquals(ExitCode.USAGE, r.code(), command + "\n" + r);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertContains(r.err(), "walnut " + command + ": --max-record-bytes is not an option of " + command);
            assertContains(r.err(), "each segment's own record limit");
        }
    }

    @Test
    void writeCommandsStillTakeTheRecordLimitForWhatTheyWrite() throws IOException {
        Path dir = tmp.resolve("store");
        byte[] value = new byte[8 * 1024];

        Cli.Result refused = Cli.withStdin(value, "put", dir.toString(), "--max-record-bytes", "4096", "k", "-");
        Cli.Result accepted = Cli.withStdin(value, "put", dir.toString(), "--max-record-bytes", "65536", "k", "-");
        Cli.Result compact = Cli.run("compact", dir.toString(), "--max-record-bytes", "65536");

        assertEquals(ExitCode.USAGE, refused.code(), refused::toString);
        assertEquals(ExitCode.OK, accepted.code(), accepted::toString);
        assertEquals(ExitCode.OK, compact.code(), compact::toString);
        assertEquals(value.length, Cli.run("get", dir.toString(), "k", "--raw").outBytes().length);
    }
}
