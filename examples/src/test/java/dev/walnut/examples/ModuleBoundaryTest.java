package dev.walnut.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A module that requires dev.walnut reaches the store API and the storage seam, and nothing else. */
class ModuleBoundaryTest {

    @TempDir
    Path dir;

    private String compile(String importLine) throws IOException, URISyntaxException {
        Path src = Files.createDirectories(dir.resolve("src/consumer/app"));
        Files.writeString(dir.resolve("src/consumer/module-info.java"), "module consumer { requires dev.walnut; }\n");
        Files.writeString(src.resolve("App.java"), "package app;\n" + importLine + "\npublic class App { }\n");
        String modulePath = location(dev.walnut.Walnut.class) + File.pathSeparator
                + location(net.jpountz.lz4.LZ4Factory.class);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, null, null,
                List.of("--module-path", modulePath, "-d", dir.resolve("out").toString()), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(
                        dir.resolve("src/consumer/module-info.java").toFile(), src.resolve("App.java").toFile()))
                .call();
        return ok ? "" : diagnostics.toString();
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @Test
    void theStoreApiAndTheStorageSeamAreExported() throws Exception {
        assertTrue(compile("import dev.walnut.Walnut; import dev.walnut.io.WalStorage;").isEmpty());
    }

    @Test
    void internalPackagesAreNotVisibleToAModule() throws Exception {
        for (String internal : List.of("dev.walnut.store.MvccIndex", "dev.walnut.log.LogWriter",
                "dev.walnut.recovery.Recovery", "dev.walnut.format.RecordCodec")) {
            String errors = compile("import " + internal + ";");
            assertFalse(errors.isEmpty(), internal + " compiled from another module");
            assertTrue(errors.contains("is not visible") || errors.contains("does not export"), errors);
        }
    }
}
