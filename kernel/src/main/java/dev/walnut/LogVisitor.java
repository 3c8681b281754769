package dev.walnut;

/**
 * Receives what {@link LogInspector#dump} finds, in file order: for each log file (the compacted
 * base, then the segments) its header, then each record with its operations, with damage in line.
 * Every method has an empty default, so a visitor overrides only what it needs. Keys and values
 * passed to {@link #put} and {@link #delete} are the visitor's to keep.
 */
public interface LogVisitor {

    /**
     * A log file's verified header.
     *
     * @param predecessorEndBytes where the predecessor segment validly ends, as this header declares
     * @param predecessorCut      true when a point-in-time recovery cut the predecessor at damage
     * @param recordBytesMax      the largest record the writer of this file could write
     */
    record Segment(String file, long sizeBytes, long number, long firstSequence, long predecessorSegment,
                   long predecessorEndBytes, boolean predecessorCut, long salt, int recordBytesMax) {
    }

    /**
     * A record whose header and payload checksums passed and whose body decodes.
     *
     * @param syncedThroughBytes the offset the writer knew durable when it wrote this record
     * @param seal               true for the record a clean close writes
     */
    record Record(String file, long offsetBytes, int lengthBytes, long sequence, long syncedThroughBytes,
                  boolean compressed, boolean seal) {
    }

    /**
     * A span that does not read as records, in the reader's own words; it is not classified (torn
     * tail or corruption is {@link LogInspector#check}'s call).
     *
     * @param resumeOffsetBytes the offset of the next record valid at its own offset, or -1 if none
     */
    record Damage(String file, long offsetBytes, long lengthBytes, String problem, long resumeOffsetBytes) {
    }

    default void segment(Segment segment) {
    }

    default void record(Record record) {
    }

    /** An operation of the record last passed to {@link #record}. */
    default void put(byte[] key, byte[] value) {
    }

    /** An operation of the record last passed to {@link #record}. */
    default void delete(byte[] key) {
    }

    /** After the last operation of a record. */
    default void endRecord(Record record) {
    }

    default void damage(Damage damage) {
    }

    /** The end of a file whose records all read; {@code endOffsetBytes} is where the last one ends. */
    default void segmentEnd(String file, long endOffsetBytes) {
    }
}
