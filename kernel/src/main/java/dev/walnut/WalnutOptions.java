package dev.walnut;

import dev.walnut.format.RecordFormat;
import java.security.SecureRandom;

/**
 * How a store is opened and written. Build with {@link #builder()}; every limit is checked there,
 * with a message naming the option, its value and the allowed range.
 */
public final class WalnutOptions {

    /** The largest record (one batch, header included) by default, and the range allowed. */
    public static final int MAX_RECORD_BYTES_DEFAULT = RecordFormat.RECORD_BYTES_DEFAULT;
    public static final int MAX_RECORD_BYTES_MIN = RecordFormat.RECORD_BYTES_LIMIT_MIN;
    public static final int MAX_RECORD_BYTES_MAX = RecordFormat.RECORD_BYTES_LIMIT_MAX;
    /** The longest key, in bytes. */
    public static final int KEY_BYTES_MAX = RecordFormat.KEY_BYTES_MAX;
    public static final long SEGMENT_BYTES_DEFAULT = 64L * 1024 * 1024;
    public static final long SEGMENT_BYTES_MIN = 4 * 1024;
    public static final long SEGMENT_BYTES_MAX = 1L << 40;
    public static final int READ_WINDOW_BYTES_DEFAULT = 1024 * 1024;
    public static final int READ_WINDOW_BYTES_MIN = 4 * 1024;
    public static final int READ_WINDOW_BYTES_MAX = 64 * 1024 * 1024;

    public static final long SYNC_INTERVAL_MS_DEFAULT = 50;
    public static final long SYNC_INTERVAL_MS_MIN = 1;
    public static final long SYNC_INTERVAL_MS_MAX = 60_000;
    /** Compact automatically once the log is this many times the live data; 0 turns it off. */
    public static final double COMPACTION_RATIO_DEFAULT = 4.0;
    public static final double COMPACTION_RATIO_MIN = 1.5;

    static {
        if (READ_WINDOW_BYTES_MIN < RecordFormat.RECORD_HEADER_BYTES + RecordFormat.PREAMBLE_BYTES) {
            throw new ExceptionInInitializerError("READ_WINDOW_BYTES_MIN cannot hold a record header");
        }
        if (SEGMENT_BYTES_MIN <= RecordFormat.SEGMENT_HEADER_BYTES) {
            throw new ExceptionInInitializerError("SEGMENT_BYTES_MIN cannot hold a segment header");
        }
    }

    private final RecoveryPolicy recoveryPolicy;
    private final int maxRecordBytes;
    private final long segmentBytes;
    private final int readWindowBytes;
    private final boolean compression;
    private final long seed;
    private final long hashSeed;
    private final Durability durability;
    private final long syncIntervalMs;
    private final double compactionRatio;

    private WalnutOptions(Builder b) {
        this.durability = b.durability;
        this.syncIntervalMs = b.syncIntervalMs;
        this.compactionRatio = b.compactionRatio;
        this.recoveryPolicy = b.recoveryPolicy;
        this.maxRecordBytes = b.maxRecordBytes;
        this.segmentBytes = b.segmentBytes;
        this.readWindowBytes = b.readWindowBytes;
        this.compression = b.compression;
        SecureRandom secure = b.seed == null || b.hashSeed == null ? new SecureRandom() : null;
        this.seed = b.seed != null ? b.seed : secure.nextLong();
        // Not derived from the seed unless the user chose one: segment salts come from the seed and
        // are on disk, and a hash key readable from the files would let crafted keys collide again.
        this.hashSeed = b.hashSeed != null ? b.hashSeed : b.seed != null ? b.seed ^ HASH_SEED_TWEAK : secure.nextLong();
    }

    /** Separates the hash key from the salts' seed when both come from one explicit seed. */
    private static final long HASH_SEED_TWEAK = 0x5851_F42D_4C95_7F2DL;

    public static Builder builder() {
        return new Builder();
    }

    public static WalnutOptions defaults() {
        return builder().build();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
        return builder().recoveryPolicy(recoveryPolicy).maxRecordBytes(maxRecordBytes).segmentBytes(segmentBytes)
                .readWindowBytes(readWindowBytes).compression(compression).seed(seed).durability(durability)
                .syncIntervalMs(syncIntervalMs).compactionRatio(compactionRatio).hashSeed(hashSeed);
    }

