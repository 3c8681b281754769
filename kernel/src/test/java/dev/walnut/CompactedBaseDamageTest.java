package dev.walnut;

import static dev.walnut.LogFixture.key;
import static dev.walnut.LogFixture.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.format.Manifest;
import dev.walnut.format.RecordFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to the compacted base or to what the MANIFEST promises: always corruption (the base was
 * synced whole before the manifest named it), never an unclassified exception, under every policy.
 */
class CompactedBaseDamageTest {

    static final int BEFORE_COMPACTION = 50;
    static final int AFTER_COMPACTION = 20;

    @TempDir
    Path root;

    private static WalnutOptions options(RecoveryPolicy policy) {
        return LogFixture.small(policy).toBuilder().compactionRatio(0).build();
    }

    /** A store with a base of records 0..49 and records 50..69 in the live segment after it. */
    private Path compactedStore() throws IOException {
        return compactedStore(AFTER_COMPACTION, options(RecoveryPolicy.TOLERATE_TORN_TAIL));
    }

    private Path compactedStore(int putsAfterCompaction, WalnutOptions writer) throws IOException {
        Path dir = root.resolve("store");
        try (Walnut db = Walnut.open(dir, writer)) {
            for (int i = 0; i < BEFORE_COMPACTION; i++) {
                db.put(key(i), value(i));
            }
            db.compact();
            for (int i = BEFORE_COMPACTION; i < BEFORE_COMPACTION + putsAfterCompaction; i++) {
                db.put(key(i), value(i));
            }
        }
        return dir;
    }

