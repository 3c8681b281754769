package dev.walnut.ratis;

import java.time.Duration;

/** Polls a condition until it holds or a deadline passes; the deadline is a failure (TimeoutException), never a pass. */
public final class Await {

    static final long POLL_MS = 50;

    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(POLL_MS);
        }
        java.util.concurrent.TimeoutException failure = new java.util.concurrent.TimeoutException("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
        if (last != null) {
            failure.initCause(last);
        }
        throw failure;
    }
}
