package dev.walnut.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's "Using the store" example is this module's code, and it runs as it says. */
class ReadmeExampleTest {

    private static final String BEGIN = "// README:begin";
    private static final String END = "// README:end";

    /** The lines between the markers of a source file. */
    static List<String> exampleLines(Path source) throws IOException {
        List<String> lines = Files.readAllLines(source);
        return lines.subList(lines.indexOf(BEGIN) + 1, lines.indexOf(END));
    }

    /** The body of the README's first java code block after the "## Using the store" heading. */
    static List<String> readmeBlock(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        int section = lines.indexOf("## Using the store");
        int start = lines.subList(section, lines.size()).indexOf("```java") + section + 1;
        int end = lines.subList(start, lines.size()).indexOf("```") + start;
        return lines.subList(start, end);
    }

    @Test
    void theReadmeExampleIsTheCompiledExampleLetterForLetter() throws IOException {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        List<String> example = exampleLines(module.resolve("src/main/java/dev/walnut/examples/UsingTheStore.java"));
        assertEquals(example, readmeBlock(module.resolve("../README.md")),
                "README's example drifted from examples/.../UsingTheStore.java: copy the code between the markers");
    }

    @Test
    void theExampleRunsAndPrintsWhatItsCommentsPromise(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            UsingTheStore.main(new String[] {dir.resolve("data").toString()});
        } finally {
            System.setOut(original);
        }
        List<String> out = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("get user:1 = ada", "scan user:2 = grace", "scan user:3 = edsger",
                "reversed from user:2: user:2", "snapshot at sequence 2 sees 2 keys"), out.subList(0, 5));
        assertTrue(out.get(5).startsWith("checkpoint at sequence "), out.toString());
        assertEquals("live keys 4", out.get(6));
        assertEquals("read-only get user:4 = barbara", out.get(out.size() - 1));
        assertTrue(Files.isDirectory(dir.resolve("data-backup")), "the checkpoint directory");
    }
}
