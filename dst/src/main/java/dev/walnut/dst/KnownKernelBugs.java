package dev.walnut.dst;

import java.util.Set;

/**
 * Kernel bugs the simulation found. While a bug is open its name is in {@link #OPEN}: a violation
 * of that kind is counted apart in the summary and CI's seed subset tolerates it, and its minimal
 * reproduction carries {@code @Tag("known-kernel-bug")} (excluded from the default build, run with
 * {@code -Pknown-kernel-bugs}). Once fixed, the name leaves {@link #OPEN} and its reproduction
 * becomes an ordinary regression test: the same violation then fails the build.
 */
public final class KnownKernelBugs {

    /**
     * Fixed in kernel commit 14cde35. Open replayed records that were still only in the page
     * cache (the process died between append and fsync, or a MANUAL write was never synced), then
     * created the next segment whose header declared the predecessor's end after them, without
     * syncing the predecessor. A power loss then dropped that tail and every later open failed
     * with "segment ends short ... declared by its successor". First seen: simulator seed 2.
     */
    public static final String UNSYNCED_TAIL_DECLARED_DURABLE = "unsynced-tail-declared-durable";

    /**
     * Fixed in kernel commit 14cde35. Under SALVAGE a MANIFEST that failed its checksum was skipped
     * without a damage site in the report, and the compacted base it named was not replayed: every
     * key that lived only in the base was silently missing from a report saying "no damage".
     * First seen: simulator seed 525.
     */
    public static final String SALVAGE_HIDES_DAMAGED_MANIFEST = "salvage-hides-damaged-manifest";

    /** Bugs not fixed yet: none since kernel commit 14cde35. */
    static final Set<String> OPEN = Set.of();

    private KnownKernelBugs() {
    }

    static boolean isKnown(Violation v) {
        return OPEN.contains(v.kind());
    }
}
