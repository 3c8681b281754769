package dev.walnut.io;

import dev.walnut.StorageLockedException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The contract of {@link WalStorage} and {@link WalFile}: every "must" rule of their Javadoc,
 * proven by a test named after it. Each implementation extends this class (Lucene's
 * {@code BaseDirectoryTestCase} pattern).
 *
 * <p>Durability ("survives a power loss") can only be proven by an implementation that can
 * simulate one: override {@link #simulatesPowerLoss()} and {@link #afterPowerLoss}. Elsewhere those
 * tests are skipped, not passed.
 *
 * <p>Randomness comes from one seed per test, printed on failure; rerun with {@code -Dwalnut.seed=N}.
 */
public abstract class WalStorageContractTest {

    /** Bigger than any buffer an implementation is likely to special-case, and not a power of two. */
    private static final int LARGE_APPEND_BYTES = 4 * 1024 * 1024 + 17;
    private static final int SHORT_READ_BYTES_MAX = 7;
    private static final int CONCURRENT_WRITERS = 4;
    private static final int RECORDS_PER_WRITER = 200;
    private static final int RECORD_PAYLOAD_BYTES_MAX = 512;
    private static final int RECORD_HEADER_BYTES = 1 + Integer.BYTES;
    private static final int RENAME_GENERATIONS = 100;
    private static final int GENERATION_FILE_BYTES = 4096;
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    private static final long CONCURRENT_TEST_TIMEOUT_SECONDS = 60;

    private final long seed = Long.getLong("walnut.seed", System.nanoTime());
    protected final SplittableRandom random = new SplittableRandom(seed);
    protected WalStorage storage;

    @RegisterExtension
    final TestWatcher seedOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.err.println("failed: test=" + context.getDisplayName() + " seed=" + seed
                    + " (rerun with -Dwalnut.seed=" + seed + ")");
        }
    };

    /** A new, empty storage for one test. */
    protected abstract WalStorage newStorage() throws Exception;

    /** Releases what {@link #newStorage()} made; the default closes the storage. */
    protected void disposeStorage(WalStorage storage) throws Exception {
        storage.close();
    }

    /** Whether {@link #afterPowerLoss} can simulate a power loss for this implementation. */
    protected boolean simulatesPowerLoss() {
        return false;
    }

    /**
     * Cuts the power under {@code storage} (every file handle is closed already) and returns the
     * storage as found at restart: only what was made durable is guaranteed to be there. The old
     * storage is abandoned; dispose of it here if it needs it.
     */
    protected WalStorage afterPowerLoss(WalStorage storage) throws Exception {
        throw new UnsupportedOperationException("override simulatesPowerLoss() and afterPowerLoss() together");
    }

    @BeforeEach
    final void setUpStorage() throws Exception {
        storage = newStorage();
    }

    @AfterEach
    final void tearDownStorage() throws Exception {
        disposeStorage(storage);
    }

    // ---------------------------------------------------------------- WalFile: read

    @Test
    void readPastEndReturnsMinusOne() throws Exception {
        try (WalFile empty = storage.create("empty")) {
            assertEquals(-1, empty.read(0, ByteBuffer.allocate(8)));
        }
        try (WalFile file = fileWith("ten", bytes(10))) {
            ByteBuffer target = ByteBuffer.allocate(8);
            assertEquals(-1, file.read(10, target));
            assertEquals(-1, file.read(11, target));
            assertEquals(-1, file.read(1L << 40, target));
            assertEquals(0, target.position(), "a read at end must copy nothing");
        }
    }

    @Test
    void readIntoAFullTargetReturnsZero() throws Exception {
        try (WalFile file = fileWith("f", bytes(10))) {
            ByteBuffer full = ByteBuffer.allocate(4);
            full.position(4);
            assertEquals(0, file.read(0, full));
            assertEquals(0, file.read(10, full), "no room wins over end of file");
        }
    }

    @Test
    void readBeforeEndReturnsAtLeastOneByteAndNoMoreThanRemain() throws Exception {
        byte[] content = bytes(1000);
        try (WalFile file = fileWith("f", content)) {
            for (int i = 0; i < 50; i++) {
                int offset = random.nextInt(content.length);
                ByteBuffer target = ByteBuffer.allocate(1 + random.nextInt(2000));
                int n = file.read(offset, target);
                assertTrue(n >= 1 && n <= Math.min(target.capacity(), content.length - offset),
                        "read returned n=" + n + " at offset=" + offset);
                assertArrayEquals(Arrays.copyOfRange(content, offset, offset + n), Arrays.copyOf(target.array(), n));
            }
            assertEquals(1, file.read(content.length - 1, ByteBuffer.allocate(16)));
        }
    }

    @Test
    void readAdvancesTargetPositionByItsCountAndTouchesNothingElse() throws Exception {
        byte[] content = bytes(100);
        try (WalFile file = fileWith("f", content)) {
            for (ByteBuffer target : List.of(ByteBuffer.allocate(64), ByteBuffer.allocateDirect(64))) {
                byte filler = 0x5A;
                while (target.hasRemaining()) {
                    target.put(filler);
                }
                target.position(7).limit(40);
                int n = file.read(30, target);
                assertTrue(n >= 1, "read returned n=" + n);
                assertEquals(7 + n, target.position());
                assertEquals(40, target.limit());
                ByteBuffer whole = target.duplicate().clear();
                for (int i = 0; i < 64; i++) {
                    byte expected = i >= 7 && i < 7 + n ? content[30 + i - 7] : filler;
                    assertEquals(expected, whole.get(i), "target byte at index=" + i + " direct=" + target.isDirect());
                }
            }
        }
    }

    @Test
    void readDoesNotMoveTheAppendPosition() throws Exception {
        byte[] first = bytes(300);
        byte[] second = bytes(200);
        try (WalFile file = fileWith("f", first)) {
            file.readFully(100, ByteBuffer.allocate(50));
            assertEquals(300, file.sizeBytes());
            file.append(ByteBuffer.wrap(second));
            assertContent(file, concat(first, second));
        }
    }

    @Test
    void readAtNegativeOffsetIsRejected() throws Exception {
        try (WalFile file = fileWith("f", bytes(10))) {
            assertThrows(IllegalArgumentException.class, () -> file.read(-1, ByteBuffer.allocate(4)));
        }
    }

    // ---------------------------------------------------------------- WalFile: append

    @Test
    void appendIsVisibleToReadBeforeSync() throws Exception {
        try (WalFile file = storage.create("f")) {
            byte[] expected = new byte[0];
            for (int i = 0; i < 20; i++) {
                byte[] chunk = bytes(random.nextInt(300));
                file.append(ByteBuffer.wrap(chunk));
                expected = concat(expected, chunk);
                assertEquals(expected.length, file.sizeBytes());
                assertContent(file, expected);
            }
        }
    }

    @Test
    void appendWritesEveryRemainingByteOfTheSource() throws Exception {
        byte[] heapBytes = bytes(100);
        ByteBuffer heap = ByteBuffer.wrap(heapBytes).position(5).limit(97);
        byte[] large = bytes(LARGE_APPEND_BYTES);
        ByteBuffer direct = ByteBuffer.allocateDirect(large.length).put(large).flip();
        byte[] readOnlyBytes = bytes(50);
        ByteBuffer readOnly = ByteBuffer.wrap(readOnlyBytes).asReadOnlyBuffer();
        try (WalFile file = storage.create("f")) {
            file.append(heap);
            file.append(direct);
            file.append(readOnly);
            file.append(ByteBuffer.allocate(0));
            assertEquals(97, heap.position());
            assertEquals(97, heap.limit());
            assertFalse(direct.hasRemaining());
            assertFalse(readOnly.hasRemaining());
            assertContent(file, concat(Arrays.copyOfRange(heapBytes, 5, 97), large, readOnlyBytes));
        }
    }

    @Test
    void concurrentAppendsNeverInterleaveAndReadsRunBesideThem() throws Exception {
        try (WalFile file = storage.create("f")) {
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger readerPasses = new AtomicInteger();
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int writer = 0; writer < CONCURRENT_WRITERS; writer++) {
                tasks.add(appender(file, (byte) (writer + 1), random.split()));
            }
            // do-while: on a loaded machine the writers may finish before these threads are
            // scheduled; each still runs at least once beside or after them.
            tasks.add(() -> {
                do {
                    checkRecords(file, file.sizeBytes(), false);
                    readerPasses.incrementAndGet();
                } while (writing.get());
                return null;
            });
            tasks.add(() -> {
                do {
                    file.sync();
                } while (writing.get());
                return null;
            });
            runConcurrently(tasks, CONCURRENT_WRITERS, writing);
            int[] counts = checkRecords(file, file.sizeBytes(), true);
            for (int writer = 0; writer < CONCURRENT_WRITERS; writer++) {
                assertEquals(RECORDS_PER_WRITER, counts[writer + 1], "records of writer=" + writer);
            }
            assertTrue(readerPasses.get() > 0, "the reader never ran");
        }
    }

    // ---------------------------------------------------------------- WalFile: sync

    @Test
    void syncKeepsEveryByteAndCanRepeat() throws Exception {
        byte[] first = bytes(500);
        byte[] second = bytes(700);
        try (WalFile file = storage.create("f")) {
            file.sync();
            file.append(ByteBuffer.wrap(first));
            file.sync();
            file.sync();
            file.append(ByteBuffer.wrap(second));
            file.sync();
            assertContent(file, concat(first, second));
        }
        try (WalFile reopened = storage.open("f")) {
            assertContent(reopened, concat(first, second));
        }
    }

    @Test
    void syncedAppendSurvivesPowerLoss() throws Exception {
        assumeTrue(simulatesPowerLoss(), "this implementation cannot simulate a power loss");
        byte[] content = bytes(3000);
        try (WalFile file = storage.create("f")) {
            file.append(ByteBuffer.wrap(content));
            file.sync();
        }
        storage.syncDirectory();
        storage = afterPowerLoss(storage);
        try (WalFile file = storage.open("f")) {
            assertContent(file, content);
        }
    }

    @Test
    void syncedTruncateSurvivesPowerLoss() throws Exception {
        assumeTrue(simulatesPowerLoss(), "this implementation cannot simulate a power loss");
        byte[] content = bytes(3000);
        try (WalFile file = storage.create("f")) {
            file.append(ByteBuffer.wrap(content));
            file.sync();
            storage.syncDirectory();
            file.truncate(1234);
            file.sync();
        }
        storage = afterPowerLoss(storage);
        try (WalFile file = storage.open("f")) {
            assertContent(file, Arrays.copyOf(content, 1234));
        }
    }

    // ---------------------------------------------------------------- WalFile: truncate

    @Test
    void truncateShrinksAndLaterAppendsGoAtTheNewEnd() throws Exception {
        byte[] content = bytes(1000);
        byte[] tail = bytes(77);
        try (WalFile file = fileWith("f", content)) {
            file.truncate(1000);
            assertContent(file, content);
            file.truncate(400);
            assertContent(file, Arrays.copyOf(content, 400));
            assertEquals(-1, file.read(400, ByteBuffer.allocate(1)));
            file.append(ByteBuffer.wrap(tail));
            assertContent(file, concat(Arrays.copyOf(content, 400), tail));
            file.truncate(0);
            assertContent(file, new byte[0]);
        }
    }

    @Test
    void truncateToALargerOrNegativeSizeIsRejectedAndChangesNothing() throws Exception {
        byte[] content = bytes(100);
        try (WalFile file = fileWith("f", content)) {
            assertThrows(IllegalArgumentException.class, () -> file.truncate(101));
            assertThrows(IllegalArgumentException.class, () -> file.truncate(-1));
            assertContent(file, content);
            file.append(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(101, file.sizeBytes());
        }
    }

    // ---------------------------------------------------------------- WalFile: close, toString, readFully

    @Test
    void operationsAfterCloseThrowClosedChannelException() throws Exception {
        WalFile file = fileWith("f", bytes(10));
        file.close();
        assertThrows(ClosedChannelException.class, () -> file.read(0, ByteBuffer.allocate(4)));
        assertThrows(ClosedChannelException.class, () -> file.readFully(0, ByteBuffer.allocate(4)));
        assertThrows(ClosedChannelException.class, () -> file.append(ByteBuffer.allocate(4)));
        assertThrows(ClosedChannelException.class, file::sync);
        assertThrows(ClosedChannelException.class, file::sizeBytes);
        assertThrows(ClosedChannelException.class, () -> file.truncate(0));
        file.close();
        assertTrue(file.toString().contains("f"), "toString after close: " + file);
        try (WalFile reopened = storage.open("f")) {
            assertEquals(10, reopened.sizeBytes(), "a closed handle must not have changed the file");
        }
    }

    @Test
    void fileToStringNamesTheFile() throws Exception {
        try (WalFile created = storage.create("wal-0000000007.log")) {
            assertTrue(created.toString().contains("wal-0000000007.log"), "toString: " + created);
        }
        try (WalFile opened = storage.open("wal-0000000007.log")) {
            assertTrue(opened.toString().contains("wal-0000000007.log"), "toString: " + opened);
        }
    }

    @Test
    void readFullyLoopsOverShortReads() throws Exception {
        byte[] content = bytes(5000);
        try (ShortReads file = new ShortReads(fileWith("f", content), random.split())) {
            ByteBuffer target = ByteBuffer.allocate(3000);
            file.readFully(1500, target);
            assertFalse(target.hasRemaining());
            assertArrayEquals(Arrays.copyOfRange(content, 1500, 4500), target.array());
            assertTrue(file.reads > 3000 / SHORT_READ_BYTES_MAX, "reads=" + file.reads);
        }
    }

    @Test
    void readFullyThrowsEofExceptionNamingFileAndOffsetWhenTheFileEndsFirst() throws Exception {
        try (ShortReads file = new ShortReads(fileWith("f", bytes(10)), random.split())) {
            ByteBuffer target = ByteBuffer.allocate(16);
            EOFException e = assertThrows(EOFException.class, () -> file.readFully(4, target));
            assertEquals(6, target.position(), "the bytes before the end are copied");
            assertTrue(e.getMessage().contains("offset=10") && e.getMessage().contains(file.toString()),
                    "message: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- WalStorage: create, open, list

    @Test
    void createReturnsAnEmptyFileThatIsListed() throws Exception {
        try (WalFile file = storage.create("f")) {
            assertEquals(0, file.sizeBytes());
            assertEquals(-1, file.read(0, ByteBuffer.allocate(1)));
        }
        assertEquals(List.of("f"), storage.list());
        assertTrue(storage.exists("f"));
    }

    @Test
    void createFailsWhenNameExists() throws Exception {
        byte[] content = bytes(100);
        fileWith("f", content).close();
        assertThrows(FileAlreadyExistsException.class, () -> storage.create("f"));
        try (WalFile file = storage.open("f")) {
            assertContent(file, content);
        }
    }

    @Test
    void openFailsWhenNameIsMissing() throws Exception {
        assertThrows(NoSuchFileException.class, () -> storage.open("missing"));
        assertEquals(List.of(), storage.list(), "a failed open must not create the file");
    }

    @Test
    void openSeesExistingBytesAndAppendsAtTheEnd() throws Exception {
        byte[] first = bytes(321);
        byte[] second = bytes(123);
        fileWith("f", first).close();
        try (WalFile file = storage.open("f")) {
            assertContent(file, first);
            file.append(ByteBuffer.wrap(second));
        }
        try (WalFile file = storage.open("f")) {
            assertContent(file, concat(first, second));
        }
    }

    @Test
    void listReturnsEveryFileSortedAndNothingElse() throws Exception {
        assertEquals(List.of(), storage.list());
        List<String> names = new ArrayList<>(List.of("wal-10.log", "wal-2.log", "CURRENT", "a", "B", "manifest.tmp"));
        shuffle(names);
        for (String name : names) {
            storage.create(name).close();
        }
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted, storage.list());
        storage.delete("a");
        sorted.remove("a");
        assertEquals(sorted, storage.list());
    }

    @Test
    void existsAgreesWithListThroughCreateRenameAndDelete() throws Exception {
        assertFalse(storage.exists("a"));
        storage.create("a").close();
        assertTrue(storage.exists("a"));
        storage.rename("a", "b");
        assertFalse(storage.exists("a"));
        assertTrue(storage.exists("b"));
        assertEquals(List.of("b"), storage.list());
        storage.delete("b");
        assertFalse(storage.exists("b"));
        assertEquals(List.of(), storage.list());
    }

    // ---------------------------------------------------------------- WalStorage: delete, rename, syncDirectory

    @Test
    void deleteRemovesTheFileAndFailsWhenNameIsMissing() throws Exception {
        fileWith("f", bytes(10)).close();
        storage.delete("f");
        assertEquals(List.of(), storage.list());
        assertThrows(NoSuchFileException.class, () -> storage.open("f"));
        assertThrows(NoSuchFileException.class, () -> storage.delete("f"));
        try (WalFile recreated = storage.create("f")) {
            assertEquals(0, recreated.sizeBytes(), "a file created after a delete starts empty");
        }
    }

    @Test
    void renameMovesTheBytesToTheNewName() throws Exception {
        byte[] content = bytes(500);
        fileWith("source", content).close();
        storage.rename("source", "target");
        assertEquals(List.of("target"), storage.list());
        assertThrows(NoSuchFileException.class, () -> storage.open("source"));
        try (WalFile file = storage.open("target")) {
            assertContent(file, content);
        }
    }

    @Test
    void renameFailsWhenSourceIsMissing() throws Exception {
        byte[] content = bytes(10);
        fileWith("target", content).close();
        assertThrows(NoSuchFileException.class, () -> storage.rename("missing", "target"));
        assertEquals(List.of("target"), storage.list());
        try (WalFile file = storage.open("target")) {
            assertContent(file, content);
        }
    }

    /** Write-temp + sync + rename, as the manifest does, while another thread keeps opening the target. */
    @Test
    void renameReplacesTargetAtomically() throws Exception {
        writeGeneration("target", 0);
        AtomicBoolean renaming = new AtomicBoolean(true);
        AtomicInteger opens = new AtomicInteger();
        Callable<Void> reader = () -> {
            long lastGeneration = 0;
            while (renaming.get()) {
                long generation = readGeneration("target");
                assertTrue(generation >= lastGeneration, "generation went back: from=" + lastGeneration + " to=" + generation);
                lastGeneration = generation;
                opens.incrementAndGet();
            }
            return null;
        };
        Callable<Void> renamer = () -> {
            awaitFirstOpen(opens);
            for (int generation = 1; generation <= RENAME_GENERATIONS; generation++) {
                writeGeneration("target.tmp", generation);
                storage.rename("target.tmp", "target");
            }
            return null;
        };
        runConcurrently(List.of(renamer, reader), 1, renaming);
        assertEquals(List.of("target"), storage.list());
        assertEquals(RENAME_GENERATIONS, readGeneration("target"));
    }

    @Test
    void syncDirectoryAcceptsCreatesRenamesAndDeletes() throws Exception {
        storage.syncDirectory();
        fileWith("a", bytes(10)).close();
        storage.syncDirectory();
        storage.rename("a", "b");
        storage.syncDirectory();
        storage.delete("b");
        storage.syncDirectory();
        assertEquals(List.of(), storage.list());
    }

    @Test
    void syncedDirectoryChangesSurvivePowerLoss() throws Exception {
        assumeTrue(simulatesPowerLoss(), "this implementation cannot simulate a power loss");
        byte[] bContent = bytes(100);
        byte[] dContent = bytes(200);
        syncedFile("a", bytes(10));
        syncedFile("b", bContent);
        syncedFile("c", bytes(30));
        storage.syncDirectory();
        storage.delete("a");
        storage.rename("b", "c");
        syncedFile("d", dContent);
        storage.syncDirectory();
        storage = afterPowerLoss(storage);
        assertEquals(List.of("c", "d"), storage.list());
        try (WalFile c = storage.open("c"); WalFile d = storage.open("d")) {
            assertContent(c, bContent);
            assertContent(d, dContent);
        }
    }

    // ---------------------------------------------------------------- WalStorage: lock

    @Test
    void secondLockFailsAtOnceWhileFirstIsHeld() throws Exception {
        try (Closeable first = storage.lock()) {
            StorageLockedException e = assertTimeout(AT_ONCE,
                    () -> assertThrows(StorageLockedException.class, storage::lock));
            assertTrue(e.getMessage().contains(storage.toString()), "message must name the directory: " + e.getMessage());
        }
    }

    @Test
    void lockCanBeRetakenAfterRelease() throws Exception {
        for (int i = 0; i < 3; i++) {
            storage.lock().close();
        }
        try (Closeable again = storage.lock()) {
            assertThrows(StorageLockedException.class, storage::lock);
        }
    }

    @Test
    void releasingALockTwiceDoesNotReleaseTheNextHolder() throws Exception {
        Closeable first = storage.lock();
        first.close();
        try (Closeable second = storage.lock()) {
            first.close();
            assertThrows(StorageLockedException.class, storage::lock);
        }
    }

    @Test
    void exactlyOneOfManyConcurrentLockersWins() throws Exception {
        int lockers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(lockers);
        try {
            List<Future<Closeable>> attempts = new ArrayList<>();
            for (int i = 0; i < lockers; i++) {
                attempts.add(executor.submit(() -> {
                    start.await();
                    try {
                        return storage.lock();
                    } catch (StorageLockedException expected) {
                        return null;
                    }
                }));
            }
            start.countDown();
            List<Closeable> winners = new ArrayList<>();
            for (Future<Closeable> attempt : attempts) {
                Closeable lock = attempt.get(CONCURRENT_TEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (lock != null) {
                    winners.add(lock);
                }
            }
            assertEquals(1, winners.size(), "winners=" + winners);
            winners.get(0).close();
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void lockFileIsListedAndStaysAfterRelease() throws Exception {
        storage.create("wal-1.log").close();
        try (Closeable lock = storage.lock()) {
            assertEquals(List.of(WalStorage.LOCK_NAME, "wal-1.log"), storage.list());
            assertTrue(storage.exists(WalStorage.LOCK_NAME));
        }
        assertEquals(List.of(WalStorage.LOCK_NAME, "wal-1.log"), storage.list());
    }

    // ---------------------------------------------------------------- WalStorage: names

    @Test
    void namesThatEscapeTheDirectoryAreRejected() throws Exception {
        storage.create("ok").close();
        for (String bad : Arrays.asList("", ".", "..", "a/b", "../escape", "/absolute", "a\\b", "nul\0byte", null)) {
            String label = "name=" + bad;
            assertThrows(IllegalArgumentException.class, () -> storage.create(bad), label);
            assertThrows(IllegalArgumentException.class, () -> storage.open(bad), label);
            assertThrows(IllegalArgumentException.class, () -> storage.exists(bad), label);
            assertThrows(IllegalArgumentException.class, () -> storage.delete(bad), label);
            assertThrows(IllegalArgumentException.class, () -> storage.rename(bad, "ok"), label);
            assertThrows(IllegalArgumentException.class, () -> storage.rename("ok", bad), label);
        }
        assertEquals(List.of("ok"), storage.list());
    }

    // ---------------------------------------------------------------- helpers

    protected final byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    protected final WalFile fileWith(String name, byte[] content) throws IOException {
        WalFile file = storage.create(name);
        file.append(ByteBuffer.wrap(content));
        return file;
    }

    protected static void assertContent(WalFile file, byte[] expected) throws IOException {
        assertEquals(expected.length, file.sizeBytes(), "size of file=" + file);
        ByteBuffer actual = ByteBuffer.allocate(expected.length);
        file.readFully(0, actual);
        assertArrayEquals(expected, actual.array(), "content of file=" + file);
        assertEquals(-1, file.read(expected.length, ByteBuffer.allocate(1)), "end of file=" + file);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    private void shuffle(List<String> names) {
        for (int i = names.size() - 1; i > 0; i--) {
            names.set(i, names.set(random.nextInt(i + 1), names.get(i)));
        }
    }

    private void syncedFile(String name, byte[] content) throws IOException {
        try (WalFile file = fileWith(name, content)) {
            file.sync();
        }
    }

    private void writeGeneration(String name, long generation) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(GENERATION_FILE_BYTES).putLong(generation);
        while (content.hasRemaining()) {
            content.put((byte) generation);
        }
        try (WalFile file = storage.create(name)) {
            file.append(content.flip());
            file.sync();
        }
    }

    /** Opens {@code name} (which must exist) and returns its generation after checking every byte. */
    private long readGeneration(String name) throws IOException {
        try (WalFile file = storage.open(name)) {
            assertEquals(GENERATION_FILE_BYTES, file.sizeBytes(), "size of a renamed-in file=" + file);
            ByteBuffer content = ByteBuffer.allocate(GENERATION_FILE_BYTES);
            file.readFully(0, content);
            long generation = content.flip().getLong();
            while (content.hasRemaining()) {
                assertEquals((byte) generation, content.get(), "byte at offset=" + (content.position() - 1)
                        + " of generation=" + generation);
            }
            return generation;
        }
    }

    /** So that the renames overlap the opens: wait until the reader is in its loop. */
    private static void awaitFirstOpen(AtomicInteger opens) throws InterruptedException {
        long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONCURRENT_TEST_TIMEOUT_SECONDS);
        while (opens.get() == 0) {
            assertTrue(System.nanoTime() < deadlineNanos, "the reader never opened the target");
            Thread.sleep(1);
        }
    }

    /** Appends records [tag u8][length u32][length bytes of tag] from one writer thread. */
    private static Callable<Void> appender(WalFile file, byte tag, SplittableRandom random) {
        return () -> {
            for (int i = 0; i < RECORDS_PER_WRITER; i++) {
                int length = random.nextInt(RECORD_PAYLOAD_BYTES_MAX + 1);
                ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER_BYTES + length).put(tag).putInt(length);
                while (record.hasRemaining()) {
                    record.put(tag);
                }
                file.append(record.flip());
            }
            return null;
        };
    }

    /** Parses the records in [0, sizeBytes); returns counts by tag. A partial last record is allowed unless whole. */
    private static int[] checkRecords(WalFile file, long sizeBytes, boolean whole) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(Math.toIntExact(sizeBytes));
        file.readFully(0, content);
        content.flip();
        int[] counts = new int[CONCURRENT_WRITERS + 1];
        while (content.remaining() >= RECORD_HEADER_BYTES) {
            int offset = content.position();
            byte tag = content.get();
            int length = content.getInt();
            assertTrue(tag >= 1 && tag <= CONCURRENT_WRITERS && length >= 0 && length <= RECORD_PAYLOAD_BYTES_MAX,
                    "interleaved record header: tag=" + tag + " length=" + length + " (file=" + file + " offset=" + offset + ")");
            if (content.remaining() < length) {
                content.position(offset);
                break;
            }
            for (int i = 0; i < length; i++) {
                assertEquals(tag, content.get(), "interleaved payload (file=" + file + " offset=" + (content.position() - 1) + ")");
            }
            counts[tag]++;
        }
        if (whole) {
            assertFalse(content.hasRemaining(), "trailing bytes=" + content.remaining() + " (file=" + file + ")");
        }
        return counts;
    }

    /**
     * Runs {@code tasks}; when the first {@code finiteTasks} of them are done, clears {@code running}
     * so the rest (loops) stop. Rethrows the first failure.
     */
    private static void runConcurrently(List<Callable<Void>> tasks, int finiteTasks, AtomicBoolean running)
            throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : tasks) {
                futures.add(executor.submit(task));
            }
            try {
                for (int i = 0; i < finiteTasks; i++) {
                    futures.get(i).get(CONCURRENT_TEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
            } finally {
                running.set(false);
            }
            for (Future<Void> future : futures) {
                future.get(CONCURRENT_TEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            // Report the task's own failure (an assertion, an I/O error), not the wrapper.
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw (Exception) e.getCause();
        } finally {
            executor.shutdownNow();
        }
    }

    /** A real file whose reads are cut short at random, to prove that callers loop. */
    private static final class ShortReads extends ForwardingWalFile {
        private final SplittableRandom random;
        int reads;

        ShortReads(WalFile delegate, SplittableRandom random) {
            super(delegate);
            this.random = random;
        }

        @Override
        public int read(long offsetBytes, ByteBuffer target) throws IOException {
            reads++;
            int capBytes = 1 + random.nextInt(SHORT_READ_BYTES_MAX);
            if (target.remaining() <= capBytes) {
                return file.read(offsetBytes, target);
            }
            int limit = target.limit();
            target.limit(target.position() + capBytes);
            try {
                return file.read(offsetBytes, target);
            } finally {
                target.limit(limit);
            }
        }
    }
}
