package dev.walnut.cli;

import dev.walnut.Walnut;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Writes one key, durably; creates the store if DIR does not exist or is empty. */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = "Set KEY to VALUE (VALUE '-' reads the value's bytes from stdin). Creates the store if needed.")
final class PutCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Parameters(index = "1", paramLabel = "KEY", description = "The key (escaped UTF-8, or base64 with --base64).")
    String keyText;

    @Parameters(index = "2", paramLabel = "VALUE", description = "The value, or '-' for the bytes of stdin.")
    String valueText;

    @Mixin
    KeyEncoding encoding = new KeyEncoding();

    @Mixin
    RecordLimitOption log = new RecordLimitOption();

    PutCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        byte[] key = encoding.decode("KEY", keyText);
        KeyEncoding.requireKey(key);
        byte[] value = valueText.equals("-") ? readStdin() : encoding.decode("VALUE", valueText);
        String problem = ImportFormat.entryProblem(key, value, BatchImporter.entryBytesMax(log.maxRecordBytes()));
        if (problem != null) {
            throw new CliException(ExitCode.USAGE, problem);
        }
        StoreDirectory.requireWritable(directory);
        try (Walnut db = Walnut.open(directory, log.walnutOptions().build())) {
            db.put(key, value);
        }
        return ExitCode.OK;
    }

    private byte[] readStdin() throws IOException {
        long limit = BatchImporter.entryBytesMax(log.maxRecordBytes());
        byte[] bytes = console.in().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
            throw new CliException(ExitCode.USAGE, "value from stdin too large for one record: max=" + limit
                    + " bytes (raise --max-record-bytes)");
        }
        return bytes;
    }
}
