package dev.walnut.recovery;

import dev.walnut.format.SegmentHeader;
import java.io.IOException;

/**
 * Index files (hint files) recovery may read instead of replaying a data file: for a sealed
 * segment or a compacted base, the final state of every key it wrote, with where each value is.
 * Derived data: one that is missing or damaged only costs the replay of its data file.
 */
public interface IndexSource {

    /**
     * What trying the index file of one data file gave.
     *
     * @param loaded  true if its entries were applied and the data file need not be replayed
     * @param problem why an index file that exists (or that the MANIFEST names) was not used; null otherwise
     * @param entries entries applied
     * @param bytesRead bytes read from the index file
     */
    record Result(boolean loaded, String problem, long entries, long bytesRead) {
        public static final Result ABSENT = new Result(false, null, 0, 0);
    }

    /**
     * Applies the index file of {@code dataFileName} if it exists and covers exactly what the
     * chain expects of the data file; otherwise applies nothing.
     *
     * @param base                 whether the data file is a compacted base
     * @param header               the data file's verified segment header
     * @param dataFileSizeBytes    the data file's size
     * @param expectedEndBytes     where the data file's valid records must end
     * @param expectedLastSequence the sequence the index must end at
     * @param required             whether the MANIFEST names it (its absence is then reported)
     * @throws IOException on an I/O error reading it, which is never taken for damage
     */
    Result load(String dataFileName, boolean base, SegmentHeader header, long dataFileSizeBytes, long expectedEndBytes,
                long expectedLastSequence, boolean required) throws IOException;
}
