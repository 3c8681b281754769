package dev.walnut.bench;

import java.util.List;

/**
 * The sizes of one run. {@code short} is the documented one-command profile (under 15 minutes on
 * the 2-core reference machine); {@code long} adds 2 GiB logs and more peers data; {@code smoke}
 * is the tiny CI iteration.
 */
enum Profile {
    SMOKE(List.of("100"), List.of("4"), 0, 1, 0,
            List.of(new PeerHarness.Scenario("unique-5k", 5_000, 5_000, 100, 1)), 200, true),
    SHORT(List.of("100", "4096", "65536"), List.of("64", "512"), 1, 3, 1,
            List.of(new PeerHarness.Scenario("unique-1M", 1_000_000, 1_000_000, 100, 1),
                    new PeerHarness.Scenario("overwrite-2M", 2_000_000, 1_000_000, 100, 1)), 10_000, false),
    LONG(List.of("100", "4096", "65536"), List.of("64", "512", "2048"), 1, 5, 1,
            List.of(new PeerHarness.Scenario("unique-1M", 1_000_000, 1_000_000, 100, 1),
                    new PeerHarness.Scenario("overwrite-3M", 3_000_000, 1_000_000, 100, 1),
                    new PeerHarness.Scenario("unique-4M", 4_000_000, 4_000_000, 100, 1)), 10_000, false);

    final List<String> recordBytes;
    final List<String> logMiB;
    final int warmupIterations;
    final int measurementIterations;
    final int forks;
    final List<PeerHarness.Scenario> peerScenarios;
    final int verifySample;
    final boolean tiny;

    /** Single shots per benchmark on logs above 64 MiB (no warmup shot). */
    int bigLogIterations() {
        return tiny ? 1 : 2;
    }

    /** Threads for the SYNC put runs (group commit). */
    List<Integer> syncThreads() {
        return tiny ? List.of(4) : List.of(1, 4, 16, 64);
    }

    List<String> valueBytes() {
        return tiny ? List.of("100") : List.of("100", "4096");
    }

    /** Keys in the read benchmarks' store. */
    long readKeys() {
        return tiny ? 5_000 : 1_000_000;
    }

    /** Entries loaded to measure heap per entry. */
    long heapEntries() {
        return tiny ? 5_000 : 1_000_000;
    }

    /** Seconds per write/read iteration. */
    int iterationSeconds() {
        return 1;
    }

    Profile(List<String> recordBytes, List<String> logMiB, int warmupIterations, int measurementIterations,
            int forks, List<PeerHarness.Scenario> peerScenarios, int verifySample, boolean tiny) {
        this.recordBytes = recordBytes;
        this.logMiB = logMiB;
        this.warmupIterations = warmupIterations;
        this.measurementIterations = measurementIterations;
        this.forks = forks;
        this.peerScenarios = peerScenarios;
        this.verifySample = verifySample;
        this.tiny = tiny;
    }
}
