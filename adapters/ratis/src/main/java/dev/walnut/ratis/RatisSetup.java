package dev.walnut.ratis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** Turns a {@link ReplicationConfig} into Ratis' properties, parameters and group. */
final class RatisSetup {

    /** Snapshots kept on disk: the newest may be streaming to a follower while the next is taken. */
    static final int SNAPSHOTS_RETAINED = 2;
    /** One attempt of a client request; the whole call is bounded by the write timeout. */
    static final long REQUEST_TIMEOUT_MS_MAX = 3_000;
    static final long RETRY_SLEEP_MS = 100;

    private RatisSetup() {
    }

    static RaftGroup group(ReplicationConfig config) {
        UUID uuid = UUID.nameUUIDFromBytes(("walnut-ratis:" + config.groupName()).getBytes(StandardCharsets.UTF_8));
        List<RaftPeer> peers = config.peers().stream().map(RatisSetup::peer).toList();
        return RaftGroup.valueOf(RaftGroupId.valueOf(uuid), peers);
    }

    static RaftPeer peer(PeerAddress p) {
        return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(p.id())).setAddress(p.hostPort()).build();
    }

    static RaftProperties serverProperties(ReplicationConfig config) {
        RaftProperties props = clientProperties(config);
        RaftServerConfigKeys.setStorageDir(props, List.of(config.directory().resolve("raft").toFile()));
        GrpcConfigKeys.Server.setHost(props, config.self().host());
        GrpcConfigKeys.Server.setPort(props, config.self().port());
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, millis(config.electionTimeoutMin().toMillis()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, millis(config.electionTimeoutMax().toMillis()));
        // Linearizable reads go through the leader's read index, not its possibly stale state.
        RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setTimeout(props, millis(config.writeTimeout().toMillis()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
        // No checkpoint at every stop: the store is sealed and synced by close, and the entries
        // Ratis replays at the next start are recognised by the stored applied index and skipped.
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(props, false);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, config.snapshotEveryEntries());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, SNAPSHOTS_RETAINED);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
        // Ratis would log the commit index as an extra entry after each commit: a second log
        // fsync per write. Without it a restarted node learns the commit index from the leader.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(props, false);
        RaftServerConfigKeys.Log.setPurgeGap(props, (int) Math.min(1024, config.snapshotEveryEntries()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(props, SizeInBytes.valueOf(config.logSegmentBytes()));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(props, true);
        return props;
    }

    static RaftProperties clientProperties(ReplicationConfig config) {
        RaftProperties props = new RaftProperties();
        RaftConfigKeys.Rpc.setType(props, SupportedRpcType.GRPC);
        long requestMs = Math.min(REQUEST_TIMEOUT_MS_MAX, config.writeTimeout().toMillis());
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, millis(requestMs));
        return props;
    }

    static Parameters parameters(ReplicationConfig config) {
        Parameters params = new Parameters();
        TlsIdentity tls = config.tls();
        if (tls != null) {
            GrpcConfigKeys.TLS.setConf(params, new GrpcTlsConfig(tls.keyManager(), tls.trustManager(), true));
        }
        return params;
    }

    static TimeDuration millis(long ms) {
        return TimeDuration.valueOf(ms, TimeUnit.MILLISECONDS);
    }
}
