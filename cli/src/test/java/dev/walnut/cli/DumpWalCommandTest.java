package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpWalCommandTest {

    @TempDir
    Path tmp;

    @Test
    void everyRecordIsListedWithOffsetSequenceAndKeys() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 5);
        Map<String, String> before = Stores.fingerprint(dir);

        Cli.Result r = Cli.run("dump-wal", dir.toString(), "--values");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertContains(r.out(), "wal-0000000001.log segment=1");
        assertContains(r.out(), "wal-0000000001.log offset=64 length=");
        for (int i = 1; i <= 5; i++) {
            assertContains(r.out(), "sequence=" + i + " ");
            assertContains(r.out(), "  put key=" + Stores.key(i) + " valueBytes=" + Stores.value(i).length()
                    + " value=" + Stores.value(i));
        }
        assertContains(r.out(), "sequence=6 syncedThrough=");
        assertContains(r.out(), "flags=seal");
        assertEquals(before, Stores.fingerprint(dir));
    }

    @Test
    void damageIsReportedInLineAndTheDumpResumesAtTheNextValidRecord() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 6);
        Stores.flipByteOf(dir, Stores.value(3));

        Cli.Result r = Cli.run("dump-wal", dir.toString());

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertContains(r.out(), "DAMAGE length=");
        assertContains(r.out(), "payload checksum mismatch");
        assertContains(r.out(), "(next valid record at offset=");
        assertContains(r.out(), "put key=" + Stores.key(4));
        assertContains(r.out(), "put key=" + Stores.key(6));
        assertTrue(!r.out().contains("put key=" + Stores.key(3)), r::toString);
    }

    @Test
    void jsonlDumpIsOneParsableObjectPerLine() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 3);
        Stores.appendTornTail(dir);

        Cli.Result r = Cli.run("dump-wal", dir.toString(), "--format", "jsonl");

        assertEquals(ExitCode.OK, r.code(), r::toString);
        JsonFactory factory = new JsonFactory();
        int records = 0;
        int damage = 0;
        for (String line : r.out().lines().toList()) {
            try (JsonParser p = factory.createParser(line)) {
                assertEquals(JsonToken.START_OBJECT, p.nextToken());
                assertEquals("type", p.nextFieldName());
                String type = p.nextTextValue();
                records += type.equals("record") ? 1 : 0;
                damage += type.equals("damage") ? 1 : 0;
                while (p.nextToken() != null) {
                    // Parses the whole line: it must be one complete object.
                }
            }
        }
        assertEquals(4, records, r::toString);
        assertEquals(1, damage, r::toString);
    }

    @Test
    void notAStoreExitsTwo() {
        Cli.Result r = Cli.run("dump-wal", tmp.toString());
        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertContains(r.err(), "not a Walnut store");
    }
}
