package dev.walnut;

/**
 * One damaged span found by recovery.
 *
 * @param file        the segment file name
 * @param offsetBytes where the damage starts
 * @param lengthBytes how many bytes were left out (to the next valid record or the end)
 * @param kind        torn tail or corruption
 * @param evidence    what the classification rests on, with offsets and expected/actual values
 * @param action      what recovery did
 */
public record DamageSite(String file, long offsetBytes, long lengthBytes, DamageKind kind, String evidence,
                         DamageAction action) {

    /**
     * The same site with another action, e.g. {@link DamageAction#NONE} for a check that changes nothing.
     *
     * @param newAction the action to report
     * @return a new site; this one is unchanged
     */
    public DamageSite withAction(DamageAction newAction) {
        return new DamageSite(file, offsetBytes, lengthBytes, kind, evidence, newAction);
    }

    @Override
    public String toString() {
        return kind + " file=" + file + " offset=" + offsetBytes + " length=" + lengthBytes + " action=" + action
                + " evidence: " + evidence;
    }
}
