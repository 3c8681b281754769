package dev.walnut.format;

import static dev.walnut.format.RecordFormat.KEY_BYTES_MAX;
import static dev.walnut.format.RecordFormat.OP_DELETE;
import static dev.walnut.format.RecordFormat.OP_PUT;

import dev.walnut.WriteBatch;
import java.nio.ByteBuffer;
import java.util.List;

/** Encodes a batch of operations into a record body and decodes it back; layout in {@link RecordFormat}. */
public final class BatchCodec {

    /** Receives decoded operations; keys and values are fresh arrays the receiver may keep. */
    public interface OpSink {
        void put(byte[] key, byte[] value);

        void delete(byte[] key);
    }

    private BatchCodec() {
    }

    public static long encodedBytes(List<WriteBatch.Op> ops) {
        long total = varintBytes(ops.size());
        for (WriteBatch.Op op : ops) {
            total += 1 + varintBytes(op.key().length) + op.key().length;
            if (op.isPut()) {
                total += varintBytes(op.value().length) + op.value().length;
            }
        }
        return total;
    }

    public static void encode(List<WriteBatch.Op> ops, ByteBuffer target) {
        putVarint(target, ops.size());
        for (WriteBatch.Op op : ops) {
            target.put(op.kind());
            putVarint(target, op.key().length);
            target.put(op.key());
            if (op.isPut()) {
                putVarint(target, op.value().length);
                target.put(op.value());
            }
        }
    }

    /**
     * Checks a body without allocating: every later {@link #decode} of it succeeds, so a batch is
     * either applied whole or not at all.
     */
    public static int validate(ByteBuffer body) throws MalformedRecordException {
        int position = body.position();
        try {
            return decode(body, null);
        } finally {
            body.position(position);
        }
    }

    /**
     * Decodes a body whose checksum already passed; with a null sink it only checks. Every length is checked against what is left
     * before anything is allocated, so a body from a buggy writer fails cleanly.
     *
     * @throws MalformedRecordException naming what is wrong, relative to the body start
     */
    public static int decode(ByteBuffer body, OpSink sink) throws MalformedRecordException {
        int start = body.position();
        int count = getVarint(body, start);
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
            byte[] key = getBytes(body, start, KEY_BYTES_MAX, "key", sink != null);
            if (key.length == 0) {
                throw new MalformedRecordException("empty key in op " + i + " at bodyOffset=" + (body.position() - start));
            }
            if (kind == OP_PUT) {
                byte[] value = getBytes(body, start, Integer.MAX_VALUE, "value", sink != null);
                if (sink != null) {
                    sink.put(key, value);
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

    private static final byte[] SKIPPED_EMPTY = new byte[0];
    private static final byte[] SKIPPED_NONEMPTY = new byte[1];

    private static byte[] getBytes(ByteBuffer body, int start, int maxBytes, String what, boolean keep)
            throws MalformedRecordException {
        int length = getVarint(body, start);
        if (length > maxBytes || length > body.remaining()) {
            throw new MalformedRecordException(what + " length out of range: length=" + length + " remaining="
                    + body.remaining() + " max=" + maxBytes + " at bodyOffset=" + (body.position() - start));
        }
        if (!keep) {
            body.position(body.position() + length);
            return length == 0 ? SKIPPED_EMPTY : SKIPPED_NONEMPTY;
        }
        byte[] bytes = new byte[length];
        body.get(bytes);
        return bytes;
    }

    static int varintBytes(int value) {
        int bytes = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    static void putVarint(ByteBuffer target, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint of a negative length: value=" + value);
        }
        while ((value & ~0x7F) != 0) {
            target.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        target.put((byte) value);
    }

    static int getVarint(ByteBuffer source, int start) throws MalformedRecordException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!source.hasRemaining()) {
                throw new MalformedRecordException("body ends inside a varint at bodyOffset=" + (source.position() - start));
            }
            byte b = source.get();
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (value < 0 || (shift == 28 && (b & 0xF0) != 0)) {
                    break;
                }
                return value;
            }
        }
        throw new MalformedRecordException("varint out of range at bodyOffset=" + (source.position() - start));
    }
}
