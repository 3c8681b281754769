package dev.walnut.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.ForwardingWalFile;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index file codec: what the writer writes the reader returns, entry for entry; whatever else
 * the reader is given (a flipped bit, a cut, another data file's index, crafted lengths, unordered
 * keys) is a {@link MalformedIndexException} naming file and offset; an I/O error stays an I/O error.
 */
class IndexFileTest {

    private static final long SALT = 0x5EED_CAFE_F00D_0001L;
    private static final long DATA_FILE_NUMBER = 3;
    /** Large, so cell offsets take multi-byte u64 varints. */
    private static final long COVERED_END_BYTES = 1L << 40;
    private static final IndexFile.Header HEADER = new IndexFile.Header(false, DATA_FILE_NUMBER, SALT,
            COVERED_END_BYTES, 1_000);
    private static final IndexFile.Expected EXPECTED = new IndexFile.Expected(false, DATA_FILE_NUMBER, SALT,
            COVERED_END_BYTES);
    private static final String NAME = "wal-0000000003.idx";
    private static final int WINDOW_BYTES = 256 * 1024;

    private final long seed = Long.getLong("walnut.test.seed", 0x1DE_F11EL);
    private final SplittableRandom random = new SplittableRandom(seed);

    @TempDir
    Path dir;

    /** One entry as written and as read back; arrays are the sink's own. */
    record Entry(byte kind, byte[] key, byte[] value, int valueLength, long cellOffset, int cellLength) {
        String describe() {
            return kind + ":" + HexFormat.of().formatHex(key) + ":" + (value == null ? "-" : HexFormat.of().formatHex(value))
                    + ":" + valueLength + ":" + cellOffset + ":" + cellLength;
        }
    }

    /** Collects what the reader streams. */
    static final class Collector implements IndexFile.EntrySink {
        final List<Entry> entries = new ArrayList<>();

        @Override
        public void put(byte[] key, int valueLength, long cellOffset, int cellLength) {
            entries.add(new Entry(IndexFile.KIND_PUT, key, null, valueLength, cellOffset, cellLength));
        }

        @Override
        public void putInline(byte[] key, byte[] value) {
            entries.add(new Entry(IndexFile.KIND_PUT_INLINE, key, value, value.length, 0, 0));
        }

        @Override
        public void delete(byte[] key) {
            entries.add(new Entry(IndexFile.KIND_DELETE, key, null, 0, 0, 0));
        }
    }

    // ---- round trips

    @Test
    void hundredThousandSeededEntriesOfEveryKindRoundTripAcrossManyBlocks() throws Exception {
        TreeMap<byte[], Entry> model = new TreeMap<>(Arrays::compareUnsigned);
        while (model.size() < 100_000) {
            Entry e = randomEntry();
            model.put(e.key(), e);
        }
        Path path = write(model.values());
        try (FileChannelWalStorage storage = new FileChannelWalStorage(dir); WalFile file = storage.open(NAME)) {
            IndexFile.Summary summary = IndexFileReader.verify(file, NAME, EXPECTED, WINDOW_BYTES);
            assertEquals(model.size(), summary.entryCount(), "seed=" + seed);
            assertEquals(model.values().stream().filter(e -> e.kind() == IndexFile.KIND_DELETE).count(),
                    summary.deleteCount());
            assertEquals(model.keySet().stream().mapToLong(k -> k.length).sum(), summary.keyBytes());
            assertEquals(Files.size(path), summary.fileBytes());
            assertTrue(summary.blockCount() > 20, "blocks=" + summary.blockCount());
            assertEquals(HEADER, summary.header());
            Collector sink = new Collector();
            assertEquals(model.size(), IndexFileReader.read(file, NAME, summary, WINDOW_BYTES, sink));
            assertEquals(describe(model.values()), describe(sink.entries), "seed=" + seed);
        }
    }

    @Test
    void aWindowSmallerThanABlockReadsTheSameEntries() throws Exception {
        List<Entry> entries = sortedRandomEntries(20_000);
        byte[] bytes = Files.readAllBytes(write(entries));
        WalFile file = new ByteArrayWalFile(bytes);
        IndexFile.Summary summary = IndexFileReader.verify(file, NAME, EXPECTED, IndexFileReader.WINDOW_BYTES_MIN);
        Collector sink = new Collector();
        IndexFileReader.read(file, NAME, summary, IndexFileReader.WINDOW_BYTES_MIN + 7, sink);
        assertEquals(describe(entries), describe(sink.entries), "seed=" + seed);
    }

