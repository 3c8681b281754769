package dev.walnut.store;

import dev.walnut.format.ValueCell;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Append-only storage of index entries (a key and where its value is) in large {@code byte[]} slabs, addressed by a
 * {@code long} reference (slab index and offset). An entry larger than a slab gets a slab of its
 * own. Slabs are large enough to be allocated outside the young generation by G1 (humongous), so
 * they are never copied by a young collection.
 */
final class Slabs {

    /**
     * Entry = keyLength - 1 u16 (keys are 1..65,536 bytes) | valueLength u32 | key | the value
     * itself when it is at most {@link #INLINE_BYTES_MAX} bytes, else its cell's location u64, and
     * the cell's length u32 only when the value is compressed (an uncompressed cell's length follows
     * from the value's: {@link ValueCell#plainCellBytes}). A 16-byte key with a located,
     * uncompressed value takes 30 bytes. Bit 30 of valueLength marks a compressed cell, bit 31 an
     * entry superseded while the index is built.
     */
    static final int ENTRY_HEADER_BYTES = 6;
    /** A locator's bytes: a value no longer than this is kept in the entry instead. */
    static final int INLINE_BYTES_MAX = 12;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** 8 MiB less the array header: whole regions of 1, 2, 4 or 8 MiB, nothing wasted. */
    static final int SLAB_BYTES = 8 * 1024 * 1024 - 16;
    /** The first slab; each next one doubles up to {@link #SLAB_BYTES}, so a small store stays small. */
    static final int SLAB_BYTES_FIRST = 64 * 1024 - 16;
    /** A reference is slabIndex << OFFSET_BITS | offset: offsets stay below a slab's 8 MiB. */
    private static final int OFFSET_BITS = 23;
    /** References fit {@link #REF_BITS} bits, so a table slot has room for a hash tag beside one. */
    static final int REF_BITS = 40;
    private static final int SLABS_MAX = 1 << (REF_BITS - OFFSET_BITS);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[][] slabs = new byte[4][];
    private int count;
    private int used;
    /** Capacity of the current shared slab; 0 before the first. */
    private int capacity;
    private long bytes;

    /** Whether a value of {@code valueLength} bytes is held in its entry rather than located on disk. */
    static boolean inline(int valueLength) {
        return valueLength <= INLINE_BYTES_MAX;
    }

    /**
     * Appends an entry and returns its reference: {@code inlineValue} when the value is short
     * ({@link #inline}), else the location and length of its cell.
     */
    long append(byte[] key, int valueLength, byte[] inlineValue, long location, int cellBytes) {
        if (valueLength < 0 || valueLength > VALUE_LENGTH_MASK) {
            throw new IllegalArgumentException("value length out of range: valueLength=" + valueLength);
        }
        boolean inline = inline(valueLength);
        boolean packed = !inline && cellBytes != ValueCell.plainCellBytes(valueLength);
        int entryBytes = ENTRY_HEADER_BYTES + key.length + (inline ? valueLength : packed ? 12 : 8);
        byte[] slab = slabFor(entryBytes);
        boolean own = entryBytes > SLAB_BYTES;
        int at = own ? 0 : used;
        SHORT.set(slab, at, (short) (key.length - 1));
        INT.set(slab, at + 2, valueLength | (packed ? COMPRESSED : 0));
        System.arraycopy(key, 0, slab, at + ENTRY_HEADER_BYTES, key.length);
        int payload = at + ENTRY_HEADER_BYTES + key.length;
        if (inline) {
            System.arraycopy(inlineValue, 0, slab, payload, valueLength);
        } else {
            LONG.set(slab, payload, location);
            if (packed) {
                INT.set(slab, payload + 8, cellBytes);
            }
        }
        if (!own) {
            used += entryBytes;
        }
        bytes += entryBytes;
        return ((long) (count - 1) << OFFSET_BITS) | at;
    }

    /** The slab shared entries go into; -1 before the first. */
    private int shared = -1;

    /**
     * Gives back the unused end of the current shared slab (up to 8 MiB) once no entry will be
     * appended any more: references stay valid, the slab is copied to its used length.
     */
    void trim() {
        if (shared >= 0 && used < slabs[shared].length) {
            slabs[shared] = Arrays.copyOf(slabs[shared], used);
            capacity = used;
        }
    }

    private byte[] slabFor(int entryBytes) {
        if (entryBytes > SLAB_BYTES) {
            byte[] own = new byte[entryBytes];
            add(own);
            // The current shared slab is now not the last one: start a fresh one next time.
            used = capacity;
            return own;
        }
        if (capacity == 0 || used + entryBytes > capacity) {
            int next = capacity == 0 ? SLAB_BYTES_FIRST : Math.min(SLAB_BYTES, 2 * capacity + 16);
            capacity = Math.max(next, entryBytes);
            add(new byte[capacity]);
            shared = count - 1;
            used = 0;
        }
        return slabs[shared];
    }

