package dev.walnut;

import dev.walnut.format.BatchCodec;
import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.RecordCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import dev.walnut.format.ValueCell;
import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import dev.walnut.log.ReadMeter;
import dev.walnut.log.SegmentReader;
import dev.walnut.recovery.Recovery;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Looks at a store's log without opening it, strictly read-only: no file is created, changed or
 * locked, so it works on a read-only directory and beside a writer (whose unfinished last record
 * then reads as a torn tail). Memory is the read window plus the largest record.
 *
 * <ul>
 *   <li>{@link #check} runs recovery's classification under a policy and returns what an open would
 *       report and set aside, building no index;
 *   <li>{@link #dump} streams every file header, record and operation, with damage in line in the
 *       reader's own words, resuming at the next record valid at its own offset.
 * </ul>
 */
public final class LogInspector {

    /**
     * What an open under the same policy would find and do.
     *
     * @param report     the recovery report, every damage site with its classification and evidence
     * @param quarantine the segment files a point-in-time open would set aside (renamed with
     *                   {@value #QUARANTINE_SUFFIX}); empty under other policies
     */
    public record Check(RecoveryReport report, List<String> quarantine) {
        /**
         * Creates the result, copying {@code quarantine} so that it is immutable.
         *
         * @param report     the recovery report
         * @param quarantine the segment files a point-in-time open would set aside
         * @throws NullPointerException if {@code report} or {@code quarantine} is null
         */
        public Check {
            Objects.requireNonNull(report, "report");
            quarantine = List.copyOf(quarantine);
        }
    }

    /** The suffix a point-in-time open gives the segments it sets aside; they are never deleted. */
    public static final String QUARANTINE_SUFFIX = Recovery.QUARANTINE_SUFFIX;

    private LogInspector() {
    }

    /**
     * {@link #check(WalStorage, WalnutOptions)} on a directory, seen read-only, with default options but the policy.
     *
     * @param directory the store's directory
     * @param policy    the policy to classify under
     * @return what an open under {@code policy} would report and set aside
     * @throws java.nio.file.NoSuchFileException if the directory does not exist
     * @throws WalDamageException when the policy does not accept a damage site
     * @throws IOException on any I/O error, which is never taken for damage
     */
    public static Check check(Path directory, RecoveryPolicy policy) throws IOException {
        return check(FileChannelWalStorage.readOnly(directory), WalnutOptions.builder().recoveryPolicy(policy).build());
    }

    /**
     * Classifies every damage site of the log as an open under the options' policy would, and
     * changes nothing. Under {@link RecoveryPolicy#SALVAGE} it goes on past every site, which is a full check.
     * Costs what an open's recovery reads (one positional read per read window of every live log
     * file, plus the forward scans that classify damage), in memory bounded by the read window and
     * the largest record; it builds no index, keeps no key or value, writes and locks nothing.
     *
     * @param storage the store's files; only read
     * @param options the policy, and the limits and window to read with
     * @return the report an open would produce, and what it would quarantine
     * @throws WalDamageException when the policy does not accept a damage site
     * @throws IOException on any I/O error, which is never taken for damage
     */
    public static Check check(WalStorage storage, WalnutOptions options) throws IOException {
        Recovery.Outcome outcome = Recovery.run(storage, new Recovery.Settings(options.recoveryPolicy(),
                options.maxRecordBytes(), options.readWindowBytes()), VERIFY_CELLS);
        return new Check(outcome.report(), outcome.quarantine());
    }

    /**
     * {@link #dump(WalStorage, int, LogVisitor)} on a directory, seen read-only, with the default window.
     *
     * @param directory the store's directory
     * @param visitor   receives what the files hold
     * @throws java.nio.file.NoSuchFileException if the directory does not exist
     * @throws IOException on an I/O error; damage is reported to the visitor, not thrown
     */
    public static void dump(Path directory, LogVisitor visitor) throws IOException {
        dump(FileChannelWalStorage.readOnly(directory), WalnutOptions.READ_WINDOW_BYTES_DEFAULT, visitor);
    }

    /**
     * Streams every log file of {@code storage} (base, then segments, by name) to {@code visitor}.
     * Every segment and base file present is read whole, whether or not the MANIFEST still counts
     * it (quarantined files are skipped), through one positional read per window; after damage the
     * reader scans forward byte by byte for the next valid record. Memory
     * is the window plus the largest record, and one array per key and value handed to the visitor.
     *
     * @param storage         the store's files; only read
     * @param readWindowBytes the reader's window; not checked, so keep it within
     *                        {@link WalnutOptions#READ_WINDOW_BYTES_MIN} and
     *                        {@link WalnutOptions#READ_WINDOW_BYTES_MAX}
     * @param visitor         receives what the files hold, in file order
     * @throws NullPointerException if {@code visitor} is null
     * @throws IOException on an I/O error; damage is reported to the visitor, not thrown
     */
    public static void dump(WalStorage storage, int readWindowBytes, LogVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        for (String name : storage.list()) {
            if (isLogFileName(name)) {
                try (WalFile file = storage.open(name)) {
                    dumpFile(file, name, readWindowBytes, visitor);
                }
            }
        }
    }

    /**
     * Whether a file of this name holds log records: a segment or a compacted base.
     *
     * @param name a plain file name
     * @return true for {@code wal-NNNNNNNNNN.log} and {@code base-NNNNNNNNNN.log}
     */
    public static boolean isLogFileName(String name) {
        return RecordFormat.isLogFileName(name);
    }

    private static void dumpFile(WalFile file, String name, int windowBytes, LogVisitor visitor) throws IOException {
        long size = file.sizeBytes();
        ByteBuffer headerBytes = ByteBuffer.allocate((int) Math.min(size, RecordFormat.SEGMENT_HEADER_BYTES));
        file.readFully(0, headerBytes);
        SegmentHeader.Decoded decoded = SegmentHeader.decode(headerBytes.flip(), name);
        if (!decoded.valid()) {
            visitor.damage(new LogVisitor.Damage(name, 0, size, decoded.problem(), -1));
            return;
        }
        SegmentHeader h = decoded.header();
        visitor.segment(new LogVisitor.Segment(name, size, h.segmentNumber(), h.firstSequence(),
                h.predecessorSegment(), h.predecessorEndBytes(), h.predecessorWasCut(), h.salt(), h.recordBytesMax()));
        RecordCodec codec = new RecordCodec(h.recordBytesMax(), false);
        try (SegmentReader reader = new SegmentReader(file, name, h, size, windowBytes, codec, new ReadMeter())) {
            SegmentReader.Step step = reader.next();
            while (step != SegmentReader.Step.END) {
                String problem = reader.problem();
                if (step == SegmentReader.Step.RECORD) {
                    problem = visitRecord(reader, name, visitor);
                    if (problem == null) {
                        step = reader.next();
                        continue;
                    }
                }
                long at = reader.offsetBytes();
                boolean found = reader.scanForward(at + 1, 0);
                long resume = found ? reader.offsetBytes() : -1;
                visitor.damage(new LogVisitor.Damage(name, at, (found ? resume : size) - at, problem, resume));
                if (!found) {
                    return;
                }
                step = SegmentReader.Step.RECORD;
            }
            visitor.segmentEnd(name, reader.offsetBytes());
        }
    }

    /** Visits the reader's current record; returns why not if its body does not decode, else null. */
    private static String visitRecord(SegmentReader reader, String name, LogVisitor visitor) {
        ByteBuffer body = reader.body();
        boolean[] compressed = new boolean[1];
        try {
            BatchCodec.validate(body, reader.header().recordBytesMax());
            BatchCodec.decode(body.duplicate(), reader.header().recordBytesMax(), new BatchCodec.OpSink() {
                @Override
                public void put(byte[] key, ByteBuffer b, int cellStart, int cellBytes, int valueLength) {
                    compressed[0] |= (b.get(cellStart) & ValueCell.FLAG_LZ4) != 0;
                }

                @Override
                public void delete(byte[] key) {
                }
            });
        } catch (MalformedRecordException e) {
            return e.getMessage() + " (file=" + name + " offset=" + reader.offsetBytes() + ")";
        }
        int flags = reader.flags();
        LogVisitor.Record record = new LogVisitor.Record(name, reader.offsetBytes(), reader.recordBytes(),
                reader.sequence(), reader.syncedThroughBytes(), compressed[0], (flags & RecordFormat.FLAG_SEAL) != 0);
        visitor.record(record);
        try {
            BatchCodec.decode(body, reader.header().recordBytesMax(), new BatchCodec.OpSink() {
                @Override
                public void put(byte[] key, ByteBuffer b, int cellStart, int cellBytes, int valueLength)
                        throws MalformedRecordException {
                    visitor.put(key, ValueCell.valueIn(b, cellStart));
                }

                @Override
                public void delete(byte[] key) {
                    visitor.delete(key);
                }
            });
        } catch (MalformedRecordException e) {
            // A cell whose LZ4 block does not decompress passes validate(): its record is damaged.
            return e.getMessage() + " (file=" + name + " offset=" + reader.offsetBytes() + ")";
        }
        visitor.endRecord(record);
        return null;
    }

    /** Checks every value cell alone, as a get would: its checksum, its lengths and its LZ4 block. */
    private static final BatchCodec.OpSink VERIFY_CELLS = new BatchCodec.OpSink() {
        @Override
        public void put(byte[] key, ByteBuffer body, int cellStart, int cellBytes, int valueLength)
                throws MalformedRecordException {
            ValueCell.decode(key, body.duplicate().position(cellStart).limit(cellStart + cellBytes), valueLength);
        }

        @Override
        public void delete(byte[] key) {
        }
    };
}
