package dev.walnut.bench;

import dev.walnut.format.BatchCodec;
import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The naive baseline: read each whole segment file into one heap array, then parse it with the
 * same checks (header and payload CRC32C, decompression, batch decoding) into a hash map, then
 * sort the live keys (the store's ordered index needs them sorted). Memory grows with the segment, not with the largest record; it exists to show
 * what streaming costs or saves. It trusts a clean log (stops at the first bad record) and does
 * no damage classification.
 */
final class NaiveReplay {

    private final RecordCodec codec = new RecordCodec(RecordFormat.RECORD_BYTES_DEFAULT, false);

    /** Replays {@code segments} in order into a fresh index; returns it with the count of records. */
    Result replay(List<Path> segments) throws IOException {
        Index index = new Index();
        long records = 0;
        for (Path segment : segments) {
            records += replaySegment(segment, index);
        }
        return new Result(records, index.sortedKeys().length);
    }

    record Result(long records, int liveKeys) {
    }

    /** The live state: a hash map during replay, sorted once at the end. */
    private static final class Index implements BatchCodec.OpSink {
        private final HashMap<Key, byte[]> live = new HashMap<>(1 << 16);

        @Override
        public void put(byte[] key, ByteBuffer body, int cellStart, int cellBytes, int valueLength)
                throws MalformedRecordException {
            // The naive reader copies every value onto the heap, as replaying stores do.
            live.put(new Key(key), dev.walnut.format.ValueCell.valueIn(body, cellStart));
        }

        @Override
        public void delete(byte[] key) {
            live.remove(new Key(key));
        }

        Key[] sortedKeys() {
            Key[] keys = live.keySet().toArray(new Key[0]);
            Arrays.sort(keys);
            return keys;
        }
    }

    private record Key(byte[] bytes, int hash) implements Comparable<Key> {
        Key(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public int compareTo(Key other) {
            return Arrays.compareUnsigned(bytes, other.bytes);
        }
    }

    private long replaySegment(Path segment, Index index) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer file = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        SegmentHeader.Decoded decoded = SegmentHeader.decode(file, segment.getFileName().toString());
        if (!decoded.valid()) {
            throw new IOException(decoded.problem());
        }
        long salt = decoded.header().salt();
        int offset = RecordFormat.SEGMENT_HEADER_BYTES;
        long records = 0;
        while (bytes.length - offset >= RecordFormat.RECORD_HEADER_BYTES) {
            int payloadLength = file.getInt(offset);
            int payloadCrc = file.getInt(offset + 4);
            if (payloadLength < RecordFormat.PREAMBLE_BYTES
                    || payloadLength > bytes.length - offset - RecordFormat.RECORD_HEADER_BYTES
                    || file.getInt(offset + 8) != codec.headerChecksum(salt, offset, payloadLength, payloadCrc)) {
                break;
            }
            int payloadStart = offset + RecordFormat.RECORD_HEADER_BYTES;
            ByteBuffer payload = file.duplicate().order(ByteOrder.LITTLE_ENDIAN)
                    .position(payloadStart).limit(payloadStart + payloadLength);
            if (codec.payloadChecksum(payload) != payloadCrc) {
                break;
            }
            apply(payload, index);
            records++;
            offset = payloadStart + payloadLength;
        }
        return records;
    }

    private void apply(ByteBuffer payload, Index index) throws IOException {
        int start = payload.position();
        int flags = payload.get(start);
        ByteBuffer body = payload.position(start + RecordFormat.PREAMBLE_BYTES).slice();
        try {
            if ((flags & RecordFormat.FLAG_SEAL) != 0 && !body.hasRemaining()) {
                return;
            }
            BatchCodec.decode(body, RecordFormat.RECORD_BYTES_LIMIT_MAX, index);
        } catch (MalformedRecordException e) {
            throw new IOException("naive replay: " + e.getMessage(), e);
        }
    }
}
