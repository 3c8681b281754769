package dev.walnut.cli;

import static dev.walnut.cli.Stores.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kernel behaviour the CLI depends on and that is missing today, reproduced through the CLI.
 * Disabled so that CI stays green; the kernel owner enables each test with the fix.
 */
class KernelGapsTest {

    @TempDir
    Path tmp;

    @Test
    @Disabled("kernel gap: Recovery.readManifest builds the CORRUPTION site of a damaged MANIFEST but, under SALVAGE,"
            + " drops it instead of reporting it, and then ignores the intact compacted base")
    void salvageReportsADamagedManifestAndKeepsTheIntactBase() throws IOException {
        Path dir = tmp.resolve("store");
        for (int i = 1; i <= 4; i++) {
            assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "k" + i, "v" + i).code());
        }
        assertEquals(ExitCode.OK, Cli.run("compact", dir.toString()).code());
        assertEquals(ExitCode.OK, Cli.run("put", dir.toString(), "k5", "v5").code());
        byte[] manifest = Files.readAllBytes(dir.resolve("MANIFEST"));
        manifest[30] ^= 0x01;
        Files.write(dir.resolve("MANIFEST"), manifest);

        Cli.Result verify = Cli.run("verify", dir.toString());
        Cli.Result salvaged = Cli.run("export", dir.toString(), "--format", "jsonl", "--policy", "SALVAGE");

        assertEquals(ExitCode.CORRUPTION, verify.code(), verify::toString);
        assertContains(verify.out(), "CORRUPTION file=MANIFEST");
        // Today: only k5 survives, the base's k1..k4 are silently left out.
        assertEquals(5, salvaged.out().lines().count(), salvaged::toString);
    }
}
