package dev.walnut.cli;

import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Deletes one key, durably. Deleting an absent key is not an error (the result is the same). */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete KEY from an existing store.")
final class DeleteCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "KEY", description = "The key (escaped UTF-8, or base64 with --base64).")
    String keyText;

    @Mixin
    KeyEncoding encoding = new KeyEncoding();

    DeleteCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        byte[] key = encoding.decode("KEY", keyText);
        KeyEncoding.requireKey(key);
        StoreDirectory.requireStore(directory);
        try (Walnut db = Walnut.open(directory, WalnutOptions.builder().build())) {
            db.delete(key);
        }
        return ExitCode.OK;
    }
}
