package dev.walnut;

import dev.walnut.format.RecordFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Puts and deletes applied atomically: after a crash, either every operation of a batch is there
 * or none is. Keys and values are copied when added, so the caller may reuse its arrays.
 * Not thread-safe; build it in one thread and hand it to {@link Walnut#write}.
 */
public final class WriteBatch {

    /** One operation; {@code value} is null for a delete. */
    public record Op(byte kind, byte[] key, byte[] value) {
        public boolean isPut() {
            return kind == RecordFormat.OP_PUT;
        }
    }

    private final List<Op> ops = new ArrayList<>();
    private long payloadBytes;

    public WriteBatch put(byte[] key, byte[] value) {
        checkKey(key);
        Objects.requireNonNull(value, "value");
        ops.add(new Op(RecordFormat.OP_PUT, key.clone(), value.clone()));
        payloadBytes += key.length + value.length + 11L;
        return this;
    }

    public WriteBatch delete(byte[] key) {
        checkKey(key);
        ops.add(new Op(RecordFormat.OP_DELETE, key.clone(), null));
        payloadBytes += key.length + 6L;
        return this;
    }

    public int size() {
        return ops.size();
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /** An upper bound of the encoded body size, before compression. */
    public long estimatedBytes() {
        return payloadBytes + 5;
    }

    public List<Op> ops() {
        return Collections.unmodifiableList(ops);
    }

    static void checkKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("empty key: keys must have 1.." + RecordFormat.KEY_BYTES_MAX + " bytes");
        }
        if (key.length > RecordFormat.KEY_BYTES_MAX) {
            throw new IllegalArgumentException("key too large: keyBytes=" + key.length + " max="
                    + RecordFormat.KEY_BYTES_MAX);
        }
    }
}
