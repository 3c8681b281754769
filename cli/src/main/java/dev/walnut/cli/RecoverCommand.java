package dev.walnut.cli;

import dev.walnut.RecoveryPolicy;
import dev.walnut.RecoveryReport;
import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.recovery.Recovery;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Opens the store under an explicit policy and prints the recovery report. An open that succeeds
 * continues the log in a new segment (and, under POINT_IN_TIME, renames later segments to
 * {@code *.quarantined}); {@code --dry-run} runs the same recovery read-only and changes nothing.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Open the store with an explicit recovery policy and print the report.",
                "Exit 0 if the policy accepts the damage found, 3 or 4 if it refuses (torn tail, corruption)."})
final class RecoverCommand implements Callable<Integer> {

    private final Console console;

    @Parameters(index = "0", paramLabel = "DIR", description = "The store directory.")
    Path directory;

    @Option(names = "--policy", required = true, paramLabel = "POLICY",
            description = "STRICT, TOLERATE_TORN_TAIL, POINT_IN_TIME or SALVAGE.")
    RecoveryPolicy policy;

    @Option(names = "--dry-run", description = "Run the recovery read-only: report what an open would do, change nothing.")
    boolean dryRun;

    RecoverCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = console.out();
        if (dryRun) {
            Recovery.Outcome outcome = LogReplay.run(directory, LogReplay.settings(policy), LogReplay.DISCARD, console,
                    "recover");
            out.println("dry run: nothing was changed; an open with policy=" + policy + " would:");
            out.print(outcome.report().describe());
            for (String name : outcome.quarantine()) {
                out.println("  would quarantine " + name + " as " + name + Recovery.QUARANTINE_SUFFIX);
            }
            return ExitCode.OK;
        }
        StoreDirectory.requireStore(directory);
        try (Walnut db = Walnut.open(directory, WalnutOptions.builder().recoveryPolicy(policy).build())) {
            RecoveryReport report = db.recoveryReport();
            out.print(report.describe());
            out.println("recovered: the store opened with policy=" + policy + " and was closed cleanly; liveKeys="
                    + db.size() + (report.damage().isEmpty() ? "" : damageNote(report)));
        }
        return ExitCode.OK;
    }

    private static String damageNote(RecoveryReport report) {
        return "; damageSites=" + report.damage().size() + " handled, their bytes stay on disk until compaction";
    }
}
