package dev.walnut.cli;

import dev.walnut.Walnut;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Opens the store and writes a checkpoint of it into TARGET: a consistent copy at one sequence
 * number that opens like any store, made of hard links where the file system allows. The store is
 * opened for writing (a checkpoint rotates the log), so a store another process has open is refused
 * as locked: that process can call {@code Walnut.checkpoint} itself while it writes.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Write a consistent, openable copy of the store into TARGET (new or empty directory).",
                "Immutable files are hard-linked where the file system allows, copied otherwise."})
final class BackupCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "TARGET", description = "A new or empty directory for the copy.")
    Path target;

    BackupCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        StoreDirectory.requireStore(directory);
        if (Files.exists(target) && (!Files.isDirectory(target) || !StoreDirectory.isEmpty(target))) {
            throw new CliException(ExitCode.USAGE, "backup target must be a new or empty directory (target=" + target
                    + ")");
        }
        try (Walnut db = Walnut.open(directory)) {
            long sequence = db.checkpoint(target);
            console.out().println("backup: directory=" + directory + " target=" + target + " sequence=" + sequence
                    + " liveKeys=" + db.size());
        }
        return ExitCode.OK;
    }
}
