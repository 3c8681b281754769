package dev.walnut;

import java.time.Duration;
import java.util.List;

/**
 * What an open found and did: the figures of the replay and every damage site.
 *
 * @param policy           the policy the open ran under
 * @param segmentsReplayed segments whose records were replayed
 * @param recordsReplayed  records applied to the store
 * @param bytesReplayed    bytes of valid records read (headers included)
 * @param bytesRead        bytes read from storage in all, scans included
 * @param lastSequence     the sequence number of the last record replayed, 0 if none
 * @param damage           every damage site, in log order
 * @param elapsed          wall time of the recovery
 * @param peakBufferBytes  the most bytes the reader held in buffers at once
 * @param indexFilesRead   data files (sealed segments, the base) whose index file was read instead of their records
 * @param indexFilesRebuilt index files found missing or damaged, each with why: their data files were
 *                          replayed instead, and the store writes them anew
 */
public record RecoveryReport(RecoveryPolicy policy, int segmentsReplayed, long recordsReplayed, long bytesReplayed,
                             long bytesRead, long lastSequence, List<DamageSite> damage, Duration elapsed,
                             long peakBufferBytes, int indexFilesRead, List<String> indexFilesRebuilt) {

    /**
     * Creates the report, copying {@code damage} so that the report is immutable.
     *
     * @param policy           the policy the open ran under
     * @param segmentsReplayed segments whose records were replayed
     * @param recordsReplayed  records applied to the store
     * @param bytesReplayed    bytes of valid records read (headers included)
     * @param bytesRead        bytes read from storage in all, scans included
     * @param lastSequence     the sequence number of the last record replayed, 0 if none
     * @param damage           every damage site, in log order
     * @param elapsed          wall time of the recovery
     * @param peakBufferBytes  the most bytes the reader held in buffers at once
     * @param indexFilesRead   data files whose index file was read instead of their records
     * @param indexFilesRebuilt index files found missing or damaged, each with why
     * @throws NullPointerException if {@code damage} or {@code indexFilesRebuilt} is null or holds null
     */
    public RecoveryReport {
        damage = List.copyOf(damage);
        indexFilesRebuilt = List.copyOf(indexFilesRebuilt);
    }

    /**
     * Whether the open found no damage at all.
     *
     * @return true if {@link #damage()} is empty
     */
    public boolean clean() {
        return damage.isEmpty();
    }

    /**
     * Whether any damage site is corruption (durable bytes damaged), not only a torn tail.
     *
     * @return true if a site is {@link DamageKind#CORRUPTION}
     */
    public boolean hasCorruption() {
        return damage.stream().anyMatch(d -> d.kind() == DamageKind.CORRUPTION);
    }

    /**
     * A multi-line, human-readable rendering, for the CLI and logs.
     *
     * @return one line of figures, then one line per damage site (or "no damage")
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append("recovery policy=").append(policy)
                .append(" segments=").append(segmentsReplayed)
                .append(" records=").append(recordsReplayed)
                .append(" bytesReplayed=").append(bytesReplayed)
                .append(" bytesRead=").append(bytesRead)
                .append(" lastSequence=").append(lastSequence)
                .append(" elapsedMs=").append(elapsed.toMillis())
                .append(" peakBufferBytes=").append(peakBufferBytes)
                .append(" indexFilesRead=").append(indexFilesRead)
                .append('\n');
        for (String rebuilt : indexFilesRebuilt) {
            out.append("  index file rebuilt: ").append(rebuilt).append('\n');
        }
        if (damage.isEmpty()) {
            out.append("  no damage\n");
        }
        for (DamageSite site : damage) {
            out.append("  ").append(site).append('\n');
        }
        return out.toString();
    }
}
