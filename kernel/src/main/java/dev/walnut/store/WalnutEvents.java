package dev.walnut.store;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JDK Flight Recorder events for recovery and compaction; free when no recording runs. Loading
 * the first event class initializes JFR's machinery (measured: 200-340 ms in a fresh JVM on the
 * reference machine, more than a small store's whole open), so the store creates events only once
 * a recorder exists ({@link #recording()}).
 */
public final class WalnutEvents {
    private WalnutEvents() {
    }

    /** Whether Flight Recorder has been started in this JVM: only then are events worth creating. */
    public static boolean recording() {
        return jdk.jfr.FlightRecorder.isInitialized();
    }

    @Name("dev.walnut.Recovery")
    @Label("Walnut Recovery")
    @Category("Walnut")
    @Description("One open's log replay")
    public static final class RecoveryEvent extends Event {
        @Label("Policy")
        public String policy;
        @Label("Segments")
        public int segments;
        @Label("Records")
        public long records;
        @Label("Bytes Replayed")
        @DataAmount
        public long bytesReplayed;
        @Label("Damage Sites")
        public int damageSites;
        @Label("Peak Buffer")
        @DataAmount
        public long peakBufferBytes;
    }

    @Name("dev.walnut.Compaction")
    @Label("Walnut Compaction")
    @Category("Walnut")
    @Description("One compaction: base written, manifest switched, old segments retired")
    public static final class CompactionEvent extends Event {
        @Label("Base Sequence")
        public long baseSequence;
        @Label("Entries")
        public long entries;
        @Label("Base Bytes")
        @DataAmount
        public long baseBytes;
        @Label("Retired Files")
        public int retiredFiles;
    }
}
