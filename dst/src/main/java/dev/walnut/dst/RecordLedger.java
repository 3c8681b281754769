package dev.walnut.dst;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the store appended, parsed independently of the kernel's reader from the fixed layout of
 * {@link dev.walnut.format.RecordFormat}: per file (by inode, so renames do not matter) its segment
 * header fields and every whole record with offset, length, sequence, flags and syncedThrough.
 * The oracle uses it to decide whether damage a fault did is provably durable, and, from the calls
 * faults made fail, whether a failed write's record had reached the storage whole before its
 * write failed. Records are dated by the storage call that wrote them, not by the write that made
 * them: unsynced writes reach a segment later, in a flush ({@link #writeRecord}).
 */
public final class RecordLedger implements SimulatedStorage.AppendListener {

    static final int SEGMENT_HEADER_BYTES = 64;
    static final long SEGMENT_MAGIC = 0x4753_5455_4E4C_4157L;
    static final int RECORD_HEADER_BYTES = 12;
    static final int PREAMBLE_BYTES = 21;
    static final int FLAG_SEAL = 2;

    /** One record as appended. */
    public record Entry(long offsetBytes, int lengthBytes, long sequence, int flags, long syncedThroughBytes) {
        public boolean seal() {
            return (flags & FLAG_SEAL) != 0;
        }

        public long endBytes() {
            return offsetBytes + lengthBytes;
        }

        public boolean contains(long offset) {
            return offset >= offsetBytes && offset < endBytes();
        }
    }

    /**
     * A call a fault made throw.
     *
     * @param writeRecordsBefore write records segments had received before it threw ({@link #writeRecords()}),
     *                           a failing append's whole-record prefix included
     */
    public record Failure(FaultKind kind, String call, String file, int writeRecordsBefore) {
        @Override
        public String toString() {
            return call + " failed (" + kind + ", file=" + file + ")";
        }
    }

    /** The fields of a segment header the oracle needs. */
    public record Header(long segmentNumber, long predecessorSegment, long predecessorEndBytes) {
    }

    private final Map<Long, List<Entry>> records = new HashMap<>();
    private final Map<Long, Header> headers = new HashMap<>();
    private final List<Failure> failures = new ArrayList<>();
    /** Sequences of the write records (no seals, no base files) segments received, in the order they arrived. */
    private final List<Long> writeRecords = new ArrayList<>();

    @Override
    public void appended(String name, long inodeId, long offsetBytes, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        if (offsetBytes == 0 && bytes.length >= SEGMENT_HEADER_BYTES && in.getLong(0) == SEGMENT_MAGIC) {
            headers.put(inodeId, new Header(in.getLong(16), in.getLong(40), in.getLong(48)));
            at = SEGMENT_HEADER_BYTES;
        }
        if (!name.endsWith(".log")) {
            return;
        }
        while (bytes.length - at >= RECORD_HEADER_BYTES + PREAMBLE_BYTES) {
            long payload = Integer.toUnsignedLong(in.getInt(at));
            if (payload < PREAMBLE_BYTES || at + RECORD_HEADER_BYTES + payload > bytes.length) {
                break;
            }
            int p = at + RECORD_HEADER_BYTES;
            Entry e = new Entry(offsetBytes + at, (int) (RECORD_HEADER_BYTES + payload), in.getLong(p + 1),
                    in.get(p) & 0xFF, in.getLong(p + 9));
            records.computeIfAbsent(inodeId, id -> new ArrayList<>()).add(e);
            if (!e.seal() && dev.walnut.format.RecordFormat.segmentNumberOf(name) >= 0) {
                writeRecords.add(e.sequence());
            }
            at += e.lengthBytes();
        }
    }

    @Override
    public void failed(FaultKind kind, String call, String name) {
        failures.add(new Failure(kind, call, name, writeRecords.size()));
    }

    /** Calls that failed so far: a mark for {@link #firstFailureSince}. */
    public int failures() {
        return failures.size();
    }

    /** The first call that failed after {@code mark} ({@link #failures()} then), or null. */
    public Failure firstFailureSince(int mark) {
        return mark < failures.size() ? failures.get(mark) : null;
    }

    /** After a crash: forgets headers and records whose bytes did not survive it. */
    public void reconcile(CrashReport crash) {
        for (CrashReport.FileImage f : crash.files().values()) {
            Header h = headers.get(f.inodeId());
            if (h != null && !f.intact(0, SEGMENT_HEADER_BYTES)) {
                headers.remove(f.inodeId());
            }
            List<Entry> list = records.get(f.inodeId());
            if (list != null) {
                list.removeIf(e -> !f.intact(e.offsetBytes(), e.lengthBytes()));
            }
        }
    }

    /**
     * The sequence of the {@code i}-th write record a segment received (0-based), in arrival order:
     * a record reaches the storage when the store writes it, which for an unsynced write may be well
     * after the write returned (it waited in the store's buffer).
     */
    public long writeRecord(int i) {
        return writeRecords.get(i);
    }

    /** How many write records segments received so far. */
    public int writeRecords() {
        return writeRecords.size();
    }

    public Header header(long inodeId) {
        return headers.get(inodeId);
    }

    public List<Entry> records(long inodeId) {
        return records.getOrDefault(inodeId, List.of());
    }

    /** The record of file {@code inodeId} that holds byte {@code offsetBytes}, or null. */
    public Entry recordAt(long inodeId, long offsetBytes) {
        for (Entry e : records(inodeId)) {
            if (e.contains(offsetBytes)) {
                return e;
            }
        }
        return null;
    }
}
