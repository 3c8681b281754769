package dev.walnut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction starts by itself when the log outgrows the live data; recovery and compaction emit JFR events. */
class ObservabilityAndAutoCompactionTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void compactionRunsAutomaticallyOnceTheLogIsTheConfiguredMultipleOfLiveData() throws Exception {
        WalnutOptions options = WalnutOptions.builder().segmentBytes(8192).compactionRatio(3).build();
        try (Walnut db = Walnut.open(dir, options)) {
            for (int round = 0; round < 200 && db.stats().compactions() == 0; round++) {
                for (int k = 0; k < 10; k++) {
                    db.put(b("key-" + k), b("value-" + round + "-" + "x".repeat(40)));
                }
                Thread.sleep(1);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (db.stats().compactions() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Stats stats = db.stats();
            assertTrue(stats.compactions() >= 1, stats.toString());
            assertEquals(10, stats.liveKeys());
        }
        try (Walnut db = Walnut.open(dir, options)) {
            assertEquals(10, db.size());
            assertTrue(new String(db.get(b("key-3")), StandardCharsets.UTF_8).startsWith("value-"));
        }
    }

    @Test
    void manySmallSegmentsLeftByRepeatedOpensAreCompactedAutomatically() throws Exception {
        WalnutOptions options = WalnutOptions.builder().build();
        int sessions = 2 * Walnut.SEGMENTS_COMPACTION_TRIGGER;
        // An open adds a segment and a compaction's rotation one more before it retires the rest.
        int maxSegmentsSeen = 0;
        for (int session = 0; session < sessions; session++) {
            try (Walnut db = Walnut.open(dir, options)) {
                db.put(b("k" + session), b("v" + session));
                maxSegmentsSeen = Math.max(maxSegmentsSeen, db.stats().segments());
            } // close waits for a compaction the open started
        }
        assertTrue(maxSegmentsSeen <= Walnut.SEGMENTS_COMPACTION_TRIGGER + 2, "segments=" + maxSegmentsSeen);
        try (Walnut db = Walnut.open(dir, options)) {
            assertTrue(db.stats().segments() <= Walnut.SEGMENTS_COMPACTION_TRIGGER + 2, db.stats().toString());
            assertTrue(java.nio.file.Files.exists(dir.resolve("MANIFEST")), "a compaction must have switched the log");
            assertEquals(sessions, db.size());
            assertArrayEquals(b("v7"), db.get(b("k7")));
        }
    }

    @Test
    void recoveryAndCompactionEmitFlightRecorderEventsWithTheirFigures() throws IOException {
        Path jfr = dir.resolve("events.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.walnut.Recovery");
            recording.enable("dev.walnut.Compaction");
            recording.start();
            Path store = dir.resolve("store");
            try (Walnut db = Walnut.open(store)) {
                db.put(b("a"), b("1"));
                db.put(b("b"), b("2"));
            }
            try (Walnut db = Walnut.open(store)) {
                assertArrayEquals(b("1"), db.get(b("a")));
                db.compact();
            }
            recording.stop();
            recording.dump(jfr);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        List<RecordedEvent> recoveries = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.walnut.Recovery")).toList();
        List<RecordedEvent> compactions = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.walnut.Compaction")).toList();
        assertEquals(2, recoveries.size());
        assertEquals(3L, recoveries.get(1).getLong("records"), "two puts and the first close's seal");
        assertEquals(1, compactions.size());
        assertEquals(2L, compactions.get(0).getLong("entries"));
    }
}
