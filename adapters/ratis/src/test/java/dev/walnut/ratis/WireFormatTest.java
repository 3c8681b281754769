package dev.walnut.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.WriteBatch;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Entries come from the network and from the Raft log on disk: every malformed one is refused. */
class WireFormatTest {

    static final long SEED = 11;

    @Test
    void writeEntryRoundTripsPutsAndDeletesInOrder() {
        WriteBatch batch = new WriteBatch().put(new byte[] {1}, new byte[] {2, 3}).delete(new byte[] {4});
        List<WireFormat.Op> ops = WireFormat.decodeWrite(ByteBuffer.wrap(WireFormat.encodeWrite(batch)));
        assertEquals(2, ops.size());
        assertTrue(ops.get(0).put());
        assertArrayEquals(new byte[] {2, 3}, ops.get(0).value());
        assertEquals(false, ops.get(1).put());
        assertArrayEquals(new byte[] {4}, ops.get(1).key());
    }

    @Test
    void everyTruncationOfAnEntryIsRefused() {
        byte[] entry = WireFormat.encodeWrite(new WriteBatch().put(new byte[] {1, 2}, new byte[] {3, 4, 5}));
        for (int length = 0; length < entry.length; length++) {
            byte[] cut = Arrays.copyOf(entry, length);
            assertThrows(IllegalArgumentException.class, () -> WireFormat.decodeWrite(ByteBuffer.wrap(cut)),
                    "length=" + length);
        }
    }

    @Test
    void lengthsPastTheEndAndHugeCountsAreRefusedBeforeAllocating() {
        byte[] hugeCount = new WireFormat.Out().u8(WireFormat.WRITE).u8(WireFormat.VERSION).u32(Integer.MAX_VALUE)
                .toByteArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WireFormat.decodeWrite(ByteBuffer.wrap(hugeCount)));
        assertTrue(e.getMessage().contains("op count out of range"), e.getMessage());
        byte[] longKey = new WireFormat.Out().u8(WireFormat.WRITE).u8(WireFormat.VERSION).u32(1)
                .u8(WireFormat.OP_DELETE).u32(Integer.MAX_VALUE).toByteArray();
        e = assertThrows(IllegalArgumentException.class, () -> WireFormat.decodeWrite(ByteBuffer.wrap(longKey)));
        assertTrue(e.getMessage().contains("key length past end"), e.getMessage());
    }

    @Test
    void randomBytesAreRefusedOrDecodedNeverThrowingAnythingElse() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[random.nextInt(40)];
            random.nextBytes(junk);
            if (junk.length > 1 && random.nextBoolean()) {
                junk[0] = WireFormat.WRITE;
                junk[1] = WireFormat.VERSION;
            }
            try {
                WireFormat.decodeWrite(ByteBuffer.wrap(junk));
            } catch (IllegalArgumentException refused) {
                // The only allowed failure.
            }
        }
    }

    @Test
    void userKeysCannotReachTheReservedNamespace() {
        byte[] raw = StoreKeys.user(StoreKeys.APPLIED_KEY);
        assertEquals(StoreKeys.USER, raw[0]);
        assertTrue(Arrays.compareUnsigned(raw, StoreKeys.APPLIED_KEY) > 0);
        assertThrows(IllegalArgumentException.class, () -> StoreKeys.user(new byte[StoreKeys.USER_KEY_BYTES_MAX + 1]));
        assertThrows(IllegalArgumentException.class, () -> StoreKeys.user(new byte[0]));
    }
}
