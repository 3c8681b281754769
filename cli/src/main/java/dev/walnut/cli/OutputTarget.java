package dev.walnut.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where a command's data goes: stdout, or a file that appears only when complete. The file is
 * written under a temporary name beside it and renamed over OUT at the end, so a failed export
 * never leaves a partial OUT behind (nor replaces an earlier good one).
 */
final class OutputTarget implements AutoCloseable {

    private final Path target;
    private final Path temporary;
    private final OutputStream stream;
    private boolean committed;

    private OutputTarget(Path target, Path temporary, OutputStream stream) {
        this.target = target;
        this.temporary = temporary;
        this.stream = stream;
    }

    static OutputTarget open(String out, Console console) throws IOException {
        if (out == null || out.equals("-")) {
            return new OutputTarget(null, null, CloseShield.of(console.out()));
        }
        Path target = Path.of(out).toAbsolutePath();
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CliException(ExitCode.USAGE, "output directory does not exist (output=" + target + ")");
        }
        if (Files.isDirectory(target)) {
            throw new CliException(ExitCode.USAGE, "output is a directory, expected a file (output=" + target + ")");
        }
        // Not createTempFile: its 0600 mode would stick to OUT after the rename.
        Path temporary = parent.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
        return new OutputTarget(target, temporary, Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));
    }

    OutputStream stream() {
        return stream;
    }

    /** Makes the output visible under its name; without it, close discards the output. */
    void commit() throws IOException {
        stream.close();
        if (target != null) {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        stream.close();
        if (temporary != null) {
            Files.deleteIfExists(temporary);
        }
    }
}
