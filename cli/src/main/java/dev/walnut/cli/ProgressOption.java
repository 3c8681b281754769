package dev.walnut.cli;

import picocli.CommandLine.Option;

/**
 * {@code --progress}: progress lines on stderr even when it is not a terminal (a log file, CI), one
 * a second. On a terminal they are drawn anyway; piped or redirected stderr carries none unless asked.
 */
final class ProgressOption {

    @Option(names = "--progress", description = "Print progress lines to stderr (at most one a second) even when"
            + " it is not a terminal; on a terminal progress is shown anyway.")
    boolean requested;

    Progress start(Console console, String label, Progress.Unit unit, long total) {
        return Progress.start(console, requested, label, unit, total);
    }
}