    @Test
    void anIndexWithoutEntriesIsHeaderAndFooterAndReadsAsEmpty() throws Exception {
        byte[] bytes = Files.readAllBytes(write(List.of()));
        assertEquals(IndexFile.HEADER_BYTES + IndexFile.FOOTER_BYTES, bytes.length);
        IndexFile.Summary summary = verify(bytes);
        assertEquals(0, summary.entryCount());
        assertEquals(0, summary.blockCount());
        Collector sink = new Collector();
        assertEquals(0, IndexFileReader.read(new ByteArrayWalFile(bytes), NAME, summary, WINDOW_BYTES, sink));
        assertTrue(sink.entries.isEmpty());
    }

    @Test
    void anEntryLargerThanTheBlockTargetGetsABlockOfItsOwn() throws Exception {
        byte[] largest = new byte[RecordFormat.KEY_BYTES_MAX];
        Arrays.fill(largest, (byte) 'm');
        List<Entry> entries = List.of(delete(new byte[] {'a'}), inline(new byte[] {'b'}, new byte[12]),
                locator(largest, RecordFormat.RECORD_BYTES_LIMIT_MAX, COVERED_END_BYTES - Integer.MAX_VALUE,
                        Integer.MAX_VALUE),
                delete(new byte[] {'z'}));
        byte[] bytes = Files.readAllBytes(write(entries));
        IndexFile.Summary summary = verify(bytes);
        assertEquals(3, summary.blockCount());
        int secondBlockBytes = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(
                IndexFile.HEADER_BYTES + IndexFile.BLOCK_HEADER_BYTES + ByteBuffer.wrap(bytes)
                        .order(ByteOrder.LITTLE_ENDIAN).getInt(IndexFile.HEADER_BYTES));
        assertTrue(secondBlockBytes > IndexFile.BLOCK_TARGET_BYTES && secondBlockBytes <= IndexFile.BLOCK_BYTES_MAX,
                "blockBytes=" + secondBlockBytes);
        Collector sink = new Collector();
        // A window smaller than the large block: it gets a buffer of its own.
        IndexFileReader.read(new ByteArrayWalFile(bytes), NAME, summary, IndexFileReader.WINDOW_BYTES_MIN, sink);
        assertEquals(describe(entries), describe(sink.entries));
    }

    @Test
    void theWriterWritesExactlyTheDocumentedLayout() throws Exception {
        List<Entry> entries = List.of(locator(new byte[] {1}, 100, 64, 120), inline(new byte[] {1, 0}, new byte[] {9}),
                delete(new byte[] {(byte) 0xFF}));
        byte[] written = Files.readAllBytes(write(entries));
        byte[] crafted = craft(HEADER, 3, new RawBlock(concat(locatorBytes(new byte[] {1}, 100, 64, 120),
                inlineBytes(new byte[] {1, 0}, new byte[] {9}), deleteBytes(new byte[] {(byte) 0xFF})), 3));
        assertArrayEquals(crafted, written);
        ByteBuffer b = ByteBuffer.wrap(written).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("WALNUTIX", new String(written, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("WALNUTIE", new String(written, written.length - 32, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(written.length - 32, b.getLong(written.length - 32 + 20));
    }

    @Test
    void theHeaderRoundTripsAndNamesBaseFiles() throws MalformedIndexException {
        IndexFile.Header base = new IndexFile.Header(true, 7, -1, 64, 0);
        assertEquals(base, IndexFile.Header.decode(base.encode(), "base-0000000007.idx"));
        assertEquals(IndexFile.FLAG_BASE, base.encode().order(ByteOrder.LITTLE_ENDIAN).getInt(12));
        assertThrows(IllegalArgumentException.class, () -> new IndexFile.Header(false, 0, SALT, 64, 0));
        assertThrows(IllegalArgumentException.class, () -> new IndexFile.Header(false, 1, SALT, 63, 0));
        assertThrows(IllegalArgumentException.class, () -> new IndexFile.Header(false, 1, SALT, 64, -1));
    }

    @Test
    void indexFileNamesFollowTheirDataFiles() {
        assertEquals("wal-0000000003.idx", IndexFile.nameFor("wal-0000000003.log"));
        assertEquals("base-0000000007.idx", IndexFile.nameFor("base-0000000007.log"));
        for (String bad : new String[] {"wal-3.log", "wal-0000000003.idx", "MANIFEST", "base-000000000x.log", ""}) {
            assertThrows(IllegalArgumentException.class, () -> IndexFile.nameFor(bad), bad);
        }
        assertTrue(IndexFile.isIndexFileName("base-0000000007.idx"));
        assertFalse(IndexFile.isIndexFileName("wal-0000000003.idx" + IndexFile.TEMP_SUFFIX));
        assertFalse(IndexFile.isIndexFileName("wal-0000000003.log"));
    }

    // ---- damage

    @Test
    void everySingleBitFlipOfASmallFileIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(write(sortedRandomEntries(12)));
        assertTrue(bytes.length > 200 && bytes.length < 500, "bytes=" + bytes.length);
        verify(bytes);
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            MalformedIndexException e = assertThrows(MalformedIndexException.class, () -> verify(flipped),
                    "bit=" + bit + " seed=" + seed);
            assertTrue(e.getMessage().contains("(file=" + NAME + " offset="), e.getMessage());
        }
    }

    @Test
    void everyTruncationAndAnAppendedByteAreRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(write(sortedRandomEntries(40)));
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(MalformedIndexException.class, () -> verify(cut), "length=" + length);
        }
        assertThrows(MalformedIndexException.class, () -> verify(Arrays.copyOf(bytes, bytes.length + 1)));
    }

