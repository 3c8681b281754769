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
     * @param file                the file name
     * @param sizeBytes           the file's size when it was opened
     * @param number              the segment number (for a base, the number in its name)
     * @param firstSequence       the sequence number of the file's first record
     * @param predecessorSegment  the number of the segment before it, 0 for the first (and for a base)
     * @param predecessorEndBytes where the predecessor segment validly ends, as this header declares
     * @param predecessorCut      true when a point-in-time recovery cut the predecessor at damage
     * @param salt                the per-file random value every record header checksum is seeded with
     * @param recordBytesMax      the largest record the writer of this file could write
     */
    record Segment(String file, long sizeBytes, long number, long firstSequence, long predecessorSegment,
                   long predecessorEndBytes, boolean predecessorCut, long salt, int recordBytesMax) {
    }

    /**
     * A record whose header and payload checksums passed and whose body decodes.
     *
     * @param file               the file name
     * @param offsetBytes        where the record starts in the file
     * @param lengthBytes        the record's length on disk, its 12-byte header included
     * @param sequence           the record's sequence number (in a base, counted from 1 within the file)
     * @param syncedThroughBytes the offset the writer knew durable when it wrote this record
     * @param compressed         true if any value of the record is stored LZ4-compressed
     * @param seal               true for the record a clean close writes
     */
    record Record(String file, long offsetBytes, int lengthBytes, long sequence, long syncedThroughBytes,
                  boolean compressed, boolean seal) {
    }

    /**
     * A span that does not read as records, in the reader's own words; it is not classified (torn
     * tail or corruption is {@link LogInspector#check}'s call).
     *
     * @param file              the file name
     * @param offsetBytes       where the span starts
     * @param lengthBytes       its length: to the next valid record, or to the end of the file
     * @param problem           what the reader found wrong, with offsets and expected/actual values
     * @param resumeOffsetBytes the offset of the next record valid at its own offset, or -1 if none
     */
    record Damage(String file, long offsetBytes, long lengthBytes, String problem, long resumeOffsetBytes) {
    }

    /**
     * The header of a log file, before any of its records.
     *
     * @param segment the verified header
     */
    default void segment(Segment segment) {
    }

    /**
     * A record, before its operations.
     *
     * @param record where it is and what its preamble says
     */
    default void record(Record record) {
    }

    /**
     * A put of the record last passed to {@link #record}.
     *
     * @param key   the key, a fresh array
     * @param value the value, a fresh array (decompressed if its cell was)
     */
    default void put(byte[] key, byte[] value) {
    }

    /**
     * A delete of the record last passed to {@link #record}.
     *
     * @param key the key, a fresh array
     */
    default void delete(byte[] key) {
    }

    /**
     * After the last operation of a record.
     *
     * @param record the record passed to {@link #record} before its operations
     */
    default void endRecord(Record record) {
    }

    /**
     * A span that does not read as records; the dump then goes on at
     * {@link Damage#resumeOffsetBytes()}, or ends the file if there is none. A file whose header
     * fails is reported as one span of the whole file, with no {@link #segment} call.
     *
     * @param damage where, how long, and the reader's words for it
     */
    default void damage(Damage damage) {
    }

    /**
     * The end of a file whose reading reached its end through records: called even after damage
     * the dump resumed from, but not when a damaged span ran to the end of the file.
     *
     * @param file           the file name
     * @param endOffsetBytes where the last record ends
     */
    default void segmentEnd(String file, long endOffsetBytes) {
    }
}
