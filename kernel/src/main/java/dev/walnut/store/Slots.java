package dev.walnut.store;

/**
 * A hash table slot: a slab reference and a 24-bit tag of the key's hash in one {@code long}, so
 * a probe rejects a different key without touching its slab (no second array of hashes: 4 bytes a
 * slot less), and 0 marks an empty slot. The home slot comes from the hash's low bits, the tag
 * from its high ones, so keys that share a home still differ in their tags.
 */
final class Slots {
    private static final long REF_MASK = (1L << Slabs.REF_BITS) - 1;

    private Slots() {
    }

    static long of(long ref, long hash) {
        return (tag(hash) << Slabs.REF_BITS) | (ref + 1);
    }

    static long ref(long slot) {
        return (slot & REF_MASK) - 1;
    }

    static boolean tagMatches(long slot, long hash) {
        return (slot >>> Slabs.REF_BITS) == tag(hash);
    }

    static int home(long hash, int mask) {
        return (int) hash & mask;
    }

    private static long tag(long hash) {
        return hash >>> Slabs.REF_BITS;
    }
}
