package dev.walnut.dst;

/** Every fault the simulated storage can inject; each is switched on and counted separately. */
public enum FaultKind {
    /** A bit of synced data flips at rest (latent corruption), seen after the next power loss. */
    BIT_FLIP,
    /**
     * A bit of a closed data file (an older segment or a base) flips at rest while the store is
     * open: the next read of the value there must fail its checksum, never return the wrong bytes.
     */
    BIT_ROT,
    /** A read throws an I/O error. */
    READ_ERROR,
    /** A read returns fewer bytes than asked (legal; the caller must loop). */
    SHORT_READ,
    /** A file or directory sync throws. */
    SYNC_FAILURE,
    /**
     * After a failed sync the dirty pages are marked clean without being written (Linux
     * "fsyncgate"): a later sync succeeds but leaves them unwritten.
     */
    SYNC_LIE,
    /** An append throws before writing anything (EIO). */
    APPEND_FAILURE,
    /** An append writes a prefix of its bytes, then throws (ENOSPC). */
    DISK_FULL,
    /** A truncate returns but never reaches the disk. */
    DROPPED_TRUNCATE,
    /** A sync writes one block to the wrong place in the file and leaves its own place stale. */
    MISDIRECTED_WRITE,
    /**
     * Between two runs of the store an index file (hint file) has a bit flipped, is cut short or
     * vanishes: the next open must say so ({@code indexFilesRebuilt}) and replay its data file.
     */
    INDEX_DAMAGE,
    /** The process dies at an I/O call (the machine keeps running, or loses power with it). */
    CRASH_AT_IO
}
