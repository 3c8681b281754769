package dev.walnut.cli;

import dev.walnut.WalCorruptionException;
import dev.walnut.WalDamageException;
import dev.walnut.StorageLockedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code walnut} command line. {@link #run} is the whole tool behind injectable streams; every
 * failure becomes one stderr line and an {@link ExitCode}, decided here and nowhere else.
 */
@Command(name = "walnut", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Inspect, verify, recover, export and import Walnut stores.",
        footer = {"", "Exit codes: 0 ok, 1 key not found, 2 usage or not a store, 3 torn tail,"
                + " 4 corruption, 5 I/O error, 6 locked, 7 malformed input, 8 lost write (demo), 70 internal."})
public final class Main implements Runnable {

    /**
     * The kernel logs a recovery report as a warning; the CLI prints reports itself, and stderr must
     * hold one clear line per failure, so the kernel's log is silenced. Held here because
     * java.util.logging keeps loggers only weakly.
     */
    private static final java.util.logging.Logger KERNEL_LOG = java.util.logging.Logger.getLogger("dev.walnut");

    static {
        KERNEL_LOG.setLevel(java.util.logging.Level.OFF);
    }

    private final Console console;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Main(Console console) {
        this.console = console;
    }

    public static void main(String[] args) {
        int code = run(args, new Console(System.in, System.out, System.err, Console.stderrIsTerminal()));
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command with stdin empty-handed to the caller's streams; progress is never drawn. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new Console(System.in, out, err, false));
    }

    public static int run(String[] args, Console console) {
        CommandLine cli = commandLine(console);
        cli.setOut(new PrintWriter(console.out(), true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(console.err(), true, StandardCharsets.UTF_8));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine, console.err()));
        cli.setParameterExceptionHandler((e, args1) -> usageError(e, console.err()));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            code = outOfMemory(e, cli, console.err());
        }
        console.out().flush();
        return code;
    }

    /**
     * A heap too small for the store is no bug, but it must not escape as a stack trace and exit 1
     * (which scripts read as "key not found"): one line, exit 70, and what to raise.
     */
    static int outOfMemory(OutOfMemoryError e, CommandLine cli, PrintStream err) {
        CommandLine.ParseResult parsed = cli.getParseResult();
        String command = parsed != null && parsed.hasSubcommand() ? "walnut " + parsed.subcommand().commandSpec().name()
                : "walnut";
        err.println(command + ": out of memory: " + e.getMessage() + "; maxHeapBytes=" + Runtime.getRuntime().maxMemory()
                + " (an open store holds its live keys and values on the heap: raise it, e.g. java -Xmx2g -jar ...)");
        err.flush();
        return ExitCode.INTERNAL;
    }

    static CommandLine commandLine(Console console) {
        CommandLine cli = new CommandLine(new Main(console));
        cli.addSubcommand("help", new CommandLine.HelpCommand());
        // Start here: the main job, then checking and repairing a store.
        cli.addSubcommand("demo", new DemoCommand(console));
        cli.addSubcommand(DemoWriterCommand.NAME, new DemoWriterCommand(console));
        cli.addSubcommand("verify", new VerifyCommand(console));
        cli.addSubcommand("dump-wal", new DumpWalCommand(console));
        cli.addSubcommand("recover", new RecoverCommand(console));
        // Moving data in and out, and maintenance.
        cli.addSubcommand("export", new ExportCommand(console));
        cli.addSubcommand("import", new ImportCommand(console));
        cli.addSubcommand("stats", new StatsCommand(console));
        cli.addSubcommand("compact", new CompactCommand(console));
        cli.addSubcommand("backup", new BackupCommand(console));
        // Ad-hoc reads and writes.
        cli.addSubcommand("get", new GetCommand(console));
        cli.addSubcommand("put", new PutCommand(console));
        cli.addSubcommand("delete", new DeleteCommand(console));
        cli.addSubcommand("scan", new ScanCommand(console));
        ReplicationCommands.register(cli, console);
        return cli;
    }

    /**
     * The version of the artifact this tool was built as: version.properties is filtered by Maven
     * from the pom's project.version, so a jar and the classes a test runs report the same.
     */
    static final class Version implements CommandLine.IVersionProvider {
        static final String RESOURCE = "version.properties";

        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"walnut " + version()};
        }

        static String version() throws IOException {
            java.util.Properties properties = new java.util.Properties();
            try (java.io.InputStream in = Main.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IOException("missing resource: " + RESOURCE + " (the build filters it into the jar)");
                }
                properties.load(in);
            }
            return properties.getProperty("version");
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** A usage error is one line too; the full usage is one --help away. */
    static int usageError(CommandLine.ParameterException e, PrintStream err) {
        String name = e.getCommandLine().getCommandName();
        String command = name.equals("walnut") ? "walnut" : "walnut " + name;
        err.println(command + ": " + usageMessage(e, name) + " (see: " + command + " --help)");
        err.flush();
        return ExitCode.USAGE;
    }

    /** The exit code that classifies {@code failure}. */
    static int exitCode(Throwable failure) {
        if (failure instanceof CliException c) {
            return c.exitCode();
        } else if (failure instanceof StorageLockedException) {
            return ExitCode.LOCKED;
        } else if (failure instanceof WalCorruptionException) {
            return ExitCode.CORRUPTION;
        } else if (failure instanceof WalDamageException) {
            return ExitCode.TORN_TAIL;
        } else if (failure instanceof IOException) {
            return ExitCode.IO_ERROR;
        }
        return ExitCode.INTERNAL;
    }

    /** The message for stderr; an I/O error or a bug is named by its class too. */
    static String describe(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
        int code = exitCode(failure);
        if (!(failure instanceof CliException) && (code == ExitCode.IO_ERROR || code == ExitCode.INTERNAL)) {
            message = failure.getClass().getSimpleName() + ": " + message;
        }
        return message;
    }

    /**
     * Scripts written when every command took {@code --max-record-bytes} get a reason, not just
     * "unknown option": the option was never needed for reading.
     */
    private static String usageMessage(CommandLine.ParameterException e, String name) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && u.getUnmatched().stream()
                .anyMatch(arg -> arg.equals(RecordLimitOption.NAME) || arg.startsWith(RecordLimitOption.NAME + "="))) {
            return RecordLimitOption.NAME + " is not an option of " + name + ": reading uses each segment's own record"
                    + " limit from its header; the option sets the limit of records written by put, import and compact";
        }
        return e.getMessage();
    }

    /** Maps a failure to its exit code and prints exactly one line naming what and where. */
    static int report(Exception e, CommandLine commandLine, PrintStream err) {
        String prefix = "walnut " + commandLine.getCommandName() + ": ";
        Throwable failure = e instanceof UncheckedIOException u ? u.getCause() : e;
        int code = exitCode(failure);
        String message = describe(failure);
        // One line per failure, even when a library's message carries its own location on a second line;
        // what the message quotes (a path, a field name) cannot break the line or reach the terminal raw.
        err.println(prefix + ByteText.controlsEscaped(String.join(" ", message.strip().lines().map(String::strip)
                .toList())));
        if (code == ExitCode.INTERNAL && System.getenv("WALNUT_DEBUG") != null) {
            failure.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
