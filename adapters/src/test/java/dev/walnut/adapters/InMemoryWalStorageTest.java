package dev.walnut.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.walnut.StorageLockedException;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import dev.walnut.io.WalStorageContractTest;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract in the heap, plus what is particular to it: chunked growth, names, instances. */
class InMemoryWalStorageTest extends WalStorageContractTest {

    private static final int CHUNK_BYTES = InMemoryFileBytes.CHUNK_BYTES;
    /** "A few hundred MiB": more than a single doubling byte[] could reach within the test heap. */
    private static final int LARGE_FILE_CHUNKS = 320;

    @Override
    protected WalStorage newStorage() {
        return new InMemoryWalStorage("contract");
    }

    @Test
    void toStringNamesTheStorageAndFilesAsMemUris() throws IOException {
        assertEquals("mem:/contract", storage.toString());
        try (WalFile file = storage.create("wal-1.log")) {
            assertEquals("mem:/contract/wal-1.log", file.toString());
        }
    }

    @Test
    void readsAndAppendsCrossChunkBoundaries() throws IOException {
        byte[] content = bytes(2 * CHUNK_BYTES + 100);
        try (WalFile file = storage.create("f")) {
            file.append(ByteBuffer.wrap(content, 0, CHUNK_BYTES - 3));
            file.append(ByteBuffer.wrap(content, CHUNK_BYTES - 3, content.length - (CHUNK_BYTES - 3)));
            assertContent(file, content);
            ByteBuffer spanning = ByteBuffer.allocateDirect(20);
            file.readFully(CHUNK_BYTES - 10, spanning);
            assertArrayEquals(Arrays.copyOfRange(content, CHUNK_BYTES - 10, CHUNK_BYTES + 10), array(spanning.flip()));

            file.truncate(CHUNK_BYTES + 5);
            byte[] tail = bytes(CHUNK_BYTES);
            file.append(ByteBuffer.wrap(tail));
            byte[] expected = Arrays.copyOf(content, 2 * CHUNK_BYTES + 5);
            System.arraycopy(tail, 0, expected, CHUNK_BYTES + 5, tail.length);
            assertContent(file, expected);

            file.truncate(CHUNK_BYTES);
            file.truncate(3);
            file.append(ByteBuffer.wrap(tail, 0, 7));
            assertContent(file, concat(Arrays.copyOf(content, 3), Arrays.copyOf(tail, 7)));
        }
    }

    @Test
    void holdsAFileOfThreeHundredMebibytes() throws IOException {
        try (WalFile file = storage.create("large")) {
            ByteBuffer block = ByteBuffer.allocate(CHUNK_BYTES);
            for (int i = 0; i < LARGE_FILE_CHUNKS; i++) {
                Arrays.fill(block.array(), (byte) i);
                file.append(block.clear().putLong(0, i));
            }
            long sizeBytes = (long) LARGE_FILE_CHUNKS * CHUNK_BYTES;
            assertEquals(sizeBytes, file.sizeBytes());
            for (int i : new int[] {0, 1, 127, 128, 255, 256, LARGE_FILE_CHUNKS - 1}) {
                ByteBuffer head = ByteBuffer.allocate(Long.BYTES + 1);
                file.readFully((long) i * CHUNK_BYTES, head);
                assertEquals(i, head.getLong(0), "block index at block=" + i);
                assertEquals((byte) i, head.get(Long.BYTES), "fill byte at block=" + i);
            }
            assertEquals(-1, file.read(sizeBytes, ByteBuffer.allocate(1)));
            file.truncate(0);
            assertEquals(0, file.sizeBytes());
        }
    }

    @Test
    void handlesOnOneFileShareItsBytes() throws IOException {
        byte[] content = bytes(100);
        try (WalFile writer = storage.create("f"); WalFile reader = storage.open("f")) {
            writer.append(ByteBuffer.wrap(content));
            assertContent(reader, content);
            writer.close();
            assertContent(reader, content);
        }
    }

    @Test
    void deletedAndRenamedFilesStayUsableThroughOpenHandles() throws IOException {
        byte[] content = bytes(100);
        try (WalFile deleted = fileWith("deleted", content); WalFile renamed = fileWith("renamed", content)) {
            storage.delete("deleted");
            storage.rename("renamed", "moved");
            deleted.append(ByteBuffer.wrap(content));
            assertContent(deleted, concat(content, content));
            renamed.append(ByteBuffer.wrap(content));
            try (WalFile moved = storage.open("moved")) {
                assertContent(moved, concat(content, content));
            }
            assertEquals(List.of("moved"), storage.list());
        }
    }

    @Test
    void twoInstancesAreTwoDirectories() throws IOException {
        WalStorage other = new InMemoryWalStorage("contract");
        storage.create("f").close();
        assertEquals(List.of(), other.list());
        try (Closeable held = storage.lock(); Closeable otherHeld = other.lock()) {
            assertThrows(StorageLockedException.class, storage::lock);
        }
    }

    @Test
    void operationsAfterStorageCloseThrowClosedChannelExceptionButFilesStayOpen() throws IOException {
        WalFile file = storage.create("a");
        storage.close();
        assertThrows(ClosedChannelException.class, storage::list);
        assertThrows(ClosedChannelException.class, () -> storage.create("b"));
        assertThrows(ClosedChannelException.class, () -> storage.open("a"));
        assertThrows(ClosedChannelException.class, () -> storage.exists("a"));
        assertThrows(ClosedChannelException.class, () -> storage.delete("a"));
        assertThrows(ClosedChannelException.class, () -> storage.rename("a", "b"));
        assertThrows(ClosedChannelException.class, storage::syncDirectory);
        ClosedChannelException e = assertThrows(ClosedChannelException.class, storage::lock);
        assertTrue(e.getMessage().contains("mem:/contract"), "message: " + e.getMessage());
        storage.close();
        try (file) {
            file.append(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            file.sync();
            assertEquals(3, file.sizeBytes());
        }
    }

    @Test
    void storageNameMustBePlain() {
        assertThrows(IllegalArgumentException.class, () -> new InMemoryWalStorage("a/b"));
        assertThrows(IllegalArgumentException.class, () -> new InMemoryWalStorage(""));
    }

    private static byte[] array(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
