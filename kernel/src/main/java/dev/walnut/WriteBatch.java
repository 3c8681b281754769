package dev.walnut;

import dev.walnut.format.RecordFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Puts and deletes applied atomically: after a crash, either every operation of a batch is there
 * or none is. Keys and values are copied when added, so the caller may reuse its arrays; a batch
 * holds its operations on the heap until it is written, and the whole batch must fit in one
 * record ({@link WalnutOptions#maxRecordBytes()}), which {@link Walnut#write} checks. Operations
 * apply in the order added, so a later put or delete of a key wins over an earlier one.
 * Not thread-safe; build it in one thread and hand it to {@link Walnut#write}.
 */
public final class WriteBatch {

    /**
     * One operation; {@code value} is null for a delete. The arrays are the batch's own copies: do
     * not change them.
     *
     * @param kind  the operation's type byte in the log format: put or delete (see {@link #isPut()})
     * @param key   the key
     * @param value the value of a put, null for a delete
     */
    public record Op(byte kind, byte[] key, byte[] value) {
        /**
         * Whether this operation is a put.
         *
         * @return true for a put, false for a delete
         */
        public boolean isPut() {
            return kind == RecordFormat.OP_PUT;
        }
    }

    private final List<Op> ops = new ArrayList<>();
    private long payloadBytes;

    /**
     * Creates an empty batch. (Written out only so that it has a comment: doclint on JDK 25 flags
     * the implicit default constructor.)
     */
    public WriteBatch() {
    }

    /**
     * Adds a put of {@code value} under {@code key}; copies both.
     *
     * @param key   1 to {@link WalnutOptions#KEY_BYTES_MAX} bytes
     * @param value the value; may be empty
     * @return this batch, for chaining
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalArgumentException if {@code key} is empty or longer than {@link WalnutOptions#KEY_BYTES_MAX}
     */
    public WriteBatch put(byte[] key, byte[] value) {
        checkKey(key);
        Objects.requireNonNull(value, "value");
        ops.add(new Op(RecordFormat.OP_PUT, key.clone(), value.clone()));
        payloadBytes += key.length + value.length + 11L;
        return this;
    }

    /**
     * Adds a delete of {@code key}; copies it. Deleting an absent key is allowed and changes nothing.
     *
     * @param key 1 to {@link WalnutOptions#KEY_BYTES_MAX} bytes
     * @return this batch, for chaining
     * @throws NullPointerException if {@code key} is null
     * @throws IllegalArgumentException if {@code key} is empty or longer than {@link WalnutOptions#KEY_BYTES_MAX}
     */
    public WriteBatch delete(byte[] key) {
        checkKey(key);
        ops.add(new Op(RecordFormat.OP_DELETE, key.clone(), null));
        payloadBytes += key.length + 6L;
        return this;
    }

    /**
     * The number of operations added.
     *
     * @return puts plus deletes
     */
    public int size() {
        return ops.size();
    }

    /**
     * Whether no operation was added; {@link Walnut#write} refuses an empty batch.
     *
     * @return true if {@link #size()} is 0
     */
    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /**
     * An upper bound of the encoded body size, before compression; cheap (kept as operations are added).
     *
     * @return bytes
     */
    public long estimatedBytes() {
        return payloadBytes + 5;
    }

    /**
     * The operations in the order added.
     *
     * @return an unmodifiable view, not a copy: it shows operations added later
     */
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
