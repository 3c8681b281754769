package dev.walnut.ratis;

import dev.walnut.KeyValue;
import dev.walnut.WriteBatch;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a Raft log entry and of the read queries and replies, in one place. All integers
 * are big-endian; lengths are u32 and checked against the bytes that remain before anything is
 * allocated (entries come from the network and from the Raft log on disk: untrusted).
 *
 * <pre>
 * write entry  : 'W' version:u8 ops:u32 { kind:u8 keyLen:u32 key [valueLen:u32 value] }*ops
 *                kind 1 = put (value follows), 2 = delete (no value)
 * read query   : 'G' keyLen:u32 key                         get one user key
 *                'S' from:bytes? to:bytes? limit:u32         scan user keys, from inclusive, to exclusive
 *                'X' after:bytes? limit:u32                  export raw store entries after a raw key
 *                'A'                                         last applied term and index
 *                bytes? = present:u8 [len:u32 bytes]
 * get reply    : present:u8 [len:u32 value]
 * scan reply   : more:u8 count:u32 { keyLen:u32 key valueLen:u32 value }*count
 * applied reply: term:u64 index:u64
 * </pre>
 */
final class WireFormat {

    static final byte WRITE = 'W';
    static final byte GET = 'G';
    static final byte SCAN = 'S';
    static final byte EXPORT = 'X';
    static final byte APPLIED = 'A';
    static final byte VERSION = 1;
    static final byte OP_PUT = 1;
    static final byte OP_DELETE = 2;

    private WireFormat() {
    }

    /** A decoded write: the user's operations, keys still unprefixed. */
    record Op(boolean put, byte[] key, byte[] value) {
    }

    static byte[] encodeWrite(WriteBatch batch) {
        Out out = new Out();
        out.u8(WRITE).u8(VERSION).u32(batch.size());
        for (WriteBatch.Op op : batch.ops()) {
            out.u8(op.isPut() ? OP_PUT : OP_DELETE).bytes(op.key());
            if (op.isPut()) {
                out.bytes(op.value());
            }
        }
        return out.toByteArray();
    }

    static List<Op> decodeWrite(ByteBuffer in) {
        try {
            expect(in, WRITE, "entry kind");
            expect(in, VERSION, "entry version");
            int count = length(in, "ops");
            if (count == 0 || count > in.remaining() / 5) {
                throw malformed("op count out of range: ops=" + count + " remainingBytes=" + in.remaining());
            }
            List<Op> ops = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte kind = in.get();
                if (kind != OP_PUT && kind != OP_DELETE) {
                    throw malformed("unknown op kind: actual=" + kind + " op=" + i);
                }
                byte[] key = bytes(in, "key");
                StoreKeys.checkUserKey(key);
                ops.add(new Op(kind == OP_PUT, key, kind == OP_PUT ? bytes(in, "value") : null));
            }
            if (in.hasRemaining()) {
                throw malformed("trailing bytes after ops: remainingBytes=" + in.remaining());
            }
            return ops;
        } catch (BufferUnderflowException e) {
            throw malformed("entry ends early");
        }
    }

    static byte[] encodeGet(byte[] key) {
        return new Out().u8(GET).bytes(key).toByteArray();
    }

    static byte[] encodeScan(byte[] from, byte[] to, int limit) {
        return new Out().u8(SCAN).optional(from).optional(to).u32(limit).toByteArray();
    }

    static byte[] encodeExport(byte[] afterRawKey, int limit) {
        return new Out().u8(EXPORT).optional(afterRawKey).u32(limit).toByteArray();
    }

    static byte[] encodeApplied() {
        return new byte[] {APPLIED};
    }

    static byte[] encodeGetReply(byte[] value) {
        Out out = new Out().u8(value == null ? 0 : 1);
        return (value == null ? out : out.bytes(value)).toByteArray();
    }

    static byte[] decodeGetReply(ByteBuffer in) {
        return in.get() == 0 ? null : bytes(in, "value");
    }

    static byte[] encodeScanReply(List<KeyValue> entries, boolean more) {
        Out out = new Out().u8(more ? 1 : 0).u32(entries.size());
        for (KeyValue kv : entries) {
            out.bytes(kv.key()).bytes(kv.value());
        }
        return out.toByteArray();
    }

    static ScanPage decodeScanReply(ByteBuffer in) {
        boolean more = in.get() != 0;
        int count = length(in, "entries");
        List<KeyValue> entries = new ArrayList<>(Math.min(count, in.remaining() / 8));
        for (int i = 0; i < count; i++) {
            entries.add(new KeyValue(bytes(in, "key"), bytes(in, "value")));
        }
        return new ScanPage(entries, more);
    }

    /** One page of a scan: its entries in key order, and whether more follow. */
    record ScanPage(List<KeyValue> entries, boolean more) {
    }

    static byte[] optional(ByteBuffer in, String what) {
        return in.get() == 0 ? null : bytes(in, what);
    }

    static int length(ByteBuffer in, String what) {
        int n = in.getInt();
        if (n < 0) {
            throw malformed(what + " length out of range: actual=" + Integer.toUnsignedLong(n));
        }
        return n;
    }

    static byte[] bytes(ByteBuffer in, String what) {
        int n = length(in, what);
        if (n > in.remaining()) {
            throw malformed(what + " length past end: lengthBytes=" + n + " remainingBytes=" + in.remaining());
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static void expect(ByteBuffer in, byte expected, String what) {
        byte actual = in.get();
        if (actual != expected) {
            throw malformed(what + " mismatch: expected=" + expected + " actual=" + actual);
        }
    }

    static IllegalArgumentException malformed(String message) {
        return new IllegalArgumentException("malformed replication message: " + message);
    }

    /** A growing big-endian buffer. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream data = new DataOutputStream(bytes);

        Out u8(int v) {
            return run(() -> data.writeByte(v));
        }

        Out u32(int v) {
            return run(() -> data.writeInt(v));
        }

        Out u64(long v) {
            return run(() -> data.writeLong(v));
        }

        Out bytes(byte[] b) {
            return run(() -> {
                data.writeInt(b.length);
                data.write(b);
            });
        }

        Out optional(byte[] b) {
            return b == null ? u8(0) : u8(1).bytes(b);
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        private Out run(IoStep step) {
            try {
                step.run();
            } catch (IOException e) {
                throw new UncheckedIOException("in-memory stream failed", e);
            }
            return this;
        }

        private interface IoStep {
            void run() throws IOException;
        }
    }
}
