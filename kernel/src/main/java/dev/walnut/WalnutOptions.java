package dev.walnut;

import dev.walnut.format.RecordFormat;
import java.security.SecureRandom;

/**
 * How a store is opened and written. Build with {@link #builder()}; every limit is checked there,
 * with a message naming the option, its value and the allowed range. Immutable and thread-safe.
 */
public final class WalnutOptions {

    /** The largest record (one batch, header included) by default: 64 MiB. */
    public static final int MAX_RECORD_BYTES_DEFAULT = RecordFormat.RECORD_BYTES_DEFAULT;
    /** The smallest {@link Builder#maxRecordBytes} allowed: 4 KiB. */
    public static final int MAX_RECORD_BYTES_MIN = RecordFormat.RECORD_BYTES_LIMIT_MIN;
    /** The largest {@link Builder#maxRecordBytes} allowed: 1 GiB, so a record fits one Java array. */
    public static final int MAX_RECORD_BYTES_MAX = RecordFormat.RECORD_BYTES_LIMIT_MAX;
    /**
     * What a record costs beyond its body (the batch's operations): the 12-byte header and the
     * payload preamble. A batch fits when this plus its encoded operations is at most
     * {@link #maxRecordBytes()}.
     */
    public static final int RECORD_OVERHEAD_BYTES = RecordFormat.RECORD_HEADER_BYTES + RecordFormat.PREAMBLE_BYTES;
    /** The longest key, in bytes: 64 KiB. Keys are small by design: the index holds them all in memory. */
    public static final int KEY_BYTES_MAX = RecordFormat.KEY_BYTES_MAX;
    /** The size at which the active segment rotates, by default: 64 MiB. */
    public static final long SEGMENT_BYTES_DEFAULT = 16L * 1024 * 1024;
    /** The smallest {@link Builder#segmentBytes} allowed: 4 KiB. */
    public static final long SEGMENT_BYTES_MIN = 4 * 1024;
    /** The largest {@link Builder#segmentBytes} allowed: 1 TiB. */
    public static final long SEGMENT_BYTES_MAX = 1L << 40;
    /** The recovery reader's window by default: 1 MiB. */
    public static final int READ_WINDOW_BYTES_DEFAULT = 1024 * 1024;
    /** The smallest {@link Builder#readWindowBytes} allowed: 4 KiB. */
    public static final int READ_WINDOW_BYTES_MIN = 4 * 1024;
    /** The largest {@link Builder#readWindowBytes} allowed: 64 MiB. */
    public static final int READ_WINDOW_BYTES_MAX = 64 * 1024 * 1024;

    /** How often {@link Durability#BACKGROUND} writes are synced, by default: every 50 ms. */
    public static final long SYNC_INTERVAL_MS_DEFAULT = 50;
    /** The shortest {@link Builder#syncIntervalMs} allowed. */
    public static final long SYNC_INTERVAL_MS_MIN = 1;
    /** The longest {@link Builder#syncIntervalMs} allowed: one minute. */
    public static final long SYNC_INTERVAL_MS_MAX = 60_000;
    /** Compact automatically once the log is this many times the live data; 0 turns it off. */
    public static final double COMPACTION_RATIO_DEFAULT = 4.0;
    /** The smallest non-zero {@link Builder#compactionRatio} allowed. */
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
    private final boolean backgroundIndexing;

