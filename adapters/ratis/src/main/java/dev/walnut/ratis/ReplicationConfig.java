package dev.walnut.ratis;

import dev.walnut.WalnutOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a replicated node or client needs: where its data lives, who it is, who the group
 * is, and its timeouts. Build with {@link #builder}; every value is checked there.
 */
public final class ReplicationConfig {

    public static final Duration WRITE_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    public static final Duration ELECTION_TIMEOUT_MIN_DEFAULT = Duration.ofMillis(1_000);
    public static final Duration ELECTION_TIMEOUT_MAX_DEFAULT = Duration.ofMillis(2_000);
    /** A snapshot (Walnut checkpoint) is taken after this many entries; the log is purged up to it. */
    public static final long SNAPSHOT_EVERY_ENTRIES_DEFAULT = 100_000;
    public static final long LOG_SEGMENT_BYTES_DEFAULT = 8L * 1024 * 1024;
    public static final long LOG_SEGMENT_BYTES_MIN = 16 * 1024;
    public static final int PEERS_MAX = 15;

    private final Path directory;
    private final PeerAddress self;
    private final List<PeerAddress> peers;
    private final String groupName;
    private final WalnutOptions storeOptions;
    private final Duration writeTimeout;
    private final Duration electionTimeoutMin;
    private final Duration electionTimeoutMax;
    private final long snapshotEveryEntries;
    private final long logSegmentBytes;
    private final TlsIdentity tls;

    private ReplicationConfig(Builder b) {
        this.directory = b.directory;
        this.self = b.self;
        this.peers = List.copyOf(b.peers);
        this.groupName = b.groupName;
        this.storeOptions = b.storeOptions;
        this.writeTimeout = b.writeTimeout;
        this.electionTimeoutMin = b.electionTimeoutMin;
        this.electionTimeoutMax = b.electionTimeoutMax;
        this.snapshotEveryEntries = b.snapshotEveryEntries;
        this.logSegmentBytes = b.logSegmentBytes;
        this.tls = b.tls;
    }

    public static Builder builder(List<PeerAddress> peers) {
        return new Builder(peers);
    }

    /** The node's data directory (null for a client-only configuration). */
    public Path directory() {
        return directory;
    }

    /** This node (null for a client-only configuration). */
    public PeerAddress self() {
        return self;
    }

    public List<PeerAddress> peers() {
        return peers;
    }

    public String groupName() {
        return groupName;
    }

    public WalnutOptions storeOptions() {
        return storeOptions;
    }

    /** How long a write or linearizable read waits before it fails with {@link ReplicationTimeoutException}. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    public Duration electionTimeoutMin() {
        return electionTimeoutMin;
    }

    public Duration electionTimeoutMax() {
        return electionTimeoutMax;
    }

    public long snapshotEveryEntries() {
        return snapshotEveryEntries;
    }

    public long logSegmentBytes() {
        return logSegmentBytes;
    }

    /** Mutual TLS for every Raft connection, or null for plaintext (trusted networks only). */
    public TlsIdentity tls() {
        return tls;
    }

    public static final class Builder {
        private final List<PeerAddress> peers;
        private Path directory;
        private PeerAddress self;
        private boolean allowWildcardListen;
        private String groupName = "walnut";
        private WalnutOptions storeOptions = WalnutOptions.defaults();
        private Duration writeTimeout = WRITE_TIMEOUT_DEFAULT;
        private Duration electionTimeoutMin = ELECTION_TIMEOUT_MIN_DEFAULT;
        private Duration electionTimeoutMax = ELECTION_TIMEOUT_MAX_DEFAULT;
        private long snapshotEveryEntries = SNAPSHOT_EVERY_ENTRIES_DEFAULT;
        private long logSegmentBytes = LOG_SEGMENT_BYTES_DEFAULT;
        private TlsIdentity tls;

        private Builder(List<PeerAddress> peers) {
            Objects.requireNonNull(peers, "peers");
            if (peers.isEmpty() || peers.size() > PEERS_MAX) {
                throw new IllegalArgumentException("peers out of range: actual=" + peers.size() + " allowed=[1, "
                        + PEERS_MAX + "]");
            }
            if (peers.stream().map(PeerAddress::id).distinct().count() != peers.size()) {
                throw new IllegalArgumentException("peer ids must be distinct: peers=" + peers);
            }
            this.peers = List.copyOf(peers);
        }

        /** Makes this a node: its data directory and which of the peers it is. */
        public Builder node(Path directory, String selfId) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.self = peers.stream().filter(p -> p.id().equals(selfId)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("self is not among the peers: self=" + selfId + " peers=" + peers));
            return this;
        }

        /** Lets this node listen on a wildcard address; without it such an address is refused. */
        public Builder allowWildcardListen(boolean allow) {
            this.allowWildcardListen = allow;
            return this;
        }

        public Builder groupName(String name) {
            this.groupName = Objects.requireNonNull(name, "groupName");
            return this;
        }

        public Builder storeOptions(WalnutOptions options) {
            this.storeOptions = Objects.requireNonNull(options, "storeOptions");
            return this;
        }

        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = positive("writeTimeout", timeout);
            return this;
        }

        public Builder electionTimeout(Duration min, Duration max) {
            positive("electionTimeoutMin", min);
            if (max.compareTo(min) <= 0) {
                throw new IllegalArgumentException("electionTimeoutMax must exceed electionTimeoutMin: min=" + min
                        + " max=" + max);
            }
            this.electionTimeoutMin = min;
            this.electionTimeoutMax = max;
            return this;
        }

        public Builder snapshotEveryEntries(long entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("snapshotEveryEntries out of range: actual=" + entries + " min=1");
            }
            this.snapshotEveryEntries = entries;
            return this;
        }

        public Builder logSegmentBytes(long bytes) {
            if (bytes < LOG_SEGMENT_BYTES_MIN) {
                throw new IllegalArgumentException("logSegmentBytes out of range: actual=" + bytes + " min="
                        + LOG_SEGMENT_BYTES_MIN);
            }
            this.logSegmentBytes = bytes;
            return this;
        }

        public Builder tls(TlsIdentity identity) {
            this.tls = identity;
            return this;
        }

        public ReplicationConfig build() {
            if (self != null && self.isWildcard() && !allowWildcardListen) {
                throw new IllegalArgumentException("refusing to listen on a wildcard address: self=" + self
                        + " (name an interface address, or allow wildcard listening explicitly)");
            }
            return new ReplicationConfig(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: actual=" + d);
            }
            return d;
        }
    }
}
