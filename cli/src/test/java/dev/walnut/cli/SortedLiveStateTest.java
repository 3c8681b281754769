package dev.walnut.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SortedLiveStateTest {

    static final long SEED = 0xC0FFEEL;

    @TempDir
    Path tmp;

    @Test
    void externalSortMatchesAnInMemoryModelAcrossMoreRunsThanOneMergeTakes() throws IOException {
        SplittableRandom random = new SplittableRandom(SEED);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        List<byte[]> emittedKeys = new ArrayList<>();
        List<byte[]> emittedValues = new ArrayList<>();
        // A budget of a few entries forces hundreds of runs: several intermediate merge passes.
        try (SortedLiveState state = new SortedLiveState(KeyFilter.ALL, tmp, 2048)) {
            for (int i = 0; i < 8_000; i++) {
                byte[] key = {(byte) random.nextInt(40), (byte) random.nextInt(40)};
                if (random.nextInt(5) == 0) {
                    state.delete(key);
                    model.remove(key);
                } else {
                    byte[] value = new byte[random.nextInt(20)];
                    random.nextBytes(value);
                    state.put(key, value);
                    model.put(key, value);
                }
            }
            assertTrue(state.runCount() > RunMerger.FAN_IN, "runs=" + state.runCount());
            state.emit((k, v) -> {
                emittedKeys.add(k);
                emittedValues.add(v);
            });
        }
        assertEquals(model.size(), emittedKeys.size());
        int i = 0;
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            assertArrayEquals(e.getKey(), emittedKeys.get(i));
            assertArrayEquals(e.getValue(), emittedValues.get(i));
            i++;
        }
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "every run and the private directory are deleted on close");
        }
    }

    @Test
    void filterKeepsOnlyPrefixedKeysAfterTheResumeKey() throws IOException {
        List<String> emitted = new ArrayList<>();
        KeyFilter filter = new KeyFilter(Stores.utf8("b"), Stores.utf8("b2"), null, null);
        try (SortedLiveState state = new SortedLiveState(filter, tmp)) {
            for (String k : List.of("a1", "b1", "b2", "b3", "b4", "c1")) {
                state.put(Stores.utf8(k), Stores.utf8(k));
            }
            state.delete(Stores.utf8("b4"));
            state.emit((k, v) -> emitted.add(new String(k, java.nio.charset.StandardCharsets.UTF_8)));
        }
        assertEquals(List.of("b3"), emitted);
    }
}
