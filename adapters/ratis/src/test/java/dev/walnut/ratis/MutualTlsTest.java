package dev.walnut.ratis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on every Raft connection: certificates are made at test time with the JDK's keytool.
 * The group's nodes and client share a cluster certificate; a rogue peer has its own.
 */
class MutualTlsTest {

    static final String PASSWORD = "walnut-test";
    static final Duration TIMEOUT = Duration.ofSeconds(4);
    /** How long the rogue node is watched for entries it must never receive. */
    static final Duration ROGUE_WATCH = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void peerWithoutTheClusterCertificateCanNeitherJoinNorWrite() throws Exception {
        keytool("-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=walnut-cluster", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", p("cluster.p12"), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=walnut-rogue", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", p("rogue.p12"), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "node", "-keystore", p("cluster.p12"), "-storepass", PASSWORD,
                "-file", p("cluster.crt"));
        keytool("-importcert", "-noprompt", "-alias", "cluster", "-file", p("cluster.crt"),
                "-storetype", "PKCS12", "-keystore", p("trust.p12"), "-storepass", PASSWORD);
        TlsIdentity cluster = identity("cluster.p12");
        TlsIdentity rogue = identity("rogue.p12");

        List<PeerAddress> peers = LoopbackPorts.peers(3);
        List<ReplicatedWalnut> nodes = new ArrayList<>();
        for (PeerAddress p : peers) {
            nodes.add(node(peers, p.id(), "good-" + p.id(), cluster));
        }
        ReplicatedClient good = client(peers, cluster);
        good.put(bytes("k1"), bytes("v1"));
        assertArrayEquals(bytes("v1"), good.get(bytes("k1")));

        ReplicatedClient impostor = client(peers, rogue);
        assertThrows(IOException.class, () -> impostor.put(bytes("rogue-write"), bytes("x")));
        ReplicatedClient plaintext = client(peers, null);
        assertThrows(IOException.class, () -> plaintext.put(bytes("plaintext-write"), bytes("x")));

        // A rogue server takes n3's place (same id and address, its own certificate) and tries to join.
        ReplicatedWalnut n3 = nodes.get(2);
        open.remove(n3);
        n3.close();
        ReplicatedWalnut rogueNode = node(peers, "n3", "rogue-n3", rogue);
        for (int i = 0; i < 20; i++) {
            good.put(bytes("after-" + i), bytes("v" + i));
        }
        long deadline = System.nanoTime() + ROGUE_WATCH.toNanos();
        while (System.nanoTime() < deadline) {
            assertNull(rogueNode.stateMachine().storeApplied(), "the rogue node received entries");
            Thread.sleep(Await.POLL_MS);
        }
        assertNull(rogueNode.getStale(bytes("k1")));
        for (String id : List.of("n1", "n2")) {
            assertNull(good.getStale(bytes("rogue-write"), id), "rogue write applied on " + id);
            assertNull(good.getStale(bytes("plaintext-write"), id), "plaintext write applied on " + id);
            assertArrayEquals(bytes("v19"), good.getStale(bytes("after-19"), id));
        }
        assertEquals(false, rogueNode.isLeader());
    }

    private ReplicatedWalnut node(List<PeerAddress> peers, String id, String dirName, TlsIdentity tls)
            throws IOException {
        ReplicatedWalnut n = ReplicatedWalnut.open(ReplicationConfig.builder(peers).node(dir.resolve(dirName), id)
                .electionTimeout(Duration.ofMillis(500), Duration.ofMillis(1000)).writeTimeout(Duration.ofSeconds(20))
                .tls(tls).build());
        open.add(n);
        return n;
    }

    private ReplicatedClient client(List<PeerAddress> peers, TlsIdentity tls) {
        ReplicatedClient c = new ReplicatedClient(ReplicationConfig.builder(peers).writeTimeout(TIMEOUT).tls(tls).build());
        open.add(c);
        return c;
    }

    private TlsIdentity identity(String keyStore) throws IOException {
        return TlsIdentity.fromPkcs12(dir.resolve(keyStore), PASSWORD.toCharArray(), dir.resolve("trust.p12"),
                PASSWORD.toCharArray());
    }

    private String p(String name) {
        return dir.resolve(name).toString();
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + output);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
