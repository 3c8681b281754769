package dev.walnut.dst.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.walnut.format.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzz targets for open, under every recovery policy, with {@link OpenOracle} as
 * the oracle. Without JAZZER_FUZZ they replay the committed corpus in
 * {@code src/test/resources/dev/walnut/dst/fuzz/OpenFuzzTestInputs/<method>/} (README, "Fuzzing").
 */
class OpenFuzzTest {

    /** Fuzzing stops after this long unless libFuzzer's -max_total_time is given (README). */
    static final String FUZZ_DURATION = "5m";

    @BeforeAll
    static void boundsCoverTheCodec() {
        OpenOracle.checkScratchBound();
    }

    /** (a) A directory composed from raw bytes: segments, bases, a manifest, leftovers. */
    @FuzzTest(maxDuration = FUZZ_DURATION)
    void rawFiles(byte[] input) {
        OpenOracle.check(StoreImage.decode(input));
    }

    /** (b) The files of a real store, crashed (first input byte even) or closed, then damaged. */
    @FuzzTest(maxDuration = FUZZ_DURATION)
    void mutatedStore(byte[] input) {
        Map<String, byte[]> store = input.length > 0 && (input[0] & 1) == 1 ? RealStores.CLOSED_LOG
                : RealStores.CRASHED_LOG;
        List<String> targets = List.copyOf(store.keySet());
        OpenOracle.check(Mutator.apply(store, targets, input, 1));
    }

    /** (c) A real compacted store whose MANIFEST and base are damaged; its live segments stay whole. */
    @FuzzTest(maxDuration = FUZZ_DURATION)
    void mutatedManifestAndBase(byte[] input) {
        Map<String, byte[]> store = RealStores.COMPACTED;
        List<String> targets = store.keySet().stream()
                .filter(n -> n.equals(Manifest.NAME) || n.startsWith("base-")).toList();
        OpenOracle.check(Mutator.apply(store, targets, input, 0));
    }
}
