package dev.walnut.ratis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A node's (or client's) side of mutual TLS: the key and certificate it presents, and the
 * certificates it trusts. Every Raft connection, server to server and client to server, then
 * requires a certificate the other side trusts: a peer without one can neither join nor write.
 */
public final class TlsIdentity {

    private final KeyManager keyManager;
    private final TrustManager trustManager;

    public TlsIdentity(KeyManager keyManager, TrustManager trustManager) {
        this.keyManager = Objects.requireNonNull(keyManager, "keyManager");
        this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
    }

    /** Reads a PKCS#12 key store (this node's key and certificate) and a PKCS#12 trust store. */
    public static TlsIdentity fromPkcs12(Path keyStore, char[] keyPassword, Path trustStore, char[] trustPassword)
            throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore, keyPassword), keyPassword);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore, trustPassword));
            return new TlsIdentity(kmf.getKeyManagers()[0], tmf.getTrustManagers()[0]);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read TLS key or trust store: keyStore=" + keyStore + " trustStore="
                    + trustStore + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            ks.load(in, password);
        }
        return ks;
    }

    KeyManager keyManager() {
        return keyManager;
    }

    TrustManager trustManager() {
        return trustManager;
    }
}
