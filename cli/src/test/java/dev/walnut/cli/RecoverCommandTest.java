package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoverCommandTest {

    @TempDir
    Path tmp;

    @Test
    void dryRunReportsWhatAnOpenWouldDoAndChangesNothing() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 10);
        Stores.appendTornTail(dir);
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result r = Cli.run("recover", dir.toString(), "--policy", "TOLERATE_TORN_TAIL", "--dry-run");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertContains(r.out(), "dry run: nothing was changed");
        assertContains(r.out(), "TORN_TAIL file=");
        assertContains(r.out(), "action=DROPPED");
        assertEquals(before, Stores.fingerprint(dir));
    }

    @Test
    void strictRefusesATornTailWithExitThreeAndChangesNothing() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 10);
        Stores.appendTornTail(dir);
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result r = Cli.run("recover", dir.toString(), "--policy", "STRICT");

        assertEquals(ExitCode.TORN_TAIL, r.code(), r::toString);
        assertContains(r.err(), "TORN_TAIL (file=wal-0000000001.log offset=");
        assertEquals(1, r.err().lines().count(), r::toString);
        assertEquals(before, Stores.fingerprint(dir));
    }

    @Test
    void tolerateTornTailRecoversAndTheStoreThenVerifiesClean() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 10);
        Stores.appendTornTail(dir);

        Cli.Result r = Cli.run("recover", dir.toString(), "--policy", "TOLERATE_TORN_TAIL");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertContains(r.out(), "recovered: the store opened with policy=TOLERATE_TORN_TAIL");
        assertContains(r.out(), "liveKeys=10");
        assertEquals(ExitCode.OK, Cli.run("verify", dir.toString()).code());
    }

    @Test
    void corruptionFailsTheDefaultPolicyWithExitFourAndSalvageKeepsEveryValidRecord() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 10);
        Stores.flipByteOf(dir, Stores.value(4));
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result refused = Cli.run("recover", dir.toString(), "--policy", "TOLERATE_TORN_TAIL");
        assertEquals(ExitCode.CORRUPTION, refused.code(), refused::toString);
        assertContains(refused.err(), "CORRUPTION (file=wal-0000000001.log offset=");
        assertEquals(before, Stores.fingerprint(dir));

        Cli.Result salvaged = Cli.run("recover", dir.toString(), "--policy", "SALVAGE");
        assertEquals(ExitCode.OK, salvaged.code(), salvaged::toString);
        assertContains(salvaged.out(), "action=SKIPPED");
        assertContains(salvaged.out(), "liveKeys=9");
    }

    @Test
    void pointInTimeQuarantinesLaterSegmentsByRenameAndDeletesNothing() throws IOException {
        Path dir = tmp.resolve("store");
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().compression(false).segmentBytes(4096).build())) {
            for (int i = 1; i <= 200; i++) {
                db.put(Stores.utf8(Stores.key(i)), Stores.utf8(Stores.value(i)));
            }
        }
        Stores.flipByteOf(dir, Stores.value(3));
        long filesBefore;
        try (var files = Files.list(dir)) {
            filesBefore = files.count();
        }

        Cli.Result r = Cli.run("recover", dir.toString(), "--policy", "POINT_IN_TIME");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertContains(r.out(), "action=CUT");
        try (var files = Files.list(dir)) {
            assertTrue(files.filter(p -> p.toString().endsWith(".quarantined")).count() > 0, r::toString);
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.count() >= filesBefore, "nothing was deleted");
        }
        assertNotEquals(ExitCode.CORRUPTION, Cli.run("verify", dir.toString()).code());
    }

    @Test
    void unknownPolicyIsAUsageError() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 1);
        Cli.Result r = Cli.run("recover", dir.toString(), "--policy", "YOLO");
        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertContains(r.err(), "YOLO");
    }
}
