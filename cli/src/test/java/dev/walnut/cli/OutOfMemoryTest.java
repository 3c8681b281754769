package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heap too small for a read command's open store is one clear stderr line and exit 70, not a
 * stack trace and exit 1 (which means "key not found" to a script).
 */
class OutOfMemoryTest {

    @TempDir
    Path tmp;

    @Test
    void runningOutOfHeapIsOneLineNamingTheHeapAndExitSeventy() throws IOException {
        Path dir = Stores.create(tmp.resolve("store"), 3);

        Cli.Result r = Cli.run(new byte[0], storage -> new ForwardingWalStorage(storage) {
            @Override
            protected WalFile wrap(String name, WalFile file) {
                return new ForwardingWalFile(file) {
                    @Override
                    public int read(long offsetBytes, ByteBuffer target) {
                        throw new OutOfMemoryError("Java heap space");
                    }
                };
            }
        }, "export", dir.toString(), "--format", "jsonl");

        assertEquals(ExitCode.INTERNAL, r.code(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertContains(r.err(), "walnut export: out of memory: Java heap space; maxHeapBytes=");
    }
}
