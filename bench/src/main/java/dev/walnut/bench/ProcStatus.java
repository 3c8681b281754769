package dev.walnut.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory figures of this process from {@code /proc/self/status} (Linux), in KiB; -1 where absent. */
record ProcStatus(long vmHwmKiB, long vmRssKiB, long rssAnonKiB) {

    static ProcStatus read() {
        long hwm = -1;
        long rss = -1;
        long anon = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = kib(line);
                } else if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("RssAnon:")) {
                    anon = kib(line);
                }
            }
        } catch (IOException e) {
            // not Linux: figures stay -1 and the report says so
        }
        return new ProcStatus(hwm, rss, anon);
    }

    private static long kib(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]);
    }
}
