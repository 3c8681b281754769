package dev.walnut;

/**
 * What {@link Walnut#open} does with damage it finds in the log. In every policy an I/O error fails
 * the open and changes nothing.
 */
public enum RecoveryPolicy {
    /** Any damage, even a torn tail, fails the open. */
    STRICT,
    /** The default: a torn tail is dropped and reported; corruption fails the open. */
    TOLERATE_TORN_TAIL,
    /**
     * Opens with the prefix of the log before the first damage, whatever it is; later segments are
     * quarantined (renamed with {@code .quarantined}), never deleted.
     */
    POINT_IN_TIME,
    /**
     * Skips each damaged span and keeps every valid record after it, reporting every span. Source
     * files are never modified. The damage stays on disk: compact to make the salvaged state whole.
     */
    SALVAGE
}
