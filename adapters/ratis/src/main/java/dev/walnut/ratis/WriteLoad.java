package dev.walnut.ratis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client threads putting distinct keys ({@code <prefix><thread>-<seq>}) until closed, recording
 * every acknowledged key and value: what a kill test, the demo or a benchmark must find on every
 * node afterwards. A write that fails is in doubt and not recorded.
 */
public final class WriteLoad implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, byte[]> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong acks = new AtomicLong();

    public WriteLoad(ReplicatedClient client, String prefix, int threadCount) {
        for (int t = 0; t < threadCount; t++) {
            String keyPrefix = prefix + t + "-";
            Thread thread = new Thread(() -> run(client, keyPrefix), "write-load-" + t);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(ReplicatedClient client, String keyPrefix) {
        for (long seq = 0; !stop.get(); seq++) {
            String key = keyPrefix + seq;
            byte[] value = ("value-" + seq).getBytes(StandardCharsets.UTF_8);
            try {
                client.put(key.getBytes(StandardCharsets.UTF_8), value);
                acknowledged.put(key, value);
                acks.incrementAndGet();
            } catch (IOException inDoubt) {
                // Not acknowledged: it may or may not be applied; only acknowledged writes are checked.
            }
        }
    }

    /** Writes acknowledged so far. */
    public long acks() {
        return acks.get();
    }

    /** Every acknowledged key (UTF-8) and its value; a live view while the load runs. */
    public Map<String, byte[]> acknowledged() {
        return acknowledged;
    }

    /** Stops the threads after their current write. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
    }
}
