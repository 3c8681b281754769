package dev.walnut;

/** When a write counts as done. */
public enum Durability {
    /** The default: a write returns once it is durable. Concurrent writers share one fsync (group commit). */
    SYNC,
    /**
     * A write returns once it is visible; its record waits in a bounded user-space buffer (at most
     * 64 KiB, so a put costs no write syscall) until the buffer fills or a sync is due. A background
     * thread writes and syncs it every {@code syncIntervalMs}. A process kill loses what is still in
     * the buffer; a power loss loses what is not yet synced.
     */
    BACKGROUND,
    /**
     * As {@link #BACKGROUND}, without the timer: only {@link Walnut#sync()} (or a SYNC write, a
     * rotation, close) makes it durable; {@link Walnut#flush()} makes it survive a process kill.
     */
    MANUAL
}
