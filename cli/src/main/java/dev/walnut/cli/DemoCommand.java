package dev.walnut.cli;

import dev.walnut.RecoveryReport;
import dev.walnut.Walnut;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * README's main job: a child JVM writes synced records and is cut off in the middle of a write;
 * this process reopens the store and proves that every acknowledged record survived.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Cut the power mid-write in a child JVM, then prove every acknowledged record survived.",
                "The child writes synced records and halts halfway through one; this process reopens the store,",
                "prints the recovery report and checks every acknowledged record."})
final class DemoCommand implements Callable<Integer> {

    static final long TEAR_AT_RECORD_DEFAULT = 100;
    /** Generous: the child needs well under a second for the default record count. */
    static final long CHILD_TIMEOUT_SECONDS = 120;
    /** The child holds one record at a time; a small heap keeps the demo light. */
    static final String CHILD_HEAP = "-Xmx64m";
    /** lz4-java loads a native library: granting access keeps JDK 24+ from warning about it. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    private final Console console;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "Directory for the store: must not exist or be empty (default: a new temporary directory).")
    Path directory;

    @Option(names = "--tear-at-record", paramLabel = "N", defaultValue = "" + TEAR_AT_RECORD_DEFAULT,
            description = "Which record write the power cut tears (default: ${DEFAULT-VALUE}).")
    long tearAtRecord;

    DemoCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (tearAtRecord < 1) {
            throw new CliException(ExitCode.USAGE, "--tear-at-record must be at least 1: actual=" + tearAtRecord);
        }
        boolean temporary = directory == null;
        Path dir = prepareDirectory().toAbsolutePath();
        int code = ExitCode.INTERNAL;
        try {
            code = run(dir);
            return code;
        } finally {
            closingTip(dir, temporary, code);
        }
    }

    private int run(Path dir) throws IOException, InterruptedException {
        PrintStream out = console.out();
        out.println("demo: store directory " + dir);
        out.println("demo: a child JVM writes synced puts (demo-000001, demo-000002, ...); each is acknowledged"
                + " only after fsync.");
        out.println("demo: at record " + tearAtRecord + " the child writes only the first half of the record's bytes"
                + " and halts: a simulated power cut mid-write.");
        long acknowledged = runChild(dir);
        out.println("demo: child acknowledged " + acknowledged + " records before the cut; reopening the store"
                + " (policy TOLERATE_TORN_TAIL)");
        try (Walnut db = Walnut.open(dir)) {
            RecoveryReport report = db.recoveryReport();
            out.print(report.describe());
            return check(db, acknowledged);
        }
    }

    /**
     * Commands that run as printed. A store the user named is kept; a temporary one is removed
     * after a passing run (a failing run keeps it as evidence), with the commands that keep one.
     */
    private void closingTip(Path dir, boolean temporary, int code) throws IOException {
        PrintStream out = console.out();
        if (temporary && code == ExitCode.OK) {
            TempTree.delete(dir);
            out.println("demo: removed its temporary store " + dir);
            out.println("demo: to keep a store and look closer, run:");
            out.println("  " + SelfCommand.of("demo", dir.toString()));
            out.println("  " + SelfCommand.of("verify", dir.toString()));
            return;
        }
        out.println("demo: look closer with:");
        out.println("  " + SelfCommand.of("verify", dir.toString()));
        out.println("  " + SelfCommand.of("dump-wal", dir.toString()));
    }

    private Path prepareDirectory() throws IOException {
        if (directory == null) {
            return Files.createTempDirectory("walnut-demo-");
        }
        if (Files.exists(directory)) {
            if (!Files.isDirectory(directory)) {
                throw new CliException(ExitCode.USAGE, "not a directory: demo needs a new or empty directory (path="
                        + directory + ")");
            }
            try (Stream<Path> entries = Files.list(directory)) {
                if (entries.findAny().isPresent()) {
                    throw new CliException(ExitCode.USAGE, "directory is not empty: demo writes a new store and"
                            + " refuses to touch existing files (directory=" + directory + ")");
                }
            }
            return directory;
        }
        return Files.createDirectories(directory);
    }

    /** Runs the writer in a child JVM; returns the highest record number it acknowledged. */
    private long runChild(Path dir) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(Arrays.asList(java, CHILD_HEAP, NATIVE_ACCESS, "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), DemoWriterCommand.NAME,
                dir.toString(), "--tear-at-record", Long.toString(tearAtRecord)));
        Process child = new ProcessBuilder(command).start();
        // The child's stderr is shown only if it fails: a JVM may print notices there that are no failure.
        CompletableFuture<String> childErr = CompletableFuture.supplyAsync(() -> readAll(child));
        long acknowledged = 0;
        List<String> other = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith(DemoWriterCommand.ACK_PREFIX)) {
                    acknowledged = Long.parseLong(line.substring(DemoWriterCommand.ACK_PREFIX.length()));
                } else {
                    other.add(line);
                    console.out().println("child: " + line);
                }
            }
        }
        if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new CliException(ExitCode.INTERNAL, "demo child did not finish: timeoutSeconds="
                    + CHILD_TIMEOUT_SECONDS);
        }
        if (child.exitValue() != TearingWalStorage.HALT_STATUS) {
            throw new CliException(ExitCode.INTERNAL, "demo child failed: expected exitStatus="
                    + TearingWalStorage.HALT_STATUS + " actual=" + child.exitValue() + " output=" + other + " stderr="
                    + childErr.join().strip().replace('\n', '|'));
        }
        return acknowledged;
    }

    private static String readAll(Process child) {
        try {
            return new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Every acknowledged record must be there with its value; the torn one must not. */
    private int check(Walnut db, long acknowledged) throws IOException {
        PrintStream out = console.out();
        long missing = 0;
        for (long n = 1; n <= acknowledged; n++) {
            byte[] value = db.get(DemoWriterCommand.key(n));
            if (value == null || !Arrays.equals(value, DemoWriterCommand.value(n))) {
                missing++;
                out.println("demo: LOST acknowledged record key=" + new String(DemoWriterCommand.key(n),
                        StandardCharsets.UTF_8) + (value == null ? " (absent)" : " (wrong value)"));
            }
        }
        byte[] tornKey = DemoWriterCommand.key(acknowledged + 1);
        boolean tornPresent = db.get(tornKey) != null;
        out.println("demo: acknowledged=" + acknowledged + " survived=" + (acknowledged - missing) + " missing="
                + missing + " liveKeys=" + db.size());
        out.println("demo: torn record " + new String(tornKey, StandardCharsets.UTF_8) + " is "
                + (tornPresent ? "present (its write completed before the cut)" : "absent: it was never acknowledged,"
                + " and its half-written bytes were dropped as a torn tail"));
        if (missing > 0) {
            out.println("demo: FAILED: " + missing + " acknowledged records were lost");
            return ExitCode.LOST_WRITE;
        }
        out.println("demo: OK: every acknowledged record survived the power cut");
        return ExitCode.OK;
    }
}
