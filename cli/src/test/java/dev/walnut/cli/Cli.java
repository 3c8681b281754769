package dev.walnut.cli;

import dev.walnut.io.WalStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** Runs the tool through its entry point: arguments and stdin in; stdout, stderr and exit code out. */
final class Cli {

    record Result(int code, byte[] outBytes, String err) {
        String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit=" + code + "\n--- stdout\n" + out() + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        return run(new byte[0], UnaryOperator.identity(), args);
    }

    static Result withStdin(byte[] stdin, String... args) {
        return run(stdin, UnaryOperator.identity(), args);
    }

    static Result run(byte[] stdin, UnaryOperator<WalStorage> readStorage, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(args, new Console(new ByteArrayInputStream(stdin), outStream, errStream, false,
                readStorage));
        outStream.flush();
        errStream.flush();
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
}
