package dev.walnut.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import dev.walnut.adapters.InMemoryWalStorage;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The largest entry import and put accept fits one record of the kernel, whatever the split
 * between key and value, and is at most {@link #SLACK_BYTES_MAX} short of the largest that does
 * (the batch estimate counts varints at their widest): this pins BatchImporter's record framing
 * constant against {@link Walnut#write}'s own check.
 */
class BatchImporterTest {

    /**
     * The estimate counts the op count, key length and value length varints at 5 bytes each; for a
     * 1-byte key and a value of a few KiB they take 1, 1 and 2.
     */
    static final int SLACK_BYTES_MAX = 11;

    @Test
    void theLargestEntryImportAcceptsFitsOneRecordAndIsWithinAFewBytesOfTheKernelsLimit() throws IOException {
        int maxRecordBytes = WalnutOptions.MAX_RECORD_BYTES_MIN;
        int entryBytes = (int) BatchImporter.entryBytesMax(maxRecordBytes);
        WalnutOptions options = WalnutOptions.builder().maxRecordBytes(maxRecordBytes).compression(false).seed(3).build();
        try (Walnut db = Walnut.open(new InMemoryWalStorage("entry-limit"), options)) {
            for (int keyBytes : new int[] {1, Math.min(WalnutOptions.KEY_BYTES_MAX, entryBytes)}) {
                byte[] key = new byte[keyBytes];
                key[0] = (byte) keyBytes;
                db.write(new WriteBatch().put(key, new byte[entryBytes - keyBytes]));
            }
            WriteBatch tooLarge = new WriteBatch().put(new byte[] {1}, new byte[entryBytes + SLACK_BYTES_MAX]);

            assertThrows(IllegalArgumentException.class, () -> db.write(tooLarge));
            assertEquals(2, db.size());
        }
    }
}
