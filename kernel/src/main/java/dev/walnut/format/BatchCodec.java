package dev.walnut.format;

import static dev.walnut.format.RecordFormat.KEY_BYTES_MAX;
import static dev.walnut.format.RecordFormat.OP_DELETE;
import static dev.walnut.format.RecordFormat.OP_PUT;

import dev.walnut.WriteBatch;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Decodes a record body (a batch) and sizes one for the encoder in {@link RecordCodec}; layout in
 * {@link RecordFormat}. A put's value is a {@link ValueCell}, addressable alone.
 */
public final class BatchCodec {

    /** Receives decoded operations; keys are fresh arrays the receiver may keep. */
    public interface OpSink {
        /**
         * A put whose value is the cell at {@code cellStart} of {@code body} (valid during the call).
         * {@link ValueCell#valueIn} gives the value's bytes when the receiver needs them.
         */
        void put(byte[] key, ByteBuffer body, int cellStart, int cellBytes, int valueLength)
                throws MalformedRecordException;

        void delete(byte[] key);

        /**
         * Replay of data file {@code name} (a segment or a base) begins; the ops that follow come
         * from it. For receivers that locate values on disk; the default ignores it.
         */
        default void file(String name) throws java.io.IOException {
        }

        /**
         * The next record's body starts at {@code bodyFileOffset} of the current file and at
         * position {@code bodyPosition} of the buffers {@link #put} receives; the default ignores it.
         */
        default void body(long bodyFileOffset, int bodyPosition) {
        }
    }

    private BatchCodec() {
    }

    /** An upper bound of the encoded body: values are counted uncompressed. */
    public static long encodedBytesMax(List<WriteBatch.Op> ops) {
        long total = Varints.bytes32(ops.size());
        for (WriteBatch.Op op : ops) {
            total += 1 + Varints.bytes32(op.key().length) + op.key().length;
            if (op.isPut()) {
                total += ValueCell.cellBytesMax(op.value().length);
            }
        }
        return total;
    }

    /**
     * Checks a body without allocating: every later {@link #decode} of it succeeds, so a batch is
     * either applied whole or not at all.
     *
     * @param valueBytesMax the longest value allowed: the segment's record size limit
     */
    public static int validate(ByteBuffer body, int valueBytesMax) throws MalformedRecordException {
        int position = body.position();
        try {
            return decode(body, valueBytesMax, null);
        } finally {
            body.position(position);
        }
    }

    /**
     * Decodes a body whose checksum already passed; with a null sink it only checks. Every length is
     * checked against what is left before anything is allocated, so a body from a buggy writer fails cleanly.
     *
     * @param valueBytesMax the longest value allowed: the segment's record size limit
     * @throws MalformedRecordException naming what is wrong, relative to the body start
     */
    public static int decode(ByteBuffer body, int valueBytesMax, OpSink sink) throws MalformedRecordException {
        int start = body.position();
        int count = Varints.get32(body);
        // Each op takes at least 3 bytes (kind, key length, one key byte).
        if (count > body.remaining() / 3 + 1) {
            throw new MalformedRecordException("op count exceeds body: opCount=" + count + " remaining="
                    + body.remaining());
        }
        for (int i = 0; i < count; i++) {
            if (!body.hasRemaining()) {
                throw new MalformedRecordException("body ends inside op " + i + " of " + count);
            }
            byte kind = body.get();
            byte[] key = key(body, start, sink != null);
            if (kind == OP_PUT) {
                int cellStart = body.position();
                ValueCell.Layout cell = ValueCell.skip(body, valueBytesMax);
                if (sink != null) {
                    sink.put(key, body, cellStart, cell.cellBytes(), cell.valueLength());
                }
            } else if (kind == OP_DELETE) {
                if (sink != null) {
                    sink.delete(key);
                }
            } else {
                throw new MalformedRecordException("unknown op kind: expected=1|2 actual=" + kind
                        + " at bodyOffset=" + (body.position() - 1 - start));
            }
        }
        if (body.hasRemaining()) {
            throw new MalformedRecordException("trailing bytes after " + count + " ops: remaining=" + body.remaining());
        }
        return count;
    }

    private static final byte[] SKIPPED = new byte[1];

    private static byte[] key(ByteBuffer body, int start, boolean keep) throws MalformedRecordException {
        int at = body.position() - start;
        int length = Varints.get32(body);
        if (length == 0 || length > KEY_BYTES_MAX || length > body.remaining()) {
            throw new MalformedRecordException("key length out of range: length=" + length + " remaining="
                    + body.remaining() + " allowed=[1, " + KEY_BYTES_MAX + "] at bodyOffset=" + at);
        }
        if (!keep) {
            body.position(body.position() + length);
            return SKIPPED;
        }
        byte[] bytes = new byte[length];
        body.get(bytes);
        return bytes;
    }
}
