package dev.walnut;

/** How recovery classified a damaged span of the log. */
public enum DamageKind {
    /** A write that never finished: nothing proves the bytes were ever durable. */
    TORN_TAIL,
    /** Bytes that were durable (a later record, a successor segment or a seal proves it) and are now damaged. */
    CORRUPTION
}
