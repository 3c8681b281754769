package dev.walnut.ratis;

import java.io.IOException;

/**
 * A write (or linearizable read) that the group did not acknowledge in time, typically because a
 * majority of nodes is unreachable. For a write the outcome is in doubt, as for any write whose
 * acknowledgement was lost: it was not committed when the timeout fired, and it is applied later
 * only if Raft still commits it (the leader that took it stays leader until a majority is back);
 * if a majority elects a leader that never saw it, it is never applied. Read the key to know.
 */
public final class ReplicationTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    public ReplicationTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