    private void add(byte[] slab) {
        if (count == SLABS_MAX) {
            // 128 Ki slabs of 8 MiB: a terabyte of keys and locations, far past any heap.
            throw new IllegalStateException("index slabs exhausted: slabs=" + SLABS_MAX);
        }
        if (count == slabs.length) {
            slabs = Arrays.copyOf(slabs, count * 2);
        }
        slabs[count++] = slab;
    }

    private byte[] slab(long ref) {
        return slabs[(int) (ref >>> OFFSET_BITS)];
    }

    private static int offset(long ref) {
        return (int) (ref & ((1 << OFFSET_BITS) - 1));
    }

    int keyLength(long ref) {
        return ((short) SHORT.get(slab(ref), offset(ref)) & 0xFFFF) + 1;
    }

    int valueLength(long ref) {
        return (int) INT.get(slab(ref), offset(ref) + 2) & VALUE_LENGTH_MASK;
    }

    /**
     * Marks an entry as superseded (overwritten or deleted) while the index is built, in a bit of its
     * value length no length uses (values are shorter than a record, at most a GiB).
     */
    void markDead(long ref) {
        byte[] slab = slab(ref);
        int at = offset(ref) + 2;
        INT.set(slab, at, (int) INT.get(slab, at) | DEAD);
    }

    boolean isDead(long ref) {
        return ((int) INT.get(slab(ref), offset(ref) + 2) & DEAD) != 0;
    }

    private static final int DEAD = 1 << 31;
    private static final int COMPRESSED = 1 << 30;
    private static final int VALUE_LENGTH_MASK = COMPRESSED - 1;

    /** The key's hash, without copying the key. */
    long hash(KeyHash keyHash, long ref) {
        return keyHash.hash64(slab(ref), offset(ref) + ENTRY_HEADER_BYTES, keyLength(ref));
    }

    byte[] key(long ref) {
        int at = offset(ref) + ENTRY_HEADER_BYTES;
        return Arrays.copyOfRange(slab(ref), at, at + keyLength(ref));
    }

    /** A copy of an inline value (only for entries whose value is {@link #inline}). */
    byte[] inlineValue(long ref) {
        int at = offset(ref) + ENTRY_HEADER_BYTES + keyLength(ref);
        return Arrays.copyOfRange(slab(ref), at, at + valueLength(ref));
    }

    /** The location of a located value's cell. */
    long location(long ref) {
        return (long) LONG.get(slab(ref), offset(ref) + ENTRY_HEADER_BYTES + keyLength(ref));
    }

    /** The length of a located value's cell. */
    int cellBytes(long ref) {
        int field = (int) INT.get(slab(ref), offset(ref) + 2);
        if ((field & COMPRESSED) == 0) {
            return ValueCell.plainCellBytes(field & VALUE_LENGTH_MASK);
        }
        return (int) INT.get(slab(ref), offset(ref) + ENTRY_HEADER_BYTES + keyLength(ref) + 8);
    }

    boolean keyEquals(long ref, byte[] key) {
        int at = offset(ref) + ENTRY_HEADER_BYTES;
        return keyLength(ref) == key.length && Arrays.equals(slab(ref), at, at + key.length, key, 0, key.length);
    }

    boolean sameKey(long a, long b) {
        int lengthA = keyLength(a);
        int atA = offset(a) + ENTRY_HEADER_BYTES;
        int atB = offset(b) + ENTRY_HEADER_BYTES;
        return lengthA == keyLength(b) && Arrays.equals(slab(a), atA, atA + lengthA, slab(b), atB, atB + lengthA);
    }

    int compareKey(long ref, byte[] key) {
        int at = offset(ref) + ENTRY_HEADER_BYTES;
        return Arrays.compareUnsigned(slab(ref), at, at + keyLength(ref), key, 0, key.length);
    }

    int compareKeys(long a, long b) {
        int atA = offset(a) + ENTRY_HEADER_BYTES;
        int atB = offset(b) + ENTRY_HEADER_BYTES;
        return Arrays.compareUnsigned(slab(a), atA, atA + keyLength(a), slab(b), atB, atB + keyLength(b));
    }

    /** Bytes [skip, skip + 8) of the key, big-endian and zero-padded: orders like the keys, up to ties. */
    long keyPrefix(long ref, int skip) {
        byte[] slab = slab(ref);
        int at = offset(ref) + ENTRY_HEADER_BYTES;
        int length = keyLength(ref);
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (skip + i < length ? slab[at + skip + i] & 0xFF : 0);
        }
        return p;
    }

    /** The length of the prefix the keys of {@code a} and {@code b} share, capped at {@code limit}. */
    int commonPrefix(long a, long b, int limit) {
        int atA = offset(a) + ENTRY_HEADER_BYTES;
        int atB = offset(b) + ENTRY_HEADER_BYTES;
        int n = Math.min(limit, Math.min(keyLength(a), keyLength(b)));
        int i = Arrays.mismatch(slab(a), atA, atA + n, slab(b), atB, atB + n);
        return i < 0 ? n : i;
    }

    long bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return count + "x" + SLAB_BYTES + "B";
    }
}
