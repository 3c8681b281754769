package dev.walnut.dst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.Cursor;
import dev.walnut.Durability;
import dev.walnut.KeyRange;
import dev.walnut.WalCorruptionException;
import dev.walnut.WalnutOptions;
import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.ForwardingWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Format 3 reads every value from its segment: the store's read path under rot and read errors,
 * and the simulation's read oracle over it, with negative controls that a failure no injected fault
 * explains is a violation.
 */
class ReadPathOracleTest {

    private static final long SEED = 0x4ead_7a7eL;
    private static final int VALUE_BYTES = 300;
    /** Enough 300-byte puts to roll 4 KiB segments a few times. */
    private static final int PUTS = 40;
    /** Where inside the value's bytes the rot strikes: well past the cell's flags and lengths. */
    private static final int ROT_INTO_VALUE_BYTES = 20;

    private static final WalnutOptions OPTIONS = WalnutOptions.builder().segmentBytes(4096).readWindowBytes(4096)
            .maxRecordBytes(64 * 1024).compression(false).seed(SEED).build();

    /** A run whose k0 was written first, so its value sits in a closed segment. */
    private static SimulationRun started(UnaryWrap wrap) {
        SimulationRun run = new SimulationRun(SEED, OPTIONS, false);
        if (wrap != null) {
            run.storeRunsOn(wrap::apply);
        }
        run.start();
        run.put("k0", VALUE_BYTES, Durability.SYNC);
        for (int i = 1; i < PUTS; i++) {
            run.put("k" + (i % 8 + 1), VALUE_BYTES, Durability.SYNC);
        }
        return run;
    }

    private interface UnaryWrap {
        WalStorage apply(WalStorage inner);
    }

    /** The file and offset of the first byte of {@code key}'s value as the model holds it. */
    private static Map.Entry<String, Integer> valueAt(SimulationRun run, String key) {
        byte[] value = run.model().current().get(key).getBytes(StandardCharsets.UTF_8);
        for (String name : run.storage().names()) {
            int at = indexOf(run.storage().bytes(name), value);
            if (at >= 0) {
                return Map.entry(name, at);
            }
        }
        throw new AssertionError("value of " + key + " not found in any file");
    }