    /** The durability of writes that do not name one. */
    public Durability durability() {
        return durability;
    }

    /** How often {@link Durability#BACKGROUND} writes are synced. */
    public long syncIntervalMs() {
        return syncIntervalMs;
    }

    /** Log bytes over live bytes that triggers an automatic compaction; 0 when off. */
    public double compactionRatio() {
        return compactionRatio;
    }

    public RecoveryPolicy recoveryPolicy() {
        return recoveryPolicy;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public long segmentBytes() {
        return segmentBytes;
    }

    public int readWindowBytes() {
        return readWindowBytes;
    }

    public boolean compression() {
        return compression;
    }

    /** The seed of every random choice the store makes (segment salts). */
    public long seed() {
        return seed;
    }

    /**
     * The key of the index's hash, held in memory only. Independent of {@link #seed()} (random)
     * unless a seed was set, in which case it derives from it, so that a seeded run is reproducible;
     * an explicit seed is for tests and simulations: its salts on disk reveal it, and so the hash key.
     */
    public long hashSeed() {
        return hashSeed;
    }

    public static final class Builder {
        private RecoveryPolicy recoveryPolicy = RecoveryPolicy.TOLERATE_TORN_TAIL;
        private int maxRecordBytes = RecordFormat.RECORD_BYTES_DEFAULT;
        private long segmentBytes = SEGMENT_BYTES_DEFAULT;
        private int readWindowBytes = READ_WINDOW_BYTES_DEFAULT;
        private boolean compression = true;
        private Long seed;
        private Long hashSeed;
        private Durability durability = Durability.SYNC;
        private long syncIntervalMs = SYNC_INTERVAL_MS_DEFAULT;
        private double compactionRatio = COMPACTION_RATIO_DEFAULT;

        private Builder() {
        }

        public Builder durability(Durability durability) {
            this.durability = java.util.Objects.requireNonNull(durability, "durability");
            return this;
        }

        public Builder syncIntervalMs(long intervalMs) {
            this.syncIntervalMs = check("syncIntervalMs", intervalMs, SYNC_INTERVAL_MS_MIN, SYNC_INTERVAL_MS_MAX);
            return this;
        }

        /** Compact automatically once the log is {@code ratio} times the live data; 0 turns it off. */
        public Builder compactionRatio(double ratio) {
            if (ratio != 0 && !(ratio >= COMPACTION_RATIO_MIN)) {
                throw new IllegalArgumentException("compactionRatio out of range: actual=" + ratio + " allowed=0 (off)"
                        + " or >= " + COMPACTION_RATIO_MIN);
            }
            this.compactionRatio = ratio;
            return this;
        }

        public Builder recoveryPolicy(RecoveryPolicy policy) {
            this.recoveryPolicy = java.util.Objects.requireNonNull(policy, "recoveryPolicy");
            return this;
        }

        /** The largest record, header included; also bounds the largest value. */
        public Builder maxRecordBytes(int bytes) {
            this.maxRecordBytes = (int) check("maxRecordBytes", bytes, RecordFormat.RECORD_BYTES_LIMIT_MIN,
                    RecordFormat.RECORD_BYTES_LIMIT_MAX);
            return this;
        }

        /** The active segment rotates once it reaches this size. */
        public Builder segmentBytes(long bytes) {
            this.segmentBytes = check("segmentBytes", bytes, SEGMENT_BYTES_MIN, SEGMENT_BYTES_MAX);
            return this;
        }

        /** The recovery reader's window: one positional read fills it. */
        public Builder readWindowBytes(int bytes) {
            this.readWindowBytes = (int) check("readWindowBytes", bytes, READ_WINDOW_BYTES_MIN, READ_WINDOW_BYTES_MAX);
            return this;
        }

        /** LZ4-compress record bodies when that saves at least an eighth. */
        public Builder compression(boolean enabled) {
            this.compression = enabled;
            return this;
        }

        /** Fixes the seed of the store's random choices, for reproducible files and simulation. */
        /** Carries a hash key across {@link WalnutOptions#toBuilder()}; not for users. */
        private Builder hashSeed(long hashSeed) {
            this.hashSeed = hashSeed;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public WalnutOptions build() {
            return new WalnutOptions(this);
        }

        private static long check(String option, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(option + " out of range: actual=" + value + " allowed=[" + min
                        + ", " + max + "]");
            }
            return value;
        }
    }
}
