package dev.walnut.cli;

import dev.walnut.ratis.PeerAddress;
import dev.walnut.ratis.ReplicatedWalnut;
import dev.walnut.ratis.ReplicationConfig;
import dev.walnut.ratis.TlsIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one node of a replicated Walnut group until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run one node of a replicated Walnut group (Raft, on Apache Ratis) until stopped.",
                "The Raft port must be on a trusted network, or use --tls-* for mutual TLS."})
final class ServeCommand implements Callable<Integer> {

    private final Console console;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "This node's data directory.")
    Path directory;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "This node's id: one of --peers.")
    String id;

    @Option(names = "--peers", required = true, paramLabel = "ID=HOST:PORT,...", split = ",",
            description = "Every member of the group, this node included; it listens on its own HOST:PORT.")
    List<String> peers;

    @Option(names = "--allow-wildcard-listen", description = "Allow this node's HOST to be 0.0.0.0 or ::.")
    boolean allowWildcard;

    @Option(names = "--election-timeout-ms", paramLabel = "MIN,MAX", split = ",",
            description = "Raft election timeout range in ms (default: 1000,2000).")
    List<Long> electionMs;

    @Option(names = "--tls-key-store", paramLabel = "P12", description = "PKCS#12 with this node's key and certificate.")
    Path keyStore;

    @Option(names = "--tls-trust-store", paramLabel = "P12", description = "PKCS#12 with the certificates to trust.")
    Path trustStore;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "File holding both stores' password.")
    Path passwordFile;

    ServeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        ReplicationConfig config = config();
        ReplicatedWalnut node = ReplicatedWalnut.open(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (IOException e) {
                console.err().println("walnut serve: close failed: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "walnut-serve-shutdown"));
        console.out().println("serve: node " + id + " listening on " + config.self() + " in a group of "
                + config.peers().size() + (config.tls() == null ? " (plaintext: trusted network only)" : " (mutual TLS)"));
        console.out().println("READY " + id);
        console.out().flush();
        stopped.await();
        return ExitCode.OK;
    }

    private ReplicationConfig config() throws IOException {
        List<PeerAddress> group;
        try {
            group = peers.stream().map(PeerAddress::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        ReplicationConfig.Builder b;
        try {
            b = ReplicationConfig.builder(group).node(directory, id).allowWildcardListen(allowWildcard);
            if (electionMs != null) {
                if (electionMs.size() != 2) {
                    throw new IllegalArgumentException("--election-timeout-ms takes MIN,MAX: actual=" + electionMs);
                }
                b.electionTimeout(Duration.ofMillis(electionMs.get(0)), Duration.ofMillis(electionMs.get(1)));
            }
            b.tls(tls());
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
    }

    private TlsIdentity tls() throws IOException {
        if (keyStore == null && trustStore == null) {
            return null;
        }
        if (keyStore == null || trustStore == null || passwordFile == null) {
            throw new IllegalArgumentException("mutual TLS needs --tls-key-store, --tls-trust-store and"
                    + " --tls-password-file together");
        }
        char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
        try {
            return TlsIdentity.fromPkcs12(keyStore, password, trustStore, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
