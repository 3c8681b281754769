package dev.walnut;

/** When a write counts as done. */
public enum Durability {
    /** The default: a write returns once it is durable. Concurrent writers share one fsync (group commit). */
    SYNC,
    /** A write returns once it is in the log; a background thread syncs every {@code syncIntervalMs}. */
    BACKGROUND,
    /** A write returns once it is in the log; only {@link Walnut#sync()} makes it durable. */
    MANUAL
}
