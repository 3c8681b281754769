package dev.walnut.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.walnut.DamageAction;
import dev.walnut.DamageKind;
import dev.walnut.DamageSite;
import dev.walnut.RecoveryPolicy;
import dev.walnut.RecoveryReport;
import dev.walnut.recovery.Recovery;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Reads every segment without opening the store for writing and without changing any file.
 * Recovery under SALVAGE goes on past every damage site and reports each one, which is exactly a
 * full check; nothing it plans (a new segment, quarantine) is carried out.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every record of the log, read-only, and report each damage site.",
                "Exit 0 clean, 3 torn tail only, 4 corruption, 5 I/O error, 2 not a store, 6 locked.",
                "Damage an earlier recovery already handled is listed but does not change the exit code."})
final class VerifyCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    VerifyCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        Recovery.Outcome outcome = LogReplay.run(directory, LogReplay.settings(RecoveryPolicy.SALVAGE), LogReplay.DISCARD,
                console, "verify");
        RecoveryReport report = outcome.report();
        int code = exitCode(report);
        if (json) {
            printJson(report, code);
        } else {
            printText(report, code);
        }
        return code;
    }

    /** Corruption outranks a torn tail; sites an earlier recovery handled need no action now. */
    static int exitCode(RecoveryReport report) {
        int code = ExitCode.OK;
        for (DamageSite site : report.damage()) {
            if (site.action() == DamageAction.DROPPED_EARLIER) {
                continue;
            }
            code = site.kind() == DamageKind.CORRUPTION ? ExitCode.CORRUPTION : Math.max(code, ExitCode.TORN_TAIL);
        }
        return code;
    }

    static String verdict(int code) {
        return switch (code) {
            case ExitCode.OK -> "clean";
            case ExitCode.TORN_TAIL -> "torn-tail";
            default -> "corruption";
        };
    }

    /** The site as verify saw it: it changed nothing, so its action is NONE unless an earlier open acted. */
    static DamageSite asFound(DamageSite site) {
        return site.action() == DamageAction.DROPPED_EARLIER ? site : site.withAction(DamageAction.NONE);
    }

    private void printText(RecoveryReport report, int code) {
        PrintStream out = console.out();
        for (DamageSite site : report.damage()) {
            out.println(asFound(site));
        }
        out.println("verify: " + verdict(code) + " directory=" + directory + " segments=" + report.segmentsReplayed()
                + " records=" + report.recordsReplayed() + " bytesRead=" + report.bytesRead() + " lastSequence="
                + report.lastSequence() + " damageSites=" + report.damage().size() + " peakBufferBytes="
                + report.peakBufferBytes() + " elapsedMs=" + report.elapsed().toMillis());
    }

    private void printJson(RecoveryReport report, int code) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(CloseShield.of(console.out()))) {
            g.writeStartObject();
            g.writeStringField("verdict", verdict(code));
            g.writeNumberField("exitCode", code);
            g.writeStringField("directory", directory.toString());
            g.writeNumberField("segments", report.segmentsReplayed());
            g.writeNumberField("records", report.recordsReplayed());
            g.writeNumberField("bytesRead", report.bytesRead());
            g.writeNumberField("lastSequence", report.lastSequence());
            g.writeNumberField("peakBufferBytes", report.peakBufferBytes());
            g.writeNumberField("elapsedMs", report.elapsed().toMillis());
            g.writeArrayFieldStart("damage");
            for (DamageSite site : report.damage()) {
                DamageSite found = asFound(site);
                g.writeStartObject();
                g.writeStringField("file", found.file());
                g.writeNumberField("offsetBytes", found.offsetBytes());
                g.writeNumberField("lengthBytes", found.lengthBytes());
                g.writeStringField("kind", found.kind().name());
                g.writeStringField("action", found.action().name());
                g.writeStringField("evidence", found.evidence());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }
}
