package dev.walnut.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.walnut.format.RecordFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the two import formats. The oracle: an input is either imported (and
 * then every entry is one a store takes, and writing the entries back out and reading them again
 * gives the same entries) or refused with the bad-input failure that {@code walnut import} turns into
 * exit 7: one line naming where. Any other exception, any Error, and any IOException (an in-memory
 * input cannot fail to read) is a finding. {@code mvn test} replays the committed corpus under
 * {@code src/test/resources/dev/walnut/cli/ImportFuzzTestInputs/<method>/}; README says how to fuzz.
 */
class ImportFuzzTest {

    /** The smallest store's entry limit, so that inputs reach the too-large paths cheaply. */
    static final long ENTRY_BYTES_MAX = BatchImporter.entryBytesMax(RecordFormat.RECORD_BYTES_LIMIT_MIN);
    static final String SOURCE = "fuzz";

    @FuzzTest
    void jsonlInputIsImportedOrRefusedAsBadInput(byte[] input) throws IOException {
        List<byte[][]> entries = importOrRefuse(ImportFormat.jsonl, input);
        if (entries != null) {
            assertRoundTrip(ImportFormat.jsonl, entries, writeJsonl(entries));
        }
    }

    @FuzzTest
    void walnutInputIsImportedOrRefusedAsBadInput(byte[] input) throws IOException {
        List<byte[][]> entries = importOrRefuse(ImportFormat.walnut, input);
        if (entries != null) {
            assertRoundTrip(ImportFormat.walnut, entries, writeWalnut(entries));
        }
    }

    /** The entries read, or null if the input was refused as malformed. */
    private static List<byte[][]> importOrRefuse(ImportFormat format, byte[] input) {
        List<byte[][]> entries = new ArrayList<>();
        try {
            format.read(new ByteArrayInputStream(input), SOURCE, ENTRY_BYTES_MAX, (k, v) -> entries.add(new byte[][] {k, v}));
        } catch (CliException e) {
            assertEquals(ExitCode.BAD_INPUT, e.exitCode(), e::getMessage);
            String message = e.getMessage();
            assertTrue(message.startsWith("malformed " + (format == ImportFormat.jsonl ? "jsonl" : "walnut export")),
                    message);
            assertTrue(message.chars().noneMatch(Character::isISOControl), () -> "one line, no raw controls: " + message);
            assertTrue(message.contains("(input=" + SOURCE + (format == ImportFormat.jsonl ? " line=" : " entry=")),
                    message);
            return null;
        } catch (IOException e) {
            throw new AssertionError("reading from memory cannot fail: an IOException here is not a read error", e);
        }
        for (byte[][] entry : entries) {
            assertEquals(null, ImportFormat.entryProblem(entry[0], entry[1], ENTRY_BYTES_MAX));
        }
        return entries;
    }

    private static void assertRoundTrip(ImportFormat format, List<byte[][]> entries, byte[] written) {
        List<byte[][]> again = importOrRefuse(format, written);
        assertTrue(again != null, "what the writer wrote from imported entries must import again");
        assertEquals(entries.size(), again.size());
        for (int i = 0; i < entries.size(); i++) {
            assertArrayEquals(entries.get(i)[0], again.get(i)[0]);
            assertArrayEquals(entries.get(i)[1], again.get(i)[1]);
        }
    }

    private static byte[] writeJsonl(List<byte[][]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlEntryWriter writer = new JsonlEntryWriter(out, false);
        for (byte[][] e : entries) {
            writer.accept(e[0], e[1]);
        }
        writer.finish();
        return out.toByteArray();
    }

    private static byte[] writeWalnut(List<byte[][]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WalnutEntryWriter writer = new WalnutEntryWriter(out);
        for (byte[][] e : entries) {
            writer.accept(e[0], e[1]);
        }
        writer.finish();
        return out.toByteArray();
    }
}
