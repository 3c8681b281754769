package dev.walnut.dst;

/**
 * Kernel bugs the simulation found and the kernel has not fixed yet. A violation that a known bug
 * explains gets its own kind ({@code known-kernel-bug:...}) so the summary counts it apart and CI's
 * seed subset can stay green; each has a minimal reproduction tagged {@code known-kernel-bug} in
 * {@code KnownKernelBugScenariosTest}. Remove an entry once the kernel fixes it.
 */
public final class KnownKernelBugs {

    /**
     * Open replays records that are still only in the page cache (the process died between append
     * and fsync, or a MANUAL write was never synced), then creates the next segment whose header
     * declares the predecessor's end after them, without syncing the predecessor. A power loss then
     * drops that tail and every later open fails: "segment ends short ... declared by its successor".
     */
    public static final String UNSYNCED_TAIL_DECLARED_DURABLE = "unsynced-tail-declared-durable";

    /**
     * Under SALVAGE a MANIFEST that fails its checksum is skipped without a damage site in the
     * report ({@code Recovery.readManifest} builds the site, then drops it), and recovery goes on
     * without the manifest: the compacted base it named is not replayed, so every key that lived
     * only in the base is silently missing from a report that says "no damage".
     */
    public static final String SALVAGE_HIDES_DAMAGED_MANIFEST = "salvage-hides-damaged-manifest";

    static final String KIND_PREFIX = "known-kernel-bug:";

    private KnownKernelBugs() {
    }

    static String kindOf(String description) {
        int colon = description.indexOf(':');
        return KIND_PREFIX + (colon < 0 ? description : description.substring(0, colon));
    }

    static boolean isKnown(Violation v) {
        return v.kind().startsWith(KIND_PREFIX);
    }
}
