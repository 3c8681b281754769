package dev.walnut.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.walnut.RecoveryPolicy;
import dev.walnut.RecoveryReport;
import dev.walnut.Stats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The figures of a store at rest, from one read-only open: live keys and bytes, log size and
 * segments, last sequence, records read and damage sites. Counters of a
 * running store (fsyncs, writes per fsync) exist only inside the process that has it open.
 */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Print the figures of a store. Read-only.")
final class StatsCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Option(names = "--json", description = "Print one JSON object instead of key=value lines.")
    boolean json;

    @Mixin
    ProgressOption progress = new ProgressOption();

    StatsCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        Map<String, Object> figures = new LinkedHashMap<>();
        try (ReadOnlyStore store = ReadOnlyStore.open(directory, RecoveryPolicy.TOLERATE_TORN_TAIL, console, progress,
                "stats")) {
            Stats stats = store.db().stats();
            RecoveryReport report = store.db().recoveryReport();
            figures.put("liveKeys", stats.liveKeys());
            figures.put("liveBytes", stats.liveBytes());
            figures.put("logBytes", stats.logBytes());
            figures.put("segments", stats.segments());
            figures.put("lastSequence", stats.lastSequence());
            figures.put("records", report.recordsReplayed());
            figures.put("damageSites", report.damage().size());
        }
        print(figures);
        return ExitCode.OK;
    }

    private void print(Map<String, Object> figures) throws IOException {
        if (!json) {
            figures.forEach((name, value) -> console.out().println(name + "=" + value));
            return;
        }
        try (JsonGenerator g = new JsonFactory().createGenerator(CloseShield.of(console.out()))) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : figures.entrySet()) {
                g.writeNumberField(e.getKey(), ((Number) e.getValue()).longValue());
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }
}
