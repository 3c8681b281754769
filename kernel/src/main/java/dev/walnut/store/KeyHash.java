package dev.walnut.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The index's hash of a key, keyed by a per-store seed. A fixed hash (such as {@code 31 * h + b})
 * lets anyone who picks keys pick collisions: every concatenation of {@code "Aa"} and {@code "BB"}
 * hashes alike, and with linear probing one bucket makes open and every get quadratic. Here each
 * 8-byte little-endian word is folded into the state by a full 64x64-bit multiply with a
 * seed-derived multiplier (low half xor high half), so which keys collide depends on the seed, and
 * the result is finished by an xorshift-multiply mixer so the low bits that pick a slot depend on
 * every input bit. Not a cryptographic MAC; it only has to keep collisions unpredictable.
 */
final class KeyHash {

    /** 2^64 / phi, odd. The constants are fractional bits of irrationals: nothing up the sleeve. */
    private static final long PHI = 0x9E3779B97F4A7C15L;
    /** Fractional bits of sqrt(2), sqrt(3), sqrt(5) (odd). */
    private static final long ROOT2 = 0x6A09E667F3BCC909L;
    private static final long ROOT3 = 0xBB67AE8584CAA73BL;
    private static final long ROOT5 = 0x3C6EF372FE94F82BL;
    private static final int WORD_BYTES = Long.BYTES;
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long start;
    /** Odd multipliers: the low half of the product is then a bijection of the state. */
    private final long wordMultiplier;
    private final long tailMultiplier;

    KeyHash(long seed) {
        this.start = finish(seed ^ ROOT2);
        this.wordMultiplier = finish(seed + PHI) | 1;
        this.tailMultiplier = finish(wordMultiplier ^ ROOT5) | 1;
    }

    /** The hash of {@code key[from, from + length)}. */
    int hash(byte[] key, int from, int length) {
        long f = hash64(key, from, length);
        return (int) (f ^ (f >>> 32));
    }

    /** 64 bits of hash: the low bits pick a slot, the high ones make the tag a slot keeps ({@link Slots}). */
    long hash64(byte[] key, int from, int length) {
        long h = start ^ (length * PHI);
        int at = from;
        int end = from + length;
        for (; end - at >= WORD_BYTES; at += WORD_BYTES) {
            h = fold(h ^ (long) WORD.get(key, at), wordMultiplier);
        }
        long tail = 0;
        for (int shift = 0; at < end; at++, shift += Byte.SIZE) {
            tail |= (key[at] & 0xFFL) << shift;
        }
        return finish(fold(h ^ tail, tailMultiplier));
    }

    int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    long hash64(byte[] key) {
        return hash64(key, 0, key.length);
    }

    /** Both halves of the 128-bit product, so high input bits reach the low output bits at once. */
    private static long fold(long x, long multiplier) {
        return x * multiplier ^ Math.multiplyHigh(x, multiplier);
    }

    /** Xorshift-multiply finisher: every input bit reaches every output bit. */
    private static long finish(long x) {
        x ^= x >>> 32;
        x *= ROOT3;
        x ^= x >>> 29;
        x *= ROOT5;
        x ^= x >>> 32;
        return x;
    }
}
