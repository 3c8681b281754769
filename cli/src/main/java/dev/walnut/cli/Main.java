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
@Command(name = "walnut", mixinStandardHelpOptions = true, version = "walnut 0.1.0",
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
        int code = cli.execute(args);
        console.out().flush();
        return code;
    }

    static CommandLine commandLine(Console console) {
        CommandLine cli = new CommandLine(new Main(console));
        cli.addSubcommand("demo", new DemoCommand(console));
        cli.addSubcommand(DemoWriterCommand.NAME, new DemoWriterCommand(console));
        cli.addSubcommand("verify", new VerifyCommand(console));
        cli.addSubcommand("dump-wal", new DumpWalCommand(console));
        cli.addSubcommand("recover", new RecoverCommand(console));
        cli.addSubcommand("export", new ExportCommand(console));
        cli.addSubcommand("import", new ImportCommand(console));
        cli.addSubcommand("stats", new StatsCommand(console));
        cli.addSubcommand("compact", new CompactCommand(console));
        cli.addSubcommand("backup", new BackupCommand(console));
        cli.addSubcommand("get", new GetCommand(console));
        cli.addSubcommand("put", new PutCommand(console));
        cli.addSubcommand("delete", new DeleteCommand(console));
        cli.addSubcommand("scan", new ScanCommand(console));
        ReplicationCommands.register(cli, console);
        return cli;
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
