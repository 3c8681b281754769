package dev.walnut.bench;

import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * An experiment, not the store: how fast can replay go when it creates no object per entry? Same
 * checks as the store's reader (header and payload CRC32C per record, streaming through a 1 MiB
 * window), but every key and value is copied into large {@code byte[]} slabs and the live set is
 * an open-addressing table of {@code long} slab references, so the collector has almost nothing
 * to trace or copy and no reference is ever stored; then the live keys are sorted by their first
 * 8 bytes with an LSD radix sort (ties, rare with random keys, by a full compare). Its result is
 * the sorted live set a bulk-loaded ordered index would be built from. It handles what the
 * benchmark logs contain (puts, LZ4, seals) and stops at the first bad record: no damage
 * classification. Quoted in docs/performance.md as the measured size of the index gap.
 */
final class SlabReplay {

    static final int WINDOW_BYTES = 1024 * 1024;
    static final int SLAB_BYTES = 16 * 1024 * 1024;
    /** Entry = keyLength u32 | valueLength u32 (-1: deleted) | key | value. */
    static final int ENTRY_HEADER_BYTES = 8;
    private static final int TABLE_CAPACITY_INITIAL = 1 << 16;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        if (WINDOW_BYTES + ENTRY_HEADER_BYTES > SLAB_BYTES) {
            throw new ExceptionInInitializerError("a windowed record must fit one slab");
        }
    }

    private final RecordCodec codec = new RecordCodec(RecordFormat.RECORD_BYTES_DEFAULT, false);
    private final ByteBuffer window = ByteBuffer.allocateDirect(WINDOW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer payloadView = window.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    private byte[][] slabs;
    private int slabCount;
    private int slabUsed;
    private long[] refs;
    private int[] hashes;
    private int size;

    /** Live keys after replay, and a checksum over their order (so the sort cannot be elided). */
    record Result(long records, int liveKeys, long orderChecksum) {
    }

    Result replay(List<Path> segments) throws IOException {
        slabs = new byte[16][];
        slabCount = 0;
        slabUsed = SLAB_BYTES;
        refs = new long[TABLE_CAPACITY_INITIAL];
        hashes = new int[TABLE_CAPACITY_INITIAL];
        java.util.Arrays.fill(refs, -1);
        size = 0;
        long records = 0;
        for (Path segment : segments) {
            records += replaySegment(segment);
        }
        return sortLive(records);
    }

    private long replaySegment(Path segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            long fileBytes = channel.size();
            ByteBuffer head = ByteBuffer.allocate(RecordFormat.SEGMENT_HEADER_BYTES);
            channel.read(head, 0);
            SegmentHeader.Decoded decoded = SegmentHeader.decode(head.flip(), segment.getFileName().toString());
            if (!decoded.valid()) {
                throw new IOException(decoded.problem());
            }
            long salt = decoded.header().salt();
            long windowStart = 0;
            window.limit(0);
            long at = RecordFormat.SEGMENT_HEADER_BYTES;
            long records = 0;
            while (fileBytes - at >= RecordFormat.RECORD_HEADER_BYTES) {
                if (at + RecordFormat.RECORD_HEADER_BYTES > windowStart + window.limit()) {
                    windowStart = fill(channel, at);
                }
                int h = (int) (at - windowStart);
                int payloadLength = window.getInt(h);
                int payloadCrc = window.getInt(h + 4);
                if (payloadLength < RecordFormat.PREAMBLE_BYTES || payloadLength > fileBytes - at - 12
                        || window.getInt(h + 8) != codec.headerChecksum(salt, at, payloadLength, payloadCrc)) {
                    break;
                }
                int recordBytes = RecordFormat.RECORD_HEADER_BYTES + payloadLength;
                ByteBuffer payload;
                if (recordBytes > WINDOW_BYTES) {
                    payload = ByteBuffer.allocate(payloadLength).order(ByteOrder.LITTLE_ENDIAN);
                    channel.read(payload, at + RecordFormat.RECORD_HEADER_BYTES);
                    payload.flip();
                } else {
                    if (at + recordBytes > windowStart + window.limit()) {
                        windowStart = fill(channel, at);
                    }
                    int p = (int) (at - windowStart) + RecordFormat.RECORD_HEADER_BYTES;
                    payload = payloadView.limit(p + payloadLength).position(p);
                }
                int payloadStart = payload.position();
                crc.reset();
                crc.update(payload);
                payload.position(payloadStart);
                if ((int) crc.getValue() != payloadCrc) {
                    break;
                }
                apply(payload);
                records++;
                at += recordBytes;
            }
            return records;
        }
    }

    private long fill(FileChannel channel, long at) throws IOException {
        window.clear();
        while (window.hasRemaining() && channel.read(window, at + window.position()) > 0) {
            // fill the window or reach end of file
        }
        window.flip();
        return at;
    }

    private void apply(ByteBuffer payload) throws IOException {
        int start = payload.position();
        int flags = payload.get(start);
        int bodyBytes = payload.getInt(start + 17);
        ByteBuffer body = payload.position(start + RecordFormat.PREAMBLE_BYTES);
        try {
            if ((flags & RecordFormat.FLAG_COMPRESSED) != 0) {
                body = codec.decompress(body.slice(), bodyBytes);
            }
        } catch (MalformedRecordException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!body.hasRemaining()) {
            return; // a seal
        }
        int pos = body.position();
        int[] cursor = {pos};
        int count = varint(body, cursor);
        for (int i = 0; i < count; i++) {
            byte kind = body.get(cursor[0]++);
            int keyLength = varint(body, cursor);
            int keyAt = cursor[0];
            cursor[0] += keyLength;
            if (kind == RecordFormat.OP_PUT) {
                int valueLength = varint(body, cursor);
                put(body, keyAt, keyLength, cursor[0], valueLength);
                cursor[0] += valueLength;
            } else {
                put(body, keyAt, keyLength, cursor[0], -1);
            }
        }
    }

    private static int varint(ByteBuffer b, int[] cursor) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b.get(cursor[0]++);
            value |= (x & 0x7F) << shift;
            if (x >= 0) {
                return value;
            }
        }
    }

    /** Appends the entry to a slab and points the key's slot at it; valueLength -1 records a delete. */
    private void put(ByteBuffer body, int keyAt, int keyLength, int valueAt, int valueLength) {
        int hash = 1;
        for (int i = 0; i < keyLength; i++) {
            hash = 31 * hash + body.get(keyAt + i);
        }
        long ref = append(body, keyAt, keyLength, valueAt, valueLength);
        int mask = refs.length - 1;
        for (int i = (hash ^ (hash >>> 16)) & mask; ; i = (i + 1) & mask) {
            if (refs[i] < 0) {
                refs[i] = ref;
                hashes[i] = hash;
                if (++size * 8 > refs.length * 5) {
                    grow();
                }
                return;
            }
            if (hashes[i] == hash && sameKey(refs[i], ref, keyLength)) {
                refs[i] = ref; // the older entry stays in its slab as dead bytes: no garbage object
                return;
            }
        }
    }

    private long append(ByteBuffer body, int keyAt, int keyLength, int valueAt, int valueLength) {
        int bytes = ENTRY_HEADER_BYTES + keyLength + Math.max(0, valueLength);
        if (slabUsed + bytes > SLAB_BYTES) {
            if (slabCount == slabs.length) {
                slabs = java.util.Arrays.copyOf(slabs, slabCount * 2);
            }
            slabs[slabCount++] = new byte[Math.max(SLAB_BYTES, bytes)];
            slabUsed = 0;
        }
        byte[] slab = slabs[slabCount - 1];
        int off = slabUsed;
        INT.set(slab, off, keyLength);
        INT.set(slab, off + 4, valueLength);
        body.get(keyAt, slab, off + ENTRY_HEADER_BYTES, keyLength);
        if (valueLength > 0) {
            body.get(valueAt, slab, off + ENTRY_HEADER_BYTES + keyLength, valueLength);
        }
        slabUsed += bytes;
        return ((long) (slabCount - 1) << 32) | off;
    }

    private boolean sameKey(long a, long b, int keyLength) {
        byte[] sa = slabs[(int) (a >>> 32)];
        int oa = (int) a;
        if ((int) INT.get(sa, oa) != keyLength) {
            return false;
        }
        byte[] sb = slabs[(int) (b >>> 32)];
        int ob = (int) b;
        return java.util.Arrays.equals(sa, oa + ENTRY_HEADER_BYTES, oa + ENTRY_HEADER_BYTES + keyLength,
                sb, ob + ENTRY_HEADER_BYTES, ob + ENTRY_HEADER_BYTES + keyLength);
    }

    private void grow() {
        long[] oldRefs = refs;
        int[] oldHashes = hashes;
        refs = new long[oldRefs.length * 2];
        hashes = new int[oldRefs.length * 2];
        java.util.Arrays.fill(refs, -1);
        int mask = refs.length - 1;
        for (int j = 0; j < oldRefs.length; j++) {
            if (oldRefs[j] >= 0) {
                int hash = oldHashes[j];
                int i = (hash ^ (hash >>> 16)) & mask;
                while (refs[i] >= 0) {
                    i = (i + 1) & mask;
                }
                refs[i] = oldRefs[j];
                hashes[i] = hash;
            }
        }
    }

    /** Live entries sorted by key: radix sort on the first 8 key bytes, then a full compare within ties. */
    private Result sortLive(long records) {
        long[] prefix = new long[size];
        long[] ref = new long[size];
        int n = 0;
        for (long r : refs) {
            if (r >= 0 && (int) INT.get(slabs[(int) (r >>> 32)], (int) r + 4) >= 0) {
                prefix[n] = prefixOf(r);
                ref[n++] = r;
            }
        }
        RadixSort.sort(prefix, ref, n);
        long checksum = 0;
        for (int i = 0; i < n; i++) {
            int j = i;
            while (j + 1 < n && prefix[j + 1] == prefix[i]) {
                j++;
            }
            if (j > i) {
                sortTies(ref, i, j + 1);
            }
            checksum = checksum * 31 + ref[i];
        }
        assert isSorted(ref, n) : "slab replay left keys out of order";
        return new Result(records, n, checksum);
    }

    private boolean isSorted(long[] ref, int n) {
        for (int i = 1; i < n; i++) {
            if (compareKeys(ref[i - 1], ref[i]) >= 0) {
                return false;
            }
        }
        return true;
    }

    private long prefixOf(long r) {
        byte[] slab = slabs[(int) (r >>> 32)];
        int off = (int) r;
        int keyLength = (int) INT.get(slab, off);
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (i < keyLength ? slab[off + ENTRY_HEADER_BYTES + i] & 0xFF : 0);
        }
        return p;
    }

    private void sortTies(long[] ref, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            long x = ref[i];
            int j = i - 1;
            while (j >= from && compareKeys(ref[j], x) > 0) {
                ref[j + 1] = ref[j];
                j--;
            }
            ref[j + 1] = x;
        }
    }

    private int compareKeys(long a, long b) {
        byte[] sa = slabs[(int) (a >>> 32)];
        byte[] sb = slabs[(int) (b >>> 32)];
        int oa = (int) a + ENTRY_HEADER_BYTES;
        int ob = (int) b + ENTRY_HEADER_BYTES;
        return java.util.Arrays.compareUnsigned(sa, oa, oa + (int) INT.get(sa, (int) a),
                sb, ob, ob + (int) INT.get(sb, (int) b));
    }

    /** LSD radix sort of (unsigned prefix, payload) pairs, 16 bits per pass. */
    static final class RadixSort {
        private RadixSort() {
        }

        static void sort(long[] keys, long[] values, int n) {
            long[] k2 = new long[n];
            long[] v2 = new long[n];
            int[] counts = new int[1 << 16];
            for (int shift = 0; shift < 64; shift += 16) {
                java.util.Arrays.fill(counts, 0);
                for (int i = 0; i < n; i++) {
                    counts[(int) (keys[i] >>> shift) & 0xFFFF]++;
                }
                int sum = 0;
                for (int d = 0; d < counts.length; d++) {
                    int c = counts[d];
                    counts[d] = sum;
                    sum += c;
                }
                for (int i = 0; i < n; i++) {
                    int d = (int) (keys[i] >>> shift) & 0xFFFF;
                    int at = counts[d]++;
                    k2[at] = keys[i];
                    v2[at] = values[i];
                }
                System.arraycopy(k2, 0, keys, 0, n);
                System.arraycopy(v2, 0, values, 0, n);
            }
        }
    }
}
