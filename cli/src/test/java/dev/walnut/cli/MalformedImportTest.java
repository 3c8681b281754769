package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every malformed import input exits 7 with one line naming where and what, whichever layer of the
 * parser notices it; only a failing read of the input itself is an I/O error (exit 5).
 */
class MalformedImportTest {

    /** StreamReadConstraints.DEFAULT_MAX_STRING_LEN in Jackson 2.18. */
    private static final int JACKSON_STRING_CHARS_DEFAULT = 20_000_000;
    private static final byte[] GOOD_LINE = "{\"key\":\"ok\",\"value\":\"fine\"}\n".getBytes(StandardCharsets.UTF_8);

    /** Inputs the JSON parser refuses only once a string is read, or while detecting the encoding. */
    static final byte[][] LATE_JSONL_ERRORS = {
        withGoodLine("{\"key\":\"a\\qb\",\"value\":\"v\"}\n"),
        withGoodLine("{\"key\":\"a\u0001b\",\"value\":\"v\"}\n"),
        concat(GOOD_LINE, bytes(0x7b, '"', 'k', 'e', 'y', '"', ':', '"', 'a', 0xff, 'b', '"', ',', '"', 'v', 'a', 'l',
                'u', 'e', '"', ':', '"', 'v', '"', 0x7d, '\n')),
        withGoodLine("{\"key\":\"a\",\"value\":\"cut"),
        bytes(0x00, 0x00, 0x00, 0x7b),
    };

    @TempDir
    Path tmp;

    @Test
    void jsonlRefusedInsideAStringOrAtEncodingDetectionExitsSevenOnOneLineNamingTheLine() throws IOException {
        for (byte[] input : LATE_JSONL_ERRORS) {
            String expectedLine = input == LATE_JSONL_ERRORS[4] ? "line=1" : "line=2";
            Path file = Files.write(tmp.resolve("in-" + System.nanoTime() + ".jsonl"), input);
            Path fromFile = tmp.resolve("file-store-" + System.nanoTime());
            Path fromStdin = tmp.resolve("stdin-store-" + System.nanoTime());

            Cli.Result f = Cli.run("import", fromFile.toString(), "--format", "jsonl", file.toString());
            Cli.Result s = Cli.withStdin(input, "import", fromStdin.toString(), "--format", "jsonl");

            String shown = ByteText.escape(input);
            assertEquals(ExitCode.BAD_INPUT, f.code(), shown + "\n" + f);
            assertEquals(1, f.err().lines().count(), f::toString);
            assertContains(f.err(), "walnut import: malformed jsonl: ");
            assertContains(f.err(), "(input=" + file + " " + expectedLine);
            assertFalse(Files.exists(fromFile), "a file is checked whole before the store is created: " + shown);
            assertEquals(ExitCode.BAD_INPUT, s.code(), shown + "\n" + s);
            assertEquals(1, s.err().lines().count(), s::toString);
            assertContains(s.err(), "(input=stdin " + expectedLine);
            assertContains(s.err(), "imported=0 entries in 0 batches before it");
            assertFalse(Files.exists(fromStdin), "the failing batch is not applied: " + shown);
        }
    }

    @Test
    void jsonlStringsLongerThanJacksonsDefaultLimitImportWhenTheStoreHoldsThem() throws IOException {
        int valueChars = JACKSON_STRING_CHARS_DEFAULT + 1;
        Path file = tmp.resolve("long.jsonl");
        try (var out = Files.newBufferedWriter(file)) {
            out.write("{\"key\":\"long\",\"value\":\"");
            out.write("a".repeat(valueChars));
            out.write("\"}\n");
        }
        Path dir = tmp.resolve("store");

        Cli.Result r = Cli.run("import", dir.toString(), "--format", "jsonl", file.toString());

        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertEquals(valueChars, Cli.run("get", dir.toString(), "long", "--raw").outBytes().length);
    }

    @Test
    void aJsonlStringTooLongForAnyEntryIsMalformedInputNamingItsLine() throws IOException {
        String big = "a".repeat(8 * 1024);
        byte[] input = ("{\"key\":\"k\",\"value\":\"" + big + "\"}\n").getBytes(StandardCharsets.UTF_8);
        Path dir = tmp.resolve("store");

        Cli.Result r = Cli.withStdin(input, "import", dir.toString(), "--format", "jsonl", "--max-record-bytes", "4096");

        assertEquals(ExitCode.BAD_INPUT, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertContains(r.err(), "entry too large for one record: String value length (8192) exceeds the maximum");
        assertContains(r.err(), "raise --max-record-bytes) (input=stdin line=1");
    }

    @Test
    void aFailingReadOfStdinIsAnIoErrorThatSaysWhatWasImportedBeforeIt() throws IOException {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(
                Stores.jsonlLines(BatchImporter.BATCH_OPS_MAX + 5).getBytes(StandardCharsets.UTF_8)), new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("Input/output error (simulated EIO)");
                    }
                });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path dir = tmp.resolve("store");

        int code = Main.run(new String[] {"import", dir.toString(), "--format", "jsonl"},
                new Console(failing, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8), false));

        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCode.IO_ERROR, code, stderr);
        assertEquals(1, stderr.lines().count(), stderr);
        assertContains(stderr, "walnut import: IOException: Input/output error (simulated EIO); imported="
                + BatchImporter.BATCH_OPS_MAX + " entries in 1 batches before it, the failing batch of 5 is not acknowledged");
        assertContains(Cli.run("stats", dir.toString()).out(), "liveKeys=" + BatchImporter.BATCH_OPS_MAX + "\n");
    }

    private static byte[] withGoodLine(String line) {
        return concat(GOOD_LINE, line.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