    private static String baseName(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("base-") && n.endsWith(".log")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no base in " + dir));
        }
    }

    @Test
    void pointInTimeOpenOfAStoreWithAOneByteBaseFailsAsCorruptionNamingTheBase() throws IOException {
        Path dir = compactedStore();
        String base = baseName(dir);
        LogFixture.truncate(dir.resolve(base), 1);
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, options(RecoveryPolicy.POINT_IN_TIME)).close());
        assertEquals(base, e.file(), e.getMessage());
        assertEquals(DamageAction.FAILED, e.site().action());
        assertTrue(e.getMessage().contains("no point in time"), e.getMessage());
    }

    @Test
    void pointInTimeOpenOfAStoreWithACorruptBaseRecordFailsAsCorruptionAtItsOffset() throws IOException {
        Path dir = compactedStore();
        String base = baseName(dir);
        List<LogFixture.RecordAt> records = LogFixture.records(dir.resolve(base));
        LogFixture.RecordAt damaged = records.get(records.size() / 2);
        LogFixture.flipBit(dir.resolve(base), damaged.offsetBytes() + 20, 3);
        byte[] before = Files.readAllBytes(dir.resolve(base));
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, options(RecoveryPolicy.POINT_IN_TIME)).close());
        assertEquals(base, e.file(), e.getMessage());
        assertEquals(damaged.offsetBytes(), e.offsetBytes(), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(base)), "a failed open changes no file");
    }

    @Test
    void missingBaseNamedByTheManifestIsCorruptionUnderEveryPolicyButSalvage() throws IOException {
        Path dir = compactedStore();
        String base = baseName(dir);
        Files.delete(dir.resolve(base));
        for (RecoveryPolicy policy : List.of(RecoveryPolicy.STRICT, RecoveryPolicy.TOLERATE_TORN_TAIL,
                RecoveryPolicy.POINT_IN_TIME)) {
            WalCorruptionException e = assertThrows(WalCorruptionException.class,
                    () -> Walnut.open(dir, options(policy)).close(), policy.name());
            assertEquals(base, e.file(), e.getMessage());
            assertTrue(e.getMessage().contains("MANIFEST declares baseNumber="), e.getMessage());
        }
    }

    @Test
    void salvageReportsAMissingBaseAndKeepsEveryRecordOfTheLiveSegments() throws IOException {
        Path dir = compactedStore();
        String base = baseName(dir);
        Files.delete(dir.resolve(base));
        try (Walnut db = Walnut.open(dir, options(RecoveryPolicy.SALVAGE))) {
            RecoveryReport report = db.recoveryReport();
            DamageSite site = report.damage().get(0);
            assertEquals(base, site.file(), report.describe());
            assertEquals(DamageKind.CORRUPTION, site.kind());
            assertEquals(DamageAction.SKIPPED, site.action());
            assertTrue(site.evidence().contains(Manifest.NAME), site.evidence());
            assertEquals(AFTER_COMPACTION, db.size(), report.describe());
            for (int i = BEFORE_COMPACTION; i < BEFORE_COMPACTION + AFTER_COMPACTION; i++) {
                assertArrayEquals(value(i), db.get(key(i)), "record " + i);
            }
        }
    }

    private static String liveSegmentName(Path dir) throws IOException {
        List<Path> segments = LogFixture.segments(dir);
        assertEquals(1, segments.size(), "a compacted store keeps only its first live segment: " + segments);
        return segments.get(0).getFileName().toString();
    }

    @Test
    void missingFirstLiveSegmentIsCorruptionAndSalvageKeepsTheBaseAndLaterWrites() throws IOException {
        Path dir = compactedStore();
        String live = liveSegmentName(dir);
        Files.delete(dir.resolve(live));
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, options(RecoveryPolicy.TOLERATE_TORN_TAIL)).close());
        assertEquals(live, e.file(), e.getMessage());
        assertTrue(e.getMessage().contains("firstLiveSegment="), e.getMessage());
        try (Walnut db = Walnut.open(dir, options(RecoveryPolicy.SALVAGE))) {
            assertEquals(live, db.recoveryReport().damage().get(0).file(), db.recoveryReport().describe());
            assertEquals(BEFORE_COMPACTION, db.size(), db.recoveryReport().describe());
            db.put(key(9999), value(9999));
        }
        try (Walnut db = Walnut.open(dir, options(RecoveryPolicy.SALVAGE))) {
            assertArrayEquals(value(9999), db.get(key(9999)), db.recoveryReport().describe());
            assertEquals(BEFORE_COMPACTION + 1, db.size());
        }
    }

    @Test
    void pointInTimeOpensTheBaseWhenTheFirstLiveSegmentIsMissingAndTheNextOpenAcceptsTheCut() throws IOException {
        WalnutOptions smallSegments = options(RecoveryPolicy.TOLERATE_TORN_TAIL).toBuilder().segmentBytes(4096).build();
        Path dir = compactedStore(200, smallSegments);
        List<Path> segments = LogFixture.segments(dir);
        assertTrue(segments.size() >= 3, "needs segments after the first live one: " + segments);
        Files.delete(segments.get(0));
        try (Walnut db = Walnut.open(dir, smallSegments.toBuilder().recoveryPolicy(RecoveryPolicy.POINT_IN_TIME).build())) {
            RecoveryReport report = db.recoveryReport();
            assertEquals(DamageAction.CUT, report.damage().get(0).action(), report.describe());
            assertEquals(segments.get(0).getFileName().toString(), report.damage().get(0).file());
            assertEquals(BEFORE_COMPACTION, db.size(), report.describe());
            db.put(key(9999), value(9999));
        }
        for (Path later : segments.subList(1, segments.size())) {
            assertTrue(Files.exists(Path.of(later + ".quarantined")), later + " must be quarantined");
        }
        try (Walnut db = Walnut.open(dir, smallSegments)) {
            RecoveryReport report = db.recoveryReport();
            assertEquals(DamageAction.DROPPED_EARLIER, report.damage().get(0).action(), report.describe());
            assertArrayEquals(value(9999), db.get(key(9999)), report.describe());
            assertEquals(BEFORE_COMPACTION + 1, db.size());
        }
    }

    @Test
    void manifestNamingASegmentNumberNoFileNameCanHoldIsCorruptionOfTheManifest() throws IOException {
        Path dir = compactedStore();
        Manifest m = readManifest(dir);
        Files.write(dir.resolve(Manifest.NAME), new Manifest(m.baseNumber(), m.baseSequence(),
                RecordFormat.SEGMENT_NUMBER_MAX + 1).encode().array());
        WalCorruptionException e = assertThrows(WalCorruptionException.class,
                () -> Walnut.open(dir, options(RecoveryPolicy.POINT_IN_TIME)).close());
        assertEquals(Manifest.NAME, e.file(), e.getMessage());
        assertTrue(e.getMessage().contains("firstLiveSegment=" + (RecordFormat.SEGMENT_NUMBER_MAX + 1)), e.getMessage());
    }

    private static Manifest readManifest(Path dir) throws IOException {
        return Manifest.decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(dir.resolve(Manifest.NAME))));
    }
}
