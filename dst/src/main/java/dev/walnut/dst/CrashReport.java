package dev.walnut.dst;

import java.util.Arrays;
import java.util.Map;

/**
 * What a crash left: for every file that survived, its bytes before (what the store believed it
 * had written) and after, how much of it a successful sync had promised, and the first promised
 * byte that did not survive (damage only a fault can do).
 */
public record CrashReport(CrashMode mode, Map<String, FileImage> files) {

    /** One surviving file. {@code firstDamageBytes} is -1 when every promised byte survived. */
    public record FileImage(String name, long inodeId, byte[] before, byte[] after, int promisedBytes,
                            int firstDamageBytes) {

        /** Whether bytes [offset, offset + length) survived exactly as they were written. */
        public boolean intact(long offsetBytes, int lengthBytes) {
            long end = offsetBytes + lengthBytes;
            if (end > after.length || end > before.length) {
                return false;
            }
            return Arrays.equals(before, (int) offsetBytes, (int) end, after, (int) offsetBytes, (int) end);
        }

        static int firstDamage(byte[] before, byte[] after, int promisedBytes) {
            int limit = Math.min(promisedBytes, before.length);
            int common = Math.min(limit, after.length);
            int mismatch = Arrays.mismatch(before, 0, common, after, 0, common);
            if (mismatch >= 0) {
                return mismatch;
            }
            return common < limit ? common : -1;
        }
    }

    public boolean damaged() {
        return files.values().stream().anyMatch(f -> f.firstDamageBytes() >= 0);
    }
}
