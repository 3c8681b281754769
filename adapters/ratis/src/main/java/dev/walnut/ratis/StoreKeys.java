package dev.walnut.ratis;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * The replicated store's key space. Every user key is stored behind {@link #USER}, and the state
 * machine's own records (the last applied term and index) behind {@link #META}: two namespaces,
 * so no user key, whatever its bytes, can collide with a reserved one. The price is one byte per
 * key, which is why user keys may be at most {@code KEY_BYTES_MAX - 1} bytes long here. (The other
 * choice, reserving a prefix and rejecting user keys that start with it, would take keys away
 * from users of binary keys.)
 */
final class StoreKeys {

    static final byte META = 0x00;
    static final byte USER = 0x01;
    /** The raw key of the last applied entry: its value is term:u64 index:u64. */
    static final byte[] APPLIED_KEY = {META, 'a', 'p', 'p', 'l', 'i', 'e', 'd'};
    static final int APPLIED_VALUE_BYTES = 16;
    /** The kernel's key limit (RecordFormat.KEY_BYTES_MAX, 64 KiB) less the namespace byte. */
    static final int USER_KEY_BYTES_MAX = dev.walnut.WalnutOptions.KEY_BYTES_MAX - 1;

    private StoreKeys() {
    }

    static byte[] user(byte[] key) {
        checkUserKey(key);
        byte[] raw = new byte[key.length + 1];
        raw[0] = USER;
        System.arraycopy(key, 0, raw, 1, key.length);
        return raw;
    }

    static void checkUserKey(byte[] key) {
        if (key == null || key.length == 0 || key.length > USER_KEY_BYTES_MAX) {
            throw new IllegalArgumentException("user key length out of range: actual="
                    + (key == null ? "null" : key.length) + " allowed=[1, " + USER_KEY_BYTES_MAX + "]");
        }
    }

    /** The user key of a raw key in the user namespace. */
    static byte[] strip(byte[] raw) {
        assert raw.length > 1 && raw[0] == USER : "not a user key";
        return Arrays.copyOfRange(raw, 1, raw.length);
    }

    /** The raw end of the user namespace: every user key sorts before it. */
    static byte[] userEnd() {
        return new byte[] {USER + 1};
    }

    static byte[] encodeApplied(TermIndex ti) {
        return ByteBuffer.allocate(APPLIED_VALUE_BYTES).putLong(ti.getTerm()).putLong(ti.getIndex()).array();
    }

    /** Bytes read back from the store: checked, never trusted. */
    static TermIndex decodeApplied(byte[] value) {
        if (value.length != APPLIED_VALUE_BYTES) {
            throw new IllegalStateException("applied index record has the wrong size: expected="
                    + APPLIED_VALUE_BYTES + " actual=" + value.length);
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        long term = b.getLong();
        long index = b.getLong();
        if (term < 0 || index < 0) {
            throw new IllegalStateException("applied index record out of range: term=" + term + " index=" + index);
        }
        return TermIndex.valueOf(term, index);
    }
}
