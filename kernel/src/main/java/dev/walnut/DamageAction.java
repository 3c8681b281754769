package dev.walnut;

/** What recovery did about a damage site. */
public enum DamageAction {
    /** The open failed on it. */
    FAILED,
    /** The span and everything after it in the segment was left out of the store; the bytes stay on disk. */
    DROPPED,
    /** Dropped by an earlier recovery, whose decision the successor segment's header records. */
    DROPPED_EARLIER,
    /** Point-in-time: the log was cut here; later segments were quarantined. */
    CUT,
    /** Salvage: the span was skipped and valid records after it were kept. */
    SKIPPED,
    /** Nothing was done: a read-only check (verify, dry run). */
    NONE
}
