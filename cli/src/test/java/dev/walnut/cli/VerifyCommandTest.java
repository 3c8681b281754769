package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.walnut.Walnut;
import dev.walnut.format.RecordFormat;
import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {

    @TempDir
    Path tmp;

    @Test
    void cleanStoreExitsZeroAndNoFileChanges() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 20);
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result r = Cli.run("verify", dir.toString());

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertContains(r.out(), "verify: clean");
        assertContains(r.out(), "records=21");
        assertEquals("", r.err());
        assertEquals(before, Stores.fingerprint(dir));
    }

    @Test
    void tornTailOnlyExitsThreeAndNamesFileAndOffset() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 20);
        long tailOffset = Files.size(Stores.lastSegment(dir));
        Stores.appendTornTail(dir);
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result r = Cli.run("verify", dir.toString());

        assertEquals(ExitCode.TORN_TAIL, r.code(), r::toString);
        assertContains(r.out(), "TORN_TAIL file=" + Stores.lastSegment(dir).getFileName() + " offset=" + tailOffset);
        assertContains(r.out(), "action=NONE");
        assertContains(r.out(), "verify: torn-tail");
        assertEquals(before, Stores.fingerprint(dir));
    }

    @Test
    void corruptionExitsFourAndEveryDamageSiteIsReported() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 20);
        Stores.flipByteOf(dir, Stores.value(5));
        Stores.flipByteOf(dir, Stores.value(12));
        Stores.appendTornTail(dir);
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result r = Cli.run("verify", dir.toString());

        assertEquals(ExitCode.CORRUPTION, r.code(), r::toString);
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("CORRUPTION ")).count(), r::toString);
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("TORN_TAIL ")).count(), r::toString);
        assertContains(r.out(), "payload checksum mismatch");
        assertContains(r.out(), "verify: corruption");
        assertContains(r.out(), "records=19");
        assertEquals(before, Stores.fingerprint(dir));
    }

    @Test
    void jsonOutputCarriesVerdictExitCodeAndEachSite() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 10);
        Stores.flipByteOf(dir, Stores.value(3));

        Cli.Result r = Cli.run("verify", dir.toString(), "--json");

        assertEquals(ExitCode.CORRUPTION, r.code(), r::toString);
        try (JsonParser p = new JsonFactory().createParser(r.outBytes())) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            int sites = 0;
            String verdict = null;
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("verdict")) {
                    verdict = p.nextTextValue();
                }
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("kind")) {
                    assertEquals("CORRUPTION", p.nextTextValue());
                    sites++;
                }
            }
            assertEquals("corruption", verdict);
            assertEquals(1, sites);
        }
    }

    @Test
    void damageAnEarlierRecoveryHandledIsListedButTheStoreVerifiesClean() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 10);
        Stores.appendTornTail(dir);
        Walnut.open(dir).close();

        Cli.Result r = Cli.run("verify", dir.toString());

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertContains(r.out(), "action=DROPPED_EARLIER");
        assertContains(r.out(), "verify: clean");
    }

    @Test
    void missingDirectoryExitsTwoAndIsNotCreated() {
        Path missing = tmp.resolve("missing");

        Cli.Result r = Cli.run("verify", missing.toString());

        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertContains(r.err(), "directory does not exist (directory=" + missing + ")");
        assertEquals(1, r.err().lines().count(), r::toString);
        assertFalse(Files.exists(missing));
    }

    @Test
    void fileInsteadOfDirectoryExitsTwo() throws IOException {
        Path file = Files.writeString(tmp.resolve("file.txt"), "hello");

        Cli.Result r = Cli.run("verify", file.toString());

        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertContains(r.err(), "not a directory");
        assertEquals("hello", Files.readString(file));
    }

    @Test
    void directoryThatIsNotAStoreExitsTwoAndStaysAsItWas() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(dir.resolve("cat.jpg"), "meow");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result r = Cli.run("verify", dir.toString());
        Cli.Result e = Cli.run("verify", empty.toString());

        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertContains(r.err(), "not a Walnut store: no wal-*.log segment files (directory=" + dir + ")");
        assertEquals(before, Stores.fingerprint(dir));
        assertEquals(ExitCode.USAGE, e.code(), e::toString);
        try (var entries = Files.list(empty)) {
            assertEquals(0, entries.count(), "verify created a file in an empty directory");
        }
    }

    @Test
    void verifyBesideAStoreOpenInThisJvmReadsWithoutTakingItsLock() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 5);
        try (Walnut open = Walnut.open(dir)) {
            Cli.Result r = Cli.run("verify", dir.toString());

            assertEquals(ExitCode.OK, r.code(), r::toString);
            assertContains(r.out(), "verify: clean");
            open.put(Stores.utf8("still"), Stores.utf8("writable"));
        }
    }

    @Test
    void verifyBesideAStoreOpenInAnotherProcessReadsWithoutTakingItsLock() throws Exception {
        Path dir = Stores.create(tmp.resolve("store"), 5);
        try (LockHolder holder = LockHolder.start(dir)) {
            Cli.Result r = Cli.run("verify", dir.toString());
            Cli.Result put = Cli.run("put", dir.toString(), "k", "v");

            assertEquals(ExitCode.OK, r.code(), r::toString);
            assertContains(r.out(), "records=6");
            assertEquals(ExitCode.LOCKED, put.code(), "the writer still holds the lock:\n" + put);
        }
    }

    @Test
    void readErrorExitsFiveAndIsNeverTakenForDamage() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 20);
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result r = Cli.run(new byte[0], FailingReads::new, "verify", dir.toString());

        assertEquals(ExitCode.IO_ERROR, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertContains(r.err(), "Input/output error (file=wal-0000000001.log");
        assertEquals(before, Stores.fingerprint(dir));
    }

    @Test
    void segmentWithoutReadPermissionExitsFiveNamingTheFile() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 3);
        Path segment = Stores.lastSegment(dir);
        Files.setPosixFilePermissions(segment, java.util.Set.of());
        // Root reads a file whatever its mode; there, readErrorExitsFive... proves the same mapping.
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(segment), "running as root");
        try {
            Cli.Result r = Cli.run("verify", dir.toString());

            assertEquals(ExitCode.IO_ERROR, r.code(), r::toString);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertContains(r.err(), "AccessDeniedException: " + segment.toAbsolutePath());
        } finally {
            Files.setPosixFilePermissions(segment, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Storage whose record reads fail (past the segment header), like a disk with a bad sector. */
    static final class FailingReads extends ForwardingWalStorage {
        FailingReads(WalStorage inner) {
            super(inner);
        }

        @Override
        protected WalFile wrap(String name, WalFile file) {
            return new ForwardingWalFile(file) {
                @Override
                public int read(long offsetBytes, ByteBuffer target) throws IOException {
                    if (offsetBytes >= RecordFormat.SEGMENT_HEADER_BYTES) {
                        throw new IOException("Input/output error (file=" + name + " offset=" + offsetBytes + ")");
                    }
                    return file.read(offsetBytes, target);
                }
            };
        }
    }

    @Test
    void damagedManifestIsReportedAndSalvageKeepsTheIntactCompactedBase() throws IOException {
        Path dir = tmp.resolve("store");
        for (int i = 1; i <= 4; i++) {
            assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "k" + i, "v" + i).code());
        }
        assertEquals(ExitCode.OK, Cli.run("compact", dir.toString()).code());
        assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "k5", "v5").code());
        byte[] manifest = Files.readAllBytes(dir.resolve("MANIFEST"));
        manifest[30] ^= 0x01;
        Files.write(dir.resolve("MANIFEST"), manifest);

        Cli.Result verify = Cli.run("verify", dir.toString());
        Cli.Result salvaged = Cli.run("export", dir.toString(), "--format", "jsonl", "--policy", "SALVAGE");

        assertEquals(ExitCode.CORRUPTION, verify.code(), verify::toString);
        assertContains(verify.out(), "CORRUPTION file=MANIFEST");
        assertEquals(ExitCode.OK, salvaged.code(), salvaged::toString);
        assertEquals(5, salvaged.out().lines().count(), salvaged::toString);
    }

    @Test
    void noArgumentsIsAUsageError() {
        Cli.Result r = Cli.run();
        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        Cli.Result u = Cli.run("frobnicate");
        assertEquals(ExitCode.USAGE, u.code(), u::toString);
        assertTrue(u.err().contains("frobnicate"), u::toString);
        Cli.Result missingOption = Cli.run("export", tmp.toString());
        assertEquals(ExitCode.USAGE, missingOption.code(), missingOption::toString);
        assertEquals("walnut export: Missing required option: '--format=FORMAT' (see: walnut export --help)",
                missingOption.err().strip());
    }
}
