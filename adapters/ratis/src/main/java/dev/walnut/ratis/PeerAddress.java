package dev.walnut.ratis;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One member of a replication group: its id and the host and port its Raft service listens on.
 * The host is explicit: a wildcard ({@code 0.0.0.0}, {@code ::}) is accepted only when the
 * configuration says so ({@link ReplicationConfig.Builder#allowWildcardListen}).
 */
public record PeerAddress(String id, String host, int port) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    public static final int PORT_MIN = 1;
    public static final int PORT_MAX = 65_535;

    public PeerAddress {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(host, "host");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("peer id must be 1..64 of [A-Za-z0-9_-]: actual=" + id);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("peer host is empty: id=" + id);
        }
        if (port < PORT_MIN || port > PORT_MAX) {
            throw new IllegalArgumentException("peer port out of range: id=" + id + " actual=" + port
                    + " allowed=[" + PORT_MIN + ", " + PORT_MAX + "]");
        }
    }

    /** Parses {@code id=host:port}; an IPv6 host goes in brackets: {@code n1=[::1]:9001}. */
    public static PeerAddress parse(String text) {
        int eq = text.indexOf('=');
        int colon = text.lastIndexOf(':');
        if (eq <= 0 || colon < eq + 2 || colon == text.length() - 1) {
            throw new IllegalArgumentException("peer must be id=host:port: actual=" + text);
        }
        String host = text.substring(eq + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer port is not a number: actual=" + text, e);
        }
        return new PeerAddress(text.substring(0, eq), host, port);
    }

    boolean isWildcard() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("*");
    }

    /** The {@code host:port} form Ratis takes, brackets around an IPv6 literal. */
    String hostPort() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return id + "=" + hostPort();
    }
}
