package dev.walnut.ratis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ports for test nodes on loopback. The kernel picks each one (bind to port 0 on 127.0.0.1), so
 * it is free at that moment and outside any fixed range another test could use; a port is never
 * handed out twice in one JVM. Nodes keep their port across restarts, as peers address them by it.
 */
public final class LoopbackPorts {

    public static final String HOST = "127.0.0.1";
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private LoopbackPorts() {
    }

    public static synchronized List<Integer> take(int count) throws IOException {
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < count) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    ports.add(s.getLocalPort());
                }
            }
        }
        return ports;
    }

    /** Peers n1..nCount on fresh loopback ports. */
    public static List<PeerAddress> peers(int count) throws IOException {
        List<Integer> ports = take(count);
        List<PeerAddress> peers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            peers.add(new PeerAddress("n" + (i + 1), HOST, ports.get(i)));
        }
        return peers;
    }
}
