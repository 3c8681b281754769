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

    /**
     * Fixed in kernel commit 8e14cbc. An {@link Error} thrown while a commit group leads (an OutOfMemoryError from a large
     * record's buffer or a FileChannel's temporary direct buffer, an AssertionError under -ea)
     * escapes {@code CommitPipeline.lead}, which catches only IOException and RuntimeException: the
     * group is never taken off the queue, so every later write, sync and close() waits behind it
     * forever, from any thread. Met because the simulated crash is itself an Error (a seeded run
     * abandons the dead store, see {@code Abandon}); reproduced by a scenario.
     */
    public static final String ERROR_IN_COMMIT_LEADER_WEDGES_THE_STORE = "error-in-commit-leader-wedges-the-store";

    /**
     * Fixed by reverting kernel commit 8476dbc (in 609ec22). While open appended to a sealed last
     * segment, that segment held several clean closes; truncated exactly at an earlier seal (a lost
     * extent, a partial copy), it looked like a clean close, and writes acknowledged after that
     * seal were silently gone. With a segment per open, the successor's header declares the end
     * and catches it. No seeded fault truncates synced data at a record boundary, so a scenario
     * reproduces it.
     */
    public static final String TRUNCATION_AT_AN_EARLIER_SEAL_GOES_UNSEEN = "truncation-at-an-earlier-seal-goes-unseen";

    /** Bugs not fixed yet. */
    static final Set<String> OPEN = Set.of();

    private KnownKernelBugs() {
    }

    static boolean isKnown(Violation v) {
        return OPEN.contains(v.kind());
    }
}
