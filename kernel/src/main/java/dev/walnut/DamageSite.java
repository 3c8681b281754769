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

    public DamageSite withAction(DamageAction newAction) {
        return new DamageSite(file, offsetBytes, lengthBytes, kind, evidence, newAction);
    }

    @Override
    public String toString() {
        return kind + " file=" + file + " offset=" + offsetBytes + " length=" + lengthBytes + " action=" + action
                + " evidence: " + evidence;
    }
}
