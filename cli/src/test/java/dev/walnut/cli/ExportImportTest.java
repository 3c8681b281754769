package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportImportTest {

    @TempDir
    Path tmp;

    /** Exports DIR in FORMAT to a file and returns its bytes. */
    private byte[] export(Path dir, String format, String... extra) throws IOException {
        Path out = tmp.resolve("export-" + System.nanoTime() + "." + format);
        List<String> args = new ArrayList<>(List.of("export", dir.toString(), "--format", format));
        args.addAll(List.of(extra));
        args.add(out.toString());
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertEquals(ExitCode.OK, r.code(), r::toString);
        return Files.readAllBytes(out);
    }

    static List<byte[][]> readWalnut(byte[] stream) throws IOException {
        List<byte[][]> entries = new ArrayList<>();
        new WalnutEntryReader(new ByteArrayInputStream(stream), "test", Long.MAX_VALUE)
                .readAll((k, v) -> entries.add(new byte[][] {k, v}));
        return entries;
    }

    private static void assertSameEntries(BinaryModel model, List<byte[][]> entries) {
        assertEquals(model.live.size(), entries.size());
        int i = 0;
        for (Map.Entry<byte[], byte[]> e : model.live.entrySet()) {
            assertArrayEquals(e.getKey(), entries.get(i)[0], "key " + i);
            assertArrayEquals(e.getValue(), entries.get(i)[1], "value " + i);
            i++;
        }
    }

    @Test
    void walnutFormatRoundTripIsByteExactWithBinaryKeysAndValues() throws IOException {
        Path source = tmp.resolve("source");
        BinaryModel model = BinaryModel.write(source, 500);
        byte[] first = export(source, "walnut");
        assertSameEntries(model, readWalnut(first));
        Path copy = tmp.resolve("copy");

        Cli.Result imported = Cli.withStdin(first, "import", copy.toString(), "--format", "walnut");

        assertEquals(ExitCode.OK, imported.code(), imported::toString);
        assertContains(imported.out(), "imported=" + model.live.size() + " entries");
        assertArrayEquals(first, export(copy, "walnut"), "export -> import -> export must give the same bytes");
    }

    @Test
    void jsonlRoundTripIsByteExactWithBinaryKeysAndValuesInBothEncodings() throws IOException {
        Path source = tmp.resolve("source");
        BinaryModel model = BinaryModel.write(source, 300);
        byte[] reference = export(source, "walnut");
        for (String[] flags : new String[][] {{}, {"--base64"}}) {
            byte[] jsonl = export(source, "jsonl", flags);
            Path file = Files.write(tmp.resolve("in" + flags.length + ".jsonl"), jsonl);
            Path copy = tmp.resolve("copy" + flags.length);

            Cli.Result imported = Cli.run("import", copy.toString(), "--format", "jsonl", file.toString());

            assertEquals(ExitCode.OK, imported.code(), imported::toString);
            assertArrayEquals(reference, export(copy, "walnut"), "jsonl " + Arrays.toString(flags));
            assertArrayEquals(jsonl, export(copy, "jsonl", flags));
        }
        String text = new String(export(source, "jsonl"), StandardCharsets.UTF_8);
        assertContains(text, "{\"key\":\"日本語\",\"value\":\"日本語\"}");
        assertContains(text, "{\"keyBase64\":\"/w==\",\"valueBase64\":\"/w==\"}");
        assertContains(text, "{\"key\":\"empty-value\",\"value\":\"\"}");
        assertEquals(model.live.size(), text.lines().count());
    }

    @Test
    void twoExportsOfTheSameStateAreIdentical() throws IOException {
        Path source = tmp.resolve("source");
        BinaryModel.write(source, 200);
        for (String format : List.of("jsonl", "csv", "tsv", "walnut")) {
            assertArrayEquals(export(source, format), export(source, format), format);
        }
    }

    @Test
    void csvAndTsvCarryBinaryBytesLosslesslyAsEscapedUtf8() throws IOException {
        Path source = tmp.resolve("source");
        BinaryModel model = BinaryModel.write(source, 200);
        for (char separator : new char[] {',', '\t'}) {
            byte[] bytes = export(source, separator == ',' ? "csv" : "tsv");
            List<byte[][]> entries = new ArrayList<>();
            try (CsvReader<CsvRecord> csv = CsvReader.builder().fieldSeparator(separator)
                    .ofCsvRecord(new String(bytes, StandardCharsets.UTF_8))) {
                boolean header = true;
                for (CsvRecord row : csv) {
                    if (header) {
                        assertEquals(List.of("key", "value"), row.getFields());
                        header = false;
                        continue;
                    }
                    entries.add(new byte[][] {ByteText.unescape(row.getField(0)), ByteText.unescape(row.getField(1))});
                }
            }
            assertSameEntries(model, entries);
        }
        String tsv = new String(export(source, "tsv"), StandardCharsets.UTF_8);
        assertContains(tsv, "\\x00\t\\x00\n");
        assertContains(tsv, "l\\x0af\tl\\x0af\n");
        assertContains(tsv, "\\\\x41\t\\\\x41\n");
    }

    @Test
    void afterResumesAnInterruptedExportAndPrefixSelectsKeys() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 30);
        List<String> all = new String(export(dir, "jsonl"), StandardCharsets.UTF_8).lines().toList();

        List<String> resumed = new String(export(dir, "jsonl", "--after", Stores.key(12)), StandardCharsets.UTF_8)
                .lines().toList();
        List<String> prefixed = new String(export(dir, "jsonl", "--prefix", "key-002"), StandardCharsets.UTF_8)
                .lines().toList();

        assertEquals(all.subList(12, 30), resumed);
        assertEquals(all.subList(19, 29), prefixed);
    }

    @Test
    void exportOfACorruptStoreFailsWithExitFourAndLeavesNoOutputFile() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 20);
        Stores.flipByteOf(dir, Stores.value(7));
        Path outDir = Files.createDirectories(tmp.resolve("out"));

        Cli.Result r = Cli.run("export", dir.toString(), "--format", "jsonl", outDir.resolve("x.jsonl").toString());

        assertEquals(ExitCode.CORRUPTION, r.code(), r::toString);
        try (var files = Files.list(outDir)) {
            assertEquals(0, files.count(), "no partial output may be left behind");
        }
        Cli.Result salvage = Cli.run("export", dir.toString(), "--format", "jsonl", "--policy", "SALVAGE");
        assertEquals(ExitCode.OK, salvage.code(), salvage::toString);
        assertEquals(19, salvage.out().lines().count());
    }

    @Test
    void malformedJsonlFileStopsWithItsLineNumberAndChangesNothing() throws IOException {
        Path input = Files.writeString(tmp.resolve("bad.jsonl"),
                "{\"key\":\"a\",\"value\":\"1\"}\n\n{\"key\":\"b\",\"value\":2}\n{\"key\":\"c\",\"value\":\"3\"}\n");
        Path fresh = tmp.resolve("fresh");
        Path existing = Stores.create(tmp.resolve("existing"), 3);
        Map<String, String> before = Stores.fingerprint(existing);

        Cli.Result r = Cli.run("import", fresh.toString(), "--format", "jsonl", input.toString());
        Cli.Result e = Cli.run("import", existing.toString(), "--format", "jsonl", input.toString());

        assertEquals(ExitCode.BAD_INPUT, r.code(), r::toString);
        assertEquals("walnut import: malformed jsonl: field value must be a string (input=" + input + " line=3)",
                r.err().strip(), "a file is checked whole before anything is written");
        assertFalse(Files.exists(fresh), "a failed import must not create the store");
        assertEquals(ExitCode.BAD_INPUT, e.code(), e::toString);
        assertEquals(before, Stores.fingerprint(existing));
    }

    @Test
    void everyKindOfMalformedJsonlLineIsRefusedWithItsLine() {
        String[][] cases = {
            {"{\"key\":\"a\"", "invalid JSON"},
            {"[1,2]", "expected a JSON object"},
            {"{\"key\":\"a\",\"value\":\"b\",\"extra\":\"c\"}", "unknown field: extra"},
            {"{\"value\":\"b\"}", "missing field: key"},
            {"{\"key\":\"a\"}", "missing field: value"},
            {"{\"key\":\"a\",\"keyBase64\":\"YQ==\",\"value\":\"b\"}", "more than one key field"},
            {"{\"keyBase64\":\"***\",\"value\":\"b\"}", "keyBase64 is not base64"},
            {"{\"key\":\"\",\"value\":\"b\"}", "empty key"},
            {"{\"key\":\"\\ud800\",\"value\":\"b\"}", "lone surrogate"},
            {"{\"key\":\"a\",\"value\":\"b\"} {\"key\":\"c\",\"value\":\"d\"}", "two objects on one line"},
            {"{\"key\":\"a\",\n\"value\":\"b\"}", "object spans lines"},
        };
        for (String[] c : cases) {
            byte[] input = ("{\"key\":\"ok\",\"value\":\"fine\"}\n" + c[0] + "\n").getBytes(StandardCharsets.UTF_8);
            Path dir = tmp.resolve("store-" + System.nanoTime());

            Cli.Result r = Cli.withStdin(input, "import", dir.toString(), "--format", "jsonl");

            assertEquals(ExitCode.BAD_INPUT, r.code(), c[0] + "\n" + r);
            assertContains(r.err(), c[1]);
            assertContains(r.err(), "(input=stdin line=2)");
            assertFalse(Files.exists(dir), "nothing of the failing batch is applied: " + c[0]);
        }
    }

    @Test
    void fromStdinBatchesBeforeTheMalformedLineStayAndTheFailingBatchIsNotApplied() throws IOException {
        int good = BatchImporter.BATCH_OPS_MAX + 50;
        StringBuilder input = new StringBuilder(Stores.jsonlLines(good));
        input.append("not json\n");
        Path dir = tmp.resolve("store");

        Cli.Result r = Cli.withStdin(input.toString().getBytes(StandardCharsets.UTF_8), "import", dir.toString(),
                "--format", "jsonl");

        assertEquals(ExitCode.BAD_INPUT, r.code(), r::toString);
        assertContains(r.err(), "line=" + (good + 1));
        assertContains(r.err(), "imported=" + BatchImporter.BATCH_OPS_MAX + " entries in 1 batches before it, the"
                + " failing batch of 50 was not applied");
        Cli.Result stats = Cli.run("stats", dir.toString());
        assertContains(stats.out(), "liveKeys=" + BatchImporter.BATCH_OPS_MAX + "\n");
    }

    @Test
    void damagedWalnutStreamsAreRefusedWithEntryAndOffsetAndChangeNothing() throws IOException {
        Path source = Stores.create(tmp.resolve("source"), 20);
        byte[] good = export(source, "walnut");
        byte[] truncated = Arrays.copyOf(good, good.length - 30);
        byte[] flipped = good.clone();
        flipped[200] ^= 0x10;
        byte[] notOurs = "PK\u0003\u0004 definitely a zip".getBytes(StandardCharsets.UTF_8);
        Object[][] cases = {{truncated, "(the export is cut short)"}, {flipped, "checksum mismatch"},
            {notOurs, "not a walnut export"}};
        for (Object[] c : cases) {
            Path file = Files.write(tmp.resolve("in-" + System.nanoTime() + ".walnut"), (byte[]) c[0]);
            Path target = Stores.create(tmp.resolve("target-" + System.nanoTime()), 2);
            Map<String, String> before = Stores.fingerprint(target);

            Cli.Result r = Cli.run("import", target.toString(), "--format", "walnut", file.toString());

            assertEquals(ExitCode.BAD_INPUT, r.code(), r::toString);
            assertContains(r.err(), (String) c[1]);
            assertContains(r.err(), "offset=");
            assertEquals(before, Stores.fingerprint(target));
        }
    }

    @Test
    void importRefusesADirectoryHoldingOtherFilesAndAMissingInput() throws IOException {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(photos.resolve("cat.jpg"), "meow");
        Path input = Files.writeString(tmp.resolve("ok.jsonl"), "{\"key\":\"a\",\"value\":\"b\"}\n");

        Cli.Result r = Cli.run("import", photos.toString(), "--format", "jsonl", input.toString());
        Cli.Result missing = Cli.run("import", tmp.resolve("s").toString(), "--format", "jsonl",
                tmp.resolve("nope.jsonl").toString());

        assertEquals(ExitCode.USAGE, r.code(), r::toString);
        assertContains(r.err(), "not a Walnut store and not empty");
        assertEquals(ExitCode.USAGE, missing.code(), missing::toString);
        assertContains(missing.err(), "input file does not exist");
        assertFalse(Files.exists(tmp.resolve("s")));
    }
}
