package dev.walnut.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** Builds stores for tests, damages them at byte level, and fingerprints directories. */
final class Stores {

    private Stores() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code count} valid jsonl lines, keys k000000, k000001, ... in order. */
    static String jsonlLines(int count) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("{\"key\":\"k").append(String.format("%06d", i)).append("\",\"value\":\"v\"}\n");
        }
        return lines.toString();
    }

    static String key(int i) {
        return String.format("key-%04d", i);
    }

    static String value(int i) {
        return String.format("value-%04d-payload", i);
    }

    /** A closed (sealed) store of {@code records} single-put records, uncompressed so values can be found in the file. */
    static Path create(Path dir, int records) throws IOException {
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().compression(false).seed(42).build())) {
            for (int i = 1; i <= records; i++) {
                db.put(utf8(key(i)), utf8(value(i)));
            }
        }
        return dir;
    }

    static Path create(Path dir, Map<byte[], byte[]> entries) throws IOException {
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().seed(7).build())) {
            WriteBatch batch = new WriteBatch();
            for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
                batch.put(e.getKey(), e.getValue());
            }
            db.write(batch);
        }
        return dir;
    }

    /** The highest-numbered segment file. */
    static Path lastSegment(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("wal-[0-9]{10}\\.log")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
    }

    /** Half a record's worth of garbage after the seal: what a write cut off after a clean close leaves. */
    static void appendTornTail(Path dir) throws IOException {
        Files.write(lastSegment(dir), new byte[] {0x31, 0, 0, 0, 0x55, 0x66, 0x77}, StandardOpenOption.APPEND);
    }

    /** Flips one bit inside {@code needle}'s first occurrence in the segment holding it: damage to durable bytes. */
    static long flipByteOf(Path dir, String needle) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                byte[] bytes = Files.readAllBytes(file);
                int at = indexOf(bytes, utf8(needle));
                if (at >= 0) {
                    bytes[at + 2] ^= 0x04;
                    Files.write(file, bytes);
                    return at + 2;
                }
            }
        }
        throw new AssertionError("not found: " + needle);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Every file's name and content checksum: equal fingerprints mean no file was created, removed or changed. */
    static Map<String, String> fingerprint(Path dir) throws IOException {
        Map<String, String> prints = new TreeMap<>();
        if (!Files.exists(dir)) {
            prints.put("<absent>", "");
            return prints;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    CRC32C crc = new CRC32C();
                    crc.update(Files.readAllBytes(p));
                    prints.put(dir.relativize(p).toString(), Files.size(p) + ":" + Long.toHexString(crc.getValue()));
                } else {
                    prints.put(dir.relativize(p) + "/", "dir");
                }
            }
        }
        return prints;
    }

    static void assertContains(String haystack, String needle) {
        assertTrue(haystack.contains(needle), () -> "expected to contain: " + needle + "\nactual:\n" + haystack);
    }
}