    @Test
    void aZeroFilledFileIsRefusedAsNotAnIndex() {
        MalformedIndexException e = assertThrows(MalformedIndexException.class, () -> verify(new byte[4096]));
        assertTrue(e.getMessage().startsWith("not an index file: magic expected=0x584954554e4c4157 actual=0x0000000000000000"), e.getMessage());
        assertEquals(0, e.offsetBytes());
    }

    @Test
    void anIndexOfAnotherDataFileOrIncarnationIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(write(sortedRandomEntries(5)));
        assertRefused(bytes, new IndexFile.Expected(false, 4, SALT, COVERED_END_BYTES),
                "index of another data file: expected segment dataFileNumber=4 actual segment dataFileNumber=3");
        assertRefused(bytes, new IndexFile.Expected(true, 3, SALT, COVERED_END_BYTES),
                "index of another data file: expected base dataFileNumber=3");
        assertRefused(bytes, new IndexFile.Expected(false, 3, SALT + 1, COVERED_END_BYTES),
                "index of another incarnation of its data file: salt expected=0x5eedcafef00d0002");
        assertRefused(bytes, new IndexFile.Expected(false, 3, SALT, COVERED_END_BYTES - 1),
                "index covers more than its data file holds: coveredEndBytes=" + COVERED_END_BYTES);
    }

    @Test
    void aBlockLengthBeyondTheLimitOrTheFileIsRefusedBeforeItIsRead() throws Exception {
        byte[] bytes = craft(HEADER, 1, new RawBlock(deleteBytes(new byte[] {1}), 1));
        // A declared length of 4 GiB, and one just past the limit: refused on the length alone.
        for (long declared : new long[] {0xFFFF_FFFFL, IndexFile.BLOCK_BYTES_MAX + 1L, 0}) {
            byte[] crafted = withInt(bytes, IndexFile.HEADER_BYTES, (int) declared);
            MalformedIndexException e = assertThrows(MalformedIndexException.class, () -> verify(crafted));
            assertEquals("index block length out of range: blockBytes=" + declared + " expected in [1, "
                    + IndexFile.BLOCK_BYTES_MAX + "] (file=" + NAME + " offset=64)", e.getMessage());
        }
        byte[] pastFooter = withInt(bytes, IndexFile.HEADER_BYTES, IndexFile.BLOCK_BYTES_MAX);
        MalformedIndexException e = assertThrows(MalformedIndexException.class, () -> verify(pastFooter));
        assertEquals("index block runs past the footer: blockBytes=" + IndexFile.BLOCK_BYTES_MAX + " remaining=3"
                + " (file=" + NAME + " offset=64)", e.getMessage());
    }

    @Test
    void keysOutOfOrderAreRefusedByTheWriterWhichStaysUsable() throws Exception {
        try (FileChannelWalStorage storage = new FileChannelWalStorage(dir);
             IndexFileWriter writer = new IndexFileWriter(storage.create(NAME), HEADER)) {
            writer.delete(new byte[] {5, 5});
            IllegalArgumentException equal = assertThrows(IllegalArgumentException.class,
                    () -> writer.putInline(new byte[] {5, 5}, new byte[0]));
            assertTrue(equal.getMessage().startsWith("index keys must increase strictly: entry=1 keyLength=2"
                    + " previousKeyLength=2"), equal.getMessage());
            IllegalArgumentException smaller = assertThrows(IllegalArgumentException.class,
                    () -> writer.put(new byte[] {5}, 20, 64, 30));
            assertTrue(smaller.getMessage().contains("entry=1 keyLength=1 previousKeyLength=2"), smaller.getMessage());
            // Unsigned order: 0x80 sorts after 0x05.
            writer.delete(new byte[] {(byte) 0x80});
            writer.finish();
        }
        IndexFile.Summary summary = verify(Files.readAllBytes(dir.resolve(NAME)));
        assertEquals(2, summary.entryCount());
    }

    @Test
    void keysOutOfOrderInACraftedFileWithValidChecksumsAreRefused() throws Exception {
        byte[] withinBlock = craft(HEADER, 2, new RawBlock(concat(deleteBytes(new byte[] {2}), deleteBytes(new byte[] {1})), 2));
        assertRefused(withinBlock, EXPECTED, "index keys out of order: entry=1 keyLength=1 previousKeyLength=1");
        byte[] acrossBlocks = craft(HEADER, 2, new RawBlock(deleteBytes(new byte[] {1, 0}), 1),
                new RawBlock(deleteBytes(new byte[] {1}), 1));
        MalformedIndexException e = assertThrows(MalformedIndexException.class, () -> verify(acrossBlocks));
        assertEquals("index keys out of order: entry=1 keyLength=1 previousKeyLength=2 expected a strictly greater key"
                + " (file=" + NAME + " offset=" + (64 + 12 + 4 + 12) + ")", e.getMessage());
        byte[] duplicate = craft(HEADER, 2, new RawBlock(concat(deleteBytes(new byte[] {1}), deleteBytes(new byte[] {1})), 2));
        assertRefused(duplicate, EXPECTED, "index keys out of order: entry=1");
    }

    @Test
    void craftedEntriesOutsideTheFormatAreRefusedWithValidChecksums() throws Exception {
        byte[] key = {7};
        assertCraftedRefused(locatorBytes(key, 10, 63, 5), "index locator outside the covered data: cellOffset=63");
        assertCraftedRefused(locatorBytes(key, 10, COVERED_END_BYTES - 4, 5), "index locator outside the covered data");
        assertCraftedRefused(locatorBytes(key, 10, 64, 0), "index cellLength out of range: cellLength=0");
        assertCraftedRefused(concat(new byte[] {IndexFile.KIND_PUT_INLINE, 1, 7, 13}, new byte[13]),
                "index valueLength out of range: valueLength=13 expected in [0, 12]");
        assertCraftedRefused(new byte[] {IndexFile.KIND_PUT_INLINE, 1, 7, 5, 0}, "index valueLength runs past its block");
        assertCraftedRefused(new byte[] {4, 1, 7}, "unknown index entry kind: expected=1|2|3 actual=4");
        assertCraftedRefused(new byte[] {IndexFile.KIND_DELETE, 0, 7}, "index keyLength out of range: keyLength=0");
        assertCraftedRefused(new byte[] {IndexFile.KIND_DELETE, 3, 7}, "index keyLength runs past its block");
        assertCraftedRefused(new byte[] {IndexFile.KIND_PUT, 1, 7, (byte) 0x80, (byte) 0x80},
                "bad index valueLength: varint runs past the end");
        assertCraftedRefused(new byte[] {IndexFile.KIND_DELETE, (byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, 8, 7},
                "bad index keyLength: varint out of range");
    }

    @Test
    void countsThatDisagreeWithTheEntriesOrTheFooterAreRefused() throws Exception {
        byte[] two = concat(deleteBytes(new byte[] {1}), deleteBytes(new byte[] {2}));
        assertRefused(craft(HEADER, 2, new RawBlock(two, 1)), EXPECTED,
                "index block has bytes after its last entry: entryCount=1 remaining=3");
        assertRefused(craft(HEADER, 2, new RawBlock(locatorBytes(new byte[] {1}, 10, 64, 5), 2)), EXPECTED,
                "index block ends inside its entries: entry=1");
        assertRefused(craft(HEADER, 2, new RawBlock(two, 0)), EXPECTED, "index block entry count out of range");
        assertRefused(craft(HEADER, 3, new RawBlock(two, 2)), EXPECTED,
                "index entry or block count mismatch: expected totalEntries=3 totalBlocks=1 (footer) actual totalEntries=2");
        byte[] badBlockCount = craft(HEADER, 2, new RawBlock(two, 2));
        ByteBuffer footer = IndexFile.Footer.encode(new IndexFile.Checksum(), SALT, 2, 2, badBlockCount.length - 32);
        footer.get(badBlockCount, badBlockCount.length - 32, 32);
        assertRefused(badBlockCount, EXPECTED, "index entry or block count mismatch: expected totalEntries=2 totalBlocks=2");
    }

    @Test
    void aHeaderOfAnotherVersionOrWithUnknownFlagsOrReservedBytesIsRefused() {
        assertRefused(withHeaderInt(8, 2), EXPECTED, "unsupported index format version: expected=1 actual=2");
        assertRefused(withHeaderInt(12, 2), EXPECTED, "unknown index flags: flags=0x2");
        assertRefused(withHeaderInt(56, 1), EXPECTED, "index header reserved bytes not zero");
    }

    @Test
    void aFileChangedBetweenVerifyAndReadIsRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(write(sortedRandomEntries(10)));
        IndexFile.Summary summary = verify(bytes);
        MalformedIndexException e = assertThrows(MalformedIndexException.class, () -> IndexFileReader.read(
                new ByteArrayWalFile(Arrays.copyOf(bytes, bytes.length + 1)), NAME, summary, WINDOW_BYTES, new Collector()));
        assertTrue(e.getMessage().startsWith("index file changed since it was verified"), e.getMessage());
    }

    // ---- I/O errors

    @Test
    void anIOErrorFromTheFileIsThrownAsIOExceptionNeverAsDamage() throws Exception {
        byte[] bytes = Files.readAllBytes(write(sortedRandomEntries(20_000)));
        // Fail the first read, then a read deep in the blocks.
        for (int failAt : new int[] {0, 3}) {
            IOException e = assertThrows(IOException.class, () -> IndexFileReader.verify(
                    new FailingReads(new ByteArrayWalFile(bytes), failAt), NAME, EXPECTED, IndexFileReader.WINDOW_BYTES_MIN));
            assertEquals("injected read failure", e.getMessage());
        }
        IndexFile.Summary summary = verify(bytes);
        assertThrows(IOException.class, () -> IndexFileReader.read(new FailingReads(new ByteArrayWalFile(bytes), 2),
                NAME, summary, IndexFileReader.WINDOW_BYTES_MIN, new Collector()));
    }

    @Test
    void aFileThatEndsEarlyUnderTheReaderIsAnIOException() throws Exception {
        byte[] bytes = Files.readAllBytes(write(sortedRandomEntries(20_000)));
        WalFile shrunk = new ForwardingWalFile(new ByteArrayWalFile(Arrays.copyOf(bytes, bytes.length / 2))) {
            @Override
            public long sizeBytes() {
                return bytes.length;
            }

            @Override
            public int read(long offsetBytes, ByteBuffer target) throws IOException {
                // The footer is read whole from the real bytes, so only the blocks come up short.
                if (offsetBytes == bytes.length - IndexFile.FOOTER_BYTES) {
                    return new ByteArrayWalFile(bytes).read(offsetBytes, target);
                }
                return super.read(offsetBytes, target);
            }
        };
        IOException e = assertThrows(IOException.class, () -> IndexFileReader.verify(shrunk, NAME, EXPECTED, WINDOW_BYTES));
        assertTrue(e.getMessage().contains("index file ended while reading"), e.getMessage());
    }

    @Test
    void aFailedAppendLeavesTheWriterRefusingEveryCall() throws Exception {
        try (FileChannelWalStorage storage = new FileChannelWalStorage(dir)) {
            WalFile failing = new ForwardingWalFile(storage.create(NAME)) {
                private int appends;

                @Override
                public void append(ByteBuffer source) throws IOException {
                    if (++appends > 1) {
                        throw new IOException("injected append failure");
                    }
                    super.append(source);
                }
            };
            try (IndexFileWriter writer = new IndexFileWriter(failing, HEADER)) {
                writer.delete(new byte[] {1});
                assertThrows(IOException.class, writer::finish);
                assertThrows(IllegalStateException.class, () -> writer.delete(new byte[] {2}));
                assertThrows(IllegalStateException.class, writer::finish);
            }
        }
    }

    @Test
    void theWriterRefusesFieldsTheReaderWouldRefuse() throws Exception {
        try (FileChannelWalStorage storage = new FileChannelWalStorage(dir);
             IndexFileWriter writer = new IndexFileWriter(storage.create(NAME), HEADER)) {
            byte[] k = {1};
            assertThrows(IllegalArgumentException.class, () -> writer.putInline(k, new byte[13]));
            assertThrows(IllegalArgumentException.class, () -> writer.put(k, 10, 63, 5));
            assertThrows(IllegalArgumentException.class, () -> writer.put(k, 10, COVERED_END_BYTES - 4, 5));
            assertThrows(IllegalArgumentException.class, () -> writer.put(k, -1, 64, 5));
            assertThrows(IllegalArgumentException.class, () -> writer.put(k, 10, 64, 0));
            assertThrows(IllegalArgumentException.class, () -> writer.delete(new byte[0]));
            assertThrows(IllegalArgumentException.class, () -> writer.delete(new byte[RecordFormat.KEY_BYTES_MAX + 1]));
            assertEquals(0, writer.entryCount());
            assertEquals(IndexFile.HEADER_BYTES + IndexFile.FOOTER_BYTES, writer.finish());
            assertThrows(IllegalStateException.class, () -> writer.delete(k));
        }
        try (FileChannelWalStorage storage = new FileChannelWalStorage(dir)) {
            assertThrows(IllegalArgumentException.class, () -> new IndexFileWriter(storage.open(NAME), HEADER));
        }
    }

    // ---- helpers

    /** Fails the {@code failAt}-th read (0-based) with an IOException. */
    private static final class FailingReads extends ForwardingWalFile {
        private final int failAt;
        private int reads;

        FailingReads(WalFile file, int failAt) {
            super(file);
            this.failAt = failAt;
        }

        @Override
        public int read(long offsetBytes, ByteBuffer target) throws IOException {
            if (reads++ == failAt) {
                throw new IOException("injected read failure");
            }
            return super.read(offsetBytes, target);
        }
    }

    private Entry randomEntry() {
        byte[] key = new byte[1 + random.nextInt(24)];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) random.nextInt(256);
        }
        switch (random.nextInt(3)) {
            case 0:
                int cellLength = 1 + random.nextInt(1 << 20);
                long cellOffset = RecordFormat.SEGMENT_HEADER_BYTES
                        + random.nextLong(COVERED_END_BYTES - RecordFormat.SEGMENT_HEADER_BYTES - cellLength + 1);
                return locator(key, random.nextInt(cellLength + 20), cellOffset, cellLength);
            case 1:
                byte[] value = new byte[random.nextInt(IndexFile.INLINE_VALUE_BYTES_MAX + 1)];
                random.nextBytes(value);
                return inline(key, value);
            default:
                return delete(key);
        }
    }

    private List<Entry> sortedRandomEntries(int count) {
        TreeMap<byte[], Entry> model = new TreeMap<>(Arrays::compareUnsigned);
        while (model.size() < count) {
            Entry e = randomEntry();
            model.put(e.key(), e);
        }
        return new ArrayList<>(model.values());
    }

    private static Entry locator(byte[] key, int valueLength, long cellOffset, int cellLength) {
        return new Entry(IndexFile.KIND_PUT, key, null, valueLength, cellOffset, cellLength);
    }

    private static Entry inline(byte[] key, byte[] value) {
        return new Entry(IndexFile.KIND_PUT_INLINE, key, value, value.length, 0, 0);
    }

    private static Entry delete(byte[] key) {
        return new Entry(IndexFile.KIND_DELETE, key, null, 0, 0, 0);
    }

    private static List<String> describe(java.util.Collection<Entry> entries) {
        return entries.stream().map(Entry::describe).toList();
    }

    /** Writes the entries through the writer into {@code dir/NAME}. */
    private Path write(java.util.Collection<Entry> entries) throws IOException {
        try (FileChannelWalStorage storage = new FileChannelWalStorage(dir)) {
            if (storage.exists(NAME)) {
                storage.delete(NAME);
            }
            try (IndexFileWriter writer = new IndexFileWriter(storage.create(NAME), HEADER)) {
                for (Entry e : entries) {
                    switch (e.kind()) {
                        case IndexFile.KIND_PUT -> writer.put(e.key(), e.valueLength(), e.cellOffset(), e.cellLength());
                        case IndexFile.KIND_PUT_INLINE -> writer.putInline(e.key(), e.value());
                        default -> writer.delete(e.key());
                    }
                }
                long endBytes = writer.finish();
                assertEquals(Files.size(dir.resolve(NAME)), endBytes);
            }
        }
        return dir.resolve(NAME);
    }

    private static IndexFile.Summary verify(byte[] bytes) throws IOException, MalformedIndexException {
        return IndexFileReader.verify(new ByteArrayWalFile(bytes), NAME, EXPECTED, IndexFileReader.WINDOW_BYTES_MIN);
    }

    private static void assertRefused(byte[] bytes, IndexFile.Expected expected, String messageStart) {
        MalformedIndexException e = assertThrows(MalformedIndexException.class,
                () -> IndexFileReader.verify(new ByteArrayWalFile(bytes), NAME, expected, WINDOW_BYTES));
        assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
        assertTrue(e.getMessage().contains("(file=" + NAME + " offset=" + e.offsetBytes() + ")"), e.getMessage());
        assertSame(NAME, e.fileName());
    }

    private static void assertCraftedRefused(byte[] entry, String messageStart) throws IOException {
        assertRefused(craft(HEADER, 1, new RawBlock(entry, 1)), EXPECTED, messageStart);
    }

    /** A block as raw entry bytes and its declared count; {@link #craft} gives it a valid checksum. */
    record RawBlock(byte[] entries, int entryCount) {
    }

    /** An index file of these blocks with valid checksums everywhere, whatever the entries say. */
    private static byte[] craft(IndexFile.Header header, long footerEntries, RawBlock... blocks) {
        int size = IndexFile.HEADER_BYTES + IndexFile.FOOTER_BYTES;
        for (RawBlock b : blocks) {
            size += IndexFile.BLOCK_HEADER_BYTES + b.entries().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN).put(header.encode());
        IndexFile.Checksum checksum = new IndexFile.Checksum();
        for (RawBlock b : blocks) {
            int crc = checksum.block(header.dataFileSalt(), out.position(), b.entries().length, b.entryCount(),
                    ByteBuffer.wrap(b.entries()));
            out.putInt(b.entries().length).putInt(b.entryCount()).putInt(crc).put(b.entries());
        }
        out.put(IndexFile.Footer.encode(checksum, header.dataFileSalt(), footerEntries, blocks.length, out.position()));
        return out.array();
    }

    /** An empty index whose header int at {@code offset} is {@code value}, with the header checksum redone. */
    private static byte[] withHeaderInt(int offset, int value) {
        byte[] bytes = craft(HEADER, 0);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, IndexFile.HEADER_BYTES - 4);
        b.putInt(IndexFile.HEADER_BYTES - 4, (int) crc.getValue());
        return bytes;
    }

    private static byte[] withInt(byte[] bytes, int offset, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return copy;
    }

    private static byte[] locatorBytes(byte[] key, int valueLength, long cellOffset, int cellLength) {
        ByteBuffer b = ByteBuffer.allocate(64 + key.length);
        b.put(IndexFile.KIND_PUT);
        Varints.put32(b, key.length);
        b.put(key);
        Varints.put32(b, valueLength);
        Varints.put64(b, cellOffset);
        Varints.put32(b, cellLength);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] inlineBytes(byte[] key, byte[] value) {
        return concat(new byte[] {IndexFile.KIND_PUT_INLINE, (byte) key.length}, key, new byte[] {(byte) value.length}, value);
    }

    private static byte[] deleteBytes(byte[] key) {
        return concat(new byte[] {IndexFile.KIND_DELETE, (byte) key.length}, key);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
