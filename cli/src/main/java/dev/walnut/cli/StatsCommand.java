package dev.walnut.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.walnut.RecoveryPolicy;
import dev.walnut.RecoveryReport;
import dev.walnut.format.RecordFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The figures of a store at rest, read-only: live keys and bytes (replayed through the external
 * sort, so memory stays bounded), log size and segments, last sequence, damage sites. Counters of a
 * running store (fsyncs, writes per fsync) exist only inside the process that has it open.
 */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Print the figures of a store. Read-only.")
final class StatsCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Option(names = "--json", description = "Print one JSON object instead of key=value lines.")
    boolean json;

    StatsCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        StoreDirectory.requireStore(directory);
        long[] live = new long[2];
        RecoveryReport report;
        try (SortedLiveState state = new SortedLiveState(KeyFilter.ALL, Path.of(System.getProperty("java.io.tmpdir")))) {
            report = LogReplay.run(directory, LogReplay.settings(RecoveryPolicy.TOLERATE_TORN_TAIL), state, console, "stats")
                    .report();
            state.emit((key, value) -> {
                live[0]++;
                live[1] += key.length + value.length;
            });
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("liveKeys", live[0]);
        figures.put("liveBytes", live[1]);
        figures.put("logBytes", LogReplay.segmentBytes(directory));
        figures.put("segments", segmentCount());
        figures.put("lastSequence", report.lastSequence());
        figures.put("records", report.recordsReplayed());
        figures.put("damageSites", report.damage().size());
        print(figures);
        return ExitCode.OK;
    }

    private long segmentCount() throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> RecordFormat.segmentNumberOf(p.getFileName().toString()) >= 0).count();
        }
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
