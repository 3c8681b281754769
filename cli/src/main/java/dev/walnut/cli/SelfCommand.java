package dev.walnut.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shell command that runs this very tool with other arguments, for tips that must run as
 * printed: {@code java -jar /absolute/walnut.jar ARGS} from the jar, or {@code java -cp CLASSPATH
 * dev.walnut.cli.Main ARGS} from classes. {@code java} is named by its absolute path unless the
 * {@code java} on PATH is the running one, so the tip never picks another JDK.
 */
final class SelfCommand {

    /** Words a POSIX shell passes through unchanged; anything else is single-quoted. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private SelfCommand() {
    }

    static String of(String... args) {
        List<String> words = new ArrayList<>();
        words.add(javaCommand());
        Path jar = runningJar();
        if (jar != null) {
            words.add("-jar");
            words.add(jar.toString());
        } else {
            words.add("-cp");
            words.add(System.getProperty("java.class.path"));
            words.add(Main.class.getName());
        }
        words.addAll(List.of(args));
        return String.join(" ", words.stream().map(SelfCommand::quoted).toList());
    }

    static String quoted(String word) {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /** The jar this class was loaded from, or null when it runs from a classes directory. */
    private static Path runningJar() {
        try {
            Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? location.toAbsolutePath() : null;
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }

    private static String javaCommand() {
        Path running = Path.of(System.getProperty("java.home"), "bin", "java");
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(Pattern.quote(File.pathSeparator))) {
                Path candidate = Path.of(entry.isEmpty() ? "." : entry, "java");
                if (Files.isExecutable(candidate)) {
                    return sameFile(candidate, running) ? "java" : running.toString();
                }
            }
        }
        return running.toString();
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
