package dev.walnut.cli;

import dev.walnut.LogInspector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The checks every command makes on DIR before touching it, so that a wrong path fails with one
 * clear line (exit code 2) and never turns into a new, empty store.
 */
final class StoreDirectory {

    private StoreDirectory() {
    }

    /** DIR must be an existing Walnut store: a directory holding at least one log file (segment or base). */
    static Path requireStore(Path directory) throws IOException {
        requireDirectory(directory);
        if (!hasSegments(directory)) {
            throw new CliException(ExitCode.USAGE, "not a Walnut store: no wal-*.log segment files (directory="
                    + directory + ")");
        }
        return directory;
    }

    /**
     * DIR may be written: a store, an empty directory or a path that does not exist yet (the store is
     * created there). A file, or a directory holding other things, is refused.
     */
    static Path requireWritable(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return directory;
        }
        requireDirectory(directory);
        if (hasSegments(directory) || isEmpty(directory)) {
            return directory;
        }
        throw new CliException(ExitCode.USAGE, "not a Walnut store and not empty: refusing to create a store among"
                + " other files (directory=" + directory + ")");
    }

    private static void requireDirectory(Path directory) {
        if (!Files.exists(directory)) {
            throw new CliException(ExitCode.USAGE, "directory does not exist (directory=" + directory + ")");
        }
        if (!Files.isDirectory(directory)) {
            throw new CliException(ExitCode.USAGE, "not a directory: a Walnut store is a directory (path=" + directory
                    + ")");
        }
    }

    private static boolean hasSegments(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.anyMatch(p -> LogInspector.isLogFileName(p.getFileName().toString()));
        }
    }

    static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }
}