    /** Latin-1 maps bytes to chars one to one, so String.indexOf finds a byte sequence. */
    private static int indexOf(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(new String(needle,
                StandardCharsets.ISO_8859_1));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRottedValueIsRefusedNamingItsFileAndOffsetWhileOtherKeysReadExactly() throws IOException {
        SimulationRun run = started(null);
        Map.Entry<String, Integer> at = valueAt(run, "k0");
        SimulatedStorage.Rot rot = run.storage().rot(at.getKey(), at.getValue() + ROT_INTO_VALUE_BYTES, 3);

        WalCorruptionException e = assertThrows(WalCorruptionException.class, () -> run.store().get(bytes("k0")));
        assertEquals(at.getKey(), e.site().file());
        long offset = at.getValue() + ROT_INTO_VALUE_BYTES;
        assertTrue(e.site().offsetBytes() <= offset && offset < e.site().offsetBytes() + e.site().lengthBytes(),
                "the refused cell covers the rot: " + e.site());
        for (Map.Entry<String, String> kv : run.model().current().entrySet()) {
            if (!kv.getKey().equals("k0")) {
                assertArrayEquals(bytes(kv.getValue()), run.store().get(bytes(kv.getKey())), kv.getKey());
            }
        }
        try (Cursor c = run.store().scan(KeyRange.all())) {
            UncheckedIOException failed = assertThrows(UncheckedIOException.class, () -> {
                while (c.hasNext()) {
                    c.next();
                }
            });
            assertInstanceOf(WalCorruptionException.class, failed.getCause());
            assertThrows(IllegalStateException.class, c::hasNext, "a cursor that failed is done");
        }
        run.storage().heal(rot);
        assertArrayEquals(bytes(run.model().current().get("k0")), run.store().get(bytes("k0")));
    }

    @Test
    void theRunsRotActionAcceptsTheRefusalItCausedAndHealsTheStore() {
        SimulationRun run = started(null);
        Map.Entry<String, Integer> at = valueAt(run, "k0");
        run.rot(at.getKey(), at.getValue() + ROT_INTO_VALUE_BYTES, 5);
        assertTrue(run.steps().stream().anyMatch(s -> s.startsWith("get(k0) failed as a fault explains: rot(")),
                String.join("\n", run.steps()));
        run.readAll();
        assertTrue(run.steps().get(run.steps().size() - 1).equals("read all"), "the healed store reads clean");
    }

    @Test
    void anInjectedReadErrorFailsOneGetAndTheStoreReadsOn() {
        SimulationRun run = started(null);
        run.faults().arm(FaultKind.READ_ERROR, 0);
        run.readAll();
        assertTrue(run.steps().stream().anyMatch(s -> s.contains("failed as a fault explains: the injected read"
                + " failed (READ_ERROR")), String.join("\n", run.steps()));
        assertEquals(1, run.faults().injected(FaultKind.READ_ERROR));
        run.readAll();
    }

    /** Negative control: a disk that flips a bit the simulator never injected is caught, not excused. */
    @Test
    void corruptionNoInjectedRotExplainsIsAViolation() {
        boolean[] lying = {false};
        SimulationRun run = started(inner -> new ReadTamperingStorage(inner, (file, target, start) -> {
            if (lying[0] && target.position() > start) {
                target.put(start, (byte) (target.get(start) ^ 0x40));
            }
        }));
        lying[0] = true;
        Violation v = assertThrows(Violation.class, run::readAll);
        assertEquals("read-corruption-without-rot", v.kind(), v.getMessage());
    }

    /** Negative control: an I/O error no READ_ERROR fault caused is a violation. */
    @Test
    void aReadErrorNoFaultExplainsIsAViolation() {
        boolean[] failing = {false};
        SimulationRun run = started(inner -> new ReadTamperingStorage(inner, (file, target, start) -> {
            if (failing[0]) {
                throw new IOException("EIO from nowhere (file=" + file + ")");
            }
        }));
        failing[0] = true;
        Violation v = assertThrows(Violation.class, run::readAll);
        assertEquals("read-error-without-fault", v.kind(), v.getMessage());
    }

    @Test
    void aHandleOfADeletedFileKeepsReadingItsBytes() throws IOException {
        SimulatedStorage storage = new SimulatedStorage("deleted-handle", SEED);
        byte[] data = bytes("values outlive the name");
        try (WalFile f = storage.create("f")) {
            f.append(ByteBuffer.wrap(data));
            f.sync();
        }
        WalFile reader = storage.open("f");
        storage.delete("f");
        storage.syncDirectory();
        ByteBuffer got = ByteBuffer.allocate(data.length);
        reader.readFully(0, got);
        assertArrayEquals(data, got.array(), "POSIX keeps an unlinked file's bytes while a handle is open");
        reader.close();
    }

    /** Passes reads through, then lets {@link Tamper} change what they returned or fail them. */
    private static final class ReadTamperingStorage extends ForwardingWalStorage {
        interface Tamper {
            void after(String file, ByteBuffer target, int start) throws IOException;
        }

        private final Tamper tamper;

        ReadTamperingStorage(WalStorage inner, Tamper tamper) {
            super(inner);
            this.tamper = tamper;
        }

        @Override
        protected WalFile wrap(String name, WalFile file) {
            return new ForwardingWalFile(file) {
                @Override
                public int read(long offsetBytes, ByteBuffer target) throws IOException {
                    int start = target.position();
                    int n = super.read(offsetBytes, target);
                    tamper.after(name, target, start);
                    return n;
                }
            };
        }
    }
}
