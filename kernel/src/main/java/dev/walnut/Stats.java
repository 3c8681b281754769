package dev.walnut;

/**
 * A store's figures at one moment.
 *
 * @param liveKeys       keys with a value
 * @param liveBytes      bytes of those keys and values
 * @param logBytes       bytes of the log on storage (segments and compacted base)
 * @param segments       segment files in the live log
 * @param lastSequence   the last sequence number written
 * @param fsyncs         log fsyncs since open
 * @param writes         write batches acknowledged since open
 * @param writesPerFsync writes over fsyncs: above 1 when group commit shares fsyncs
 * @param compactions    compactions finished since open
 */
public record Stats(long liveKeys, long liveBytes, long logBytes, int segments, long lastSequence, long fsyncs,
                    long writes, double writesPerFsync, long compactions) {
}