    private WalnutOptions(Builder b) {
        this.backgroundIndexing = b.backgroundIndexing;
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

    /**
     * A builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults: {@link RecoveryPolicy#TOLERATE_TORN_TAIL}, {@link Durability#SYNC}, compression
     * on, and the limits' {@code _DEFAULT} constants. Each call draws new random seeds
     * ({@link SecureRandom}).
     *
     * @return new default options
     */
    public static WalnutOptions defaults() {
        return builder().build();
    }

    /**
     * A builder holding these options, to change some of them. It keeps this instance's seeds, so
     * options built from it use the same seed and hash key.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return builder().recoveryPolicy(recoveryPolicy).maxRecordBytes(maxRecordBytes).segmentBytes(segmentBytes)
                .readWindowBytes(readWindowBytes).compression(compression).seed(seed).durability(durability)
                .syncIntervalMs(syncIntervalMs).compactionRatio(compactionRatio).hashSeed(hashSeed)
                .backgroundIndexing(backgroundIndexing);
    }

    /**
     * Whether the background thread writes each sealed segment's index file after a rotation.
     *
     * @return true unless turned off; then only {@link Walnut#writeIndexFiles()} writes them
     */
    public boolean backgroundIndexing() {
        return backgroundIndexing;
    }

    /**
     * The durability of writes that do not name one.
     *
     * @return the default durability
     */
    public Durability durability() {
        return durability;
    }

    /**
     * How often {@link Durability#BACKGROUND} writes are synced.
     *
     * @return the interval, in milliseconds
     */
    public long syncIntervalMs() {
        return syncIntervalMs;
    }

    /**
     * Log bytes over live bytes that triggers an automatic compaction; 0 when off.
     *
     * @return the ratio, 0 or at least {@link #COMPACTION_RATIO_MIN}
     */
    public double compactionRatio() {
        return compactionRatio;
    }

    /**
     * What an open does with damage it finds.
     *
     * @return the policy
     */
    public RecoveryPolicy recoveryPolicy() {
        return recoveryPolicy;
    }

    /**
     * The largest record, header included, this store writes; recovery allocates nothing larger
     * from a length it reads.
     *
     * @return bytes
     */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /**
     * The size at which the active segment rotates.
     *
     * @return bytes
     */
    public long segmentBytes() {
        return segmentBytes;
    }

    /**
     * The recovery reader's window: one positional read fills it.
     *
     * @return bytes
     */
    public int readWindowBytes() {
        return readWindowBytes;
    }

    /**
     * Whether record bodies are LZ4-compressed when that saves at least an eighth.
     *
     * @return true if compression is on
     */
    public boolean compression() {
        return compression;
    }

    /**
     * The seed of every random choice the store makes (segment salts).
     *
     * @return the seed: the one set, or a random one
     */
    public long seed() {
        return seed;
    }

    /**
     * The key of the index's hash, held in memory only. Independent of {@link #seed()} (random)
     * unless a seed was set, in which case it derives from it, so that a seeded run is reproducible;
     * an explicit seed is for tests and simulations: its salts on disk reveal it, and so the hash key.
     *
     * @return the hash key
     */
    public long hashSeed() {
        return hashSeed;
    }

    /** Sets options one by one; each setter checks its value at once. Not thread-safe. */
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
        private boolean backgroundIndexing = true;

        private Builder() {
        }

        /**
         * Sets the durability of writes that do not name one.
         *
         * @param durability default {@link Durability#SYNC}
         * @return this builder
         * @throws NullPointerException if {@code durability} is null
         */
        public Builder durability(Durability durability) {
            this.durability = java.util.Objects.requireNonNull(durability, "durability");
            return this;
        }

        /**
         * Sets how often {@link Durability#BACKGROUND} writes are synced (one fsync per interval
         * that had such writes, none otherwise).
         *
         * @param intervalMs {@link #SYNC_INTERVAL_MS_MIN} to {@link #SYNC_INTERVAL_MS_MAX};
         *                   default {@link #SYNC_INTERVAL_MS_DEFAULT}
         * @return this builder
         * @throws IllegalArgumentException if {@code intervalMs} is out of range
         */
        public Builder syncIntervalMs(long intervalMs) {
            this.syncIntervalMs = check("syncIntervalMs", intervalMs, SYNC_INTERVAL_MS_MIN, SYNC_INTERVAL_MS_MAX);
            return this;
        }

        /**
         * Whether the background thread writes the index file of each segment once it is sealed (on
         * by default), so the next open reads keys and locations instead of the segment's records.
         * Off, index files are written only by {@link Walnut#writeIndexFiles()} and by compaction
         * (its base's): for callers that want every I/O on their own thread, such as a
         * deterministic simulation.
         *
         * @param on true to write them in the background
         * @return this builder
         */
        public Builder backgroundIndexing(boolean on) {
            this.backgroundIndexing = on;
            return this;
        }

        /**
         * Compact automatically once the log is {@code ratio} times the live data (and at least twice
         * {@link #segmentBytes} long), or has more than {@link Walnut#SEGMENTS_COMPACTION_TRIGGER} segments that are on
         * average less than half full (each open leaves one); 0 turns automatic compaction off.
         *
         * @param ratio 0, or at least {@link #COMPACTION_RATIO_MIN}; default {@link #COMPACTION_RATIO_DEFAULT}
         * @return this builder
         * @throws IllegalArgumentException if {@code ratio} is neither 0 nor at least the minimum (NaN included)
         */
        public Builder compactionRatio(double ratio) {
            if (ratio != 0 && !(ratio >= COMPACTION_RATIO_MIN)) {
                throw new IllegalArgumentException("compactionRatio out of range: actual=" + ratio + " allowed=0 (off)"
                        + " or >= " + COMPACTION_RATIO_MIN);
            }
            this.compactionRatio = ratio;
            return this;
        }

        /**
         * Sets what an open does with damage it finds.
         *
         * @param policy default {@link RecoveryPolicy#TOLERATE_TORN_TAIL}
         * @return this builder
         * @throws NullPointerException if {@code policy} is null
         */
        public Builder recoveryPolicy(RecoveryPolicy policy) {
            this.recoveryPolicy = java.util.Objects.requireNonNull(policy, "recoveryPolicy");
            return this;
        }

        /**
         * Sets the largest record, header included; it also bounds the largest batch and value. A
         * segment records its writer's limit, so a store reopened with a smaller one still reads
         * the larger records written before.
         *
         * @param bytes {@link #MAX_RECORD_BYTES_MIN} to {@link #MAX_RECORD_BYTES_MAX};
         *              default {@link #MAX_RECORD_BYTES_DEFAULT}
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is out of range
         */
        public Builder maxRecordBytes(int bytes) {
            this.maxRecordBytes = (int) check("maxRecordBytes", bytes, RecordFormat.RECORD_BYTES_LIMIT_MIN,
                    RecordFormat.RECORD_BYTES_LIMIT_MAX);
            return this;
        }

        /**
         * Sets the size at which the active segment rotates (before the next commit group; a
         * rotation costs up to three fsyncs: the full segment, the new header, the directory).
         *
         * @param bytes {@link #SEGMENT_BYTES_MIN} to {@link #SEGMENT_BYTES_MAX}; default {@link #SEGMENT_BYTES_DEFAULT}
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is out of range
         */
        public Builder segmentBytes(long bytes) {
            this.segmentBytes = check("segmentBytes", bytes, SEGMENT_BYTES_MIN, SEGMENT_BYTES_MAX);
            return this;
        }

        /**
         * Sets the recovery reader's window: one positional read fills it, so a larger window
         * means fewer reads and more memory during open (one direct buffer of this size).
         *
         * @param bytes {@link #READ_WINDOW_BYTES_MIN} to {@link #READ_WINDOW_BYTES_MAX};
         *              default {@link #READ_WINDOW_BYTES_DEFAULT}
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is out of range
         */
        public Builder readWindowBytes(int bytes) {
            this.readWindowBytes = (int) check("readWindowBytes", bytes, READ_WINDOW_BYTES_MIN, READ_WINDOW_BYTES_MAX);
            return this;
        }

        /**
         * Sets whether record bodies are LZ4-compressed when that saves at least an eighth (CPU on
         * every write for less I/O). Reading compressed records needs no setting.
         *
         * @param enabled default true
         * @return this builder
         */
        public Builder compression(boolean enabled) {
            this.compression = enabled;
            return this;
        }

        /** Carries a hash key across {@link WalnutOptions#toBuilder()}; not for users. */
        private Builder hashSeed(long hashSeed) {
            this.hashSeed = hashSeed;
            return this;
        }

        /**
         * Fixes the seed of the store's random choices, for reproducible files and simulation.
         * Without it the seed is random, and so is the index's hash key; with it the hash key
         * derives from it (see {@link WalnutOptions#hashSeed()}).
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the options; draws random seeds ({@link SecureRandom}) for those not set.
         *
         * @return new options
         */
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
