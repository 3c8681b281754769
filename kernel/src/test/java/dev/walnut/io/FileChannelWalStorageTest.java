package dev.walnut.io;

import dev.walnut.StorageLockedException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a real directory, plus what only a real file system can show: other processes. */
class FileChannelWalStorageTest extends WalStorageContractTest {

    private static final long PROBE_TIMEOUT_SECONDS = 30;

    @TempDir
    Path directory;

    @Override
    protected WalStorage newStorage() throws IOException {
        return new FileChannelWalStorage(directory);
    }

    @Test
    void constructorRejectsAMissingDirectoryNamingIt() {
        Path missing = directory.resolve("missing");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> new FileChannelWalStorage(missing));
        assertTrue(e.getMessage().contains(missing.toString()), "message: " + e.getMessage());
    }

    @Test
    void constructorRejectsARegularFileNamingIt() throws IOException {
        Path file = Files.createFile(directory.resolve("plain"));
        NotDirectoryException e = assertThrows(NotDirectoryException.class, () -> new FileChannelWalStorage(file));
        assertTrue(e.getMessage().contains(file.toString()), "message: " + e.getMessage());
    }

    @Test
    void anAppendAfterAnotherWriterGrewTheFileThrowsWithAssertionsOff() throws IOException {
        // Checked always, not by assert: tests run with -ea, production without it.
        try (WalFile mine = storage.create("wal-1.log")) {
            mine.append(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            try (WalFile other = storage.open("wal-1.log")) {
                other.append(ByteBuffer.wrap(new byte[] {9}));
            }
            IOException e = assertThrows(IOException.class, () -> mine.append(ByteBuffer.wrap(new byte[] {4})));
            assertTrue(e.getMessage().contains("another writer changed the file: expected sizeBytes=3 actual=4"),
                    e.getMessage());
            ByteBuffer read = ByteBuffer.allocate(8);
            mine.read(0, read);
            assertEquals(4, read.position(), "the refused append wrote nothing");
        }
    }

    @Test
    void toStringNamesTheDirectoryAndFilesTheirPath() throws IOException {
        assertEquals(directory.toAbsolutePath().toString(), storage.toString());
        try (WalFile file = storage.create("wal-1.log")) {
            assertEquals(directory.toAbsolutePath().resolve("wal-1.log").toString(), file.toString());
        }
    }

    @Test
    void listSkipsSubdirectories() throws IOException {
        Files.createDirectory(directory.resolve("sub"));
        storage.create("wal-1.log").close();
        assertEquals(List.of("wal-1.log"), storage.list());
        assertFalse(storage.exists("sub"));
    }

    @Test
    void appendedBytesLandInTheFileOnDisk() throws IOException {
        byte[] content = bytes(10_000);
        try (WalFile file = storage.create("wal-1.log")) {
            file.append(ByteBuffer.wrap(content));
            file.sync();
        }
        assertArrayEquals(content, Files.readAllBytes(directory.resolve("wal-1.log")));
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
        assertTrue(e.getMessage().contains(storage.toString()), "message: " + e.getMessage());
        storage.close();
        try (file) {
            file.append(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertEquals(3, file.sizeBytes());
        }
    }

    @Test
    void secondStorageOnTheSameDirectoryCannotLock() throws IOException {
        WalStorage other = new FileChannelWalStorage(directory);
        try (Closeable held = storage.lock()) {
            StorageLockedException e = assertThrows(StorageLockedException.class, other::lock);
            assertTrue(e.getMessage().contains(directory.toAbsolutePath().toString()), "message: " + e.getMessage());
        }
        other.lock().close();
    }

    @Test
    @Timeout(2 * PROBE_TIMEOUT_SECONDS)
    void lockExcludesAnotherProcessUntilReleased() throws Exception {
        try (Closeable held = storage.lock()) {
            assertEquals(LockProbe.EXIT_LOCKED, runProbe());
        }
        assertEquals(LockProbe.EXIT_ACQUIRED, runProbe());
    }

    /**
     * POSIX drops every lock a process holds on a file when it closes any descriptor of that file,
     * so a refused attempt in this JVM must not have opened (and closed) one.
     */
    @Test
    @Timeout(2 * PROBE_TIMEOUT_SECONDS)
    void refusedLockAttemptInThisJvmKeepsOtherProcessesOut() throws Exception {
        WalStorage other = new FileChannelWalStorage(directory);
        try (Closeable held = storage.lock()) {
            assertThrows(StorageLockedException.class, other::lock);
            assertThrows(StorageLockedException.class, storage::lock);
            assertEquals(LockProbe.EXIT_LOCKED, runProbe());
        }
    }

    @Test
    @Timeout(2 * PROBE_TIMEOUT_SECONDS)
    void lockHeldByAnotherProcessExcludesThisOne() throws Exception {
        Process holder = startProbe(LockProbe.MODE_HOLD);
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals(LockProbe.HOLDING, output.readLine(), "the probe did not take the lock");
            StorageLockedException e = assertThrows(StorageLockedException.class, storage::lock);
            assertTrue(e.getMessage().contains("another process or store"), "message: " + e.getMessage());
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS), "the probe did not exit");
            assertEquals(LockProbe.EXIT_ACQUIRED, holder.exitValue());
            storage.lock().close();
        } finally {
            holder.destroyForcibly();
        }
    }

    private int runProbe() throws IOException, InterruptedException {
        Process probe = startProbe(LockProbe.MODE_TRY);
        try {
            boolean exited = probe.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String output = exited ? new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
            assertTrue(exited, "the probe did not exit within seconds=" + PROBE_TIMEOUT_SECONDS);
            int exitCode = probe.exitValue();
            assertTrue(exitCode == LockProbe.EXIT_LOCKED || exitCode == LockProbe.EXIT_ACQUIRED,
                    "the probe failed: exitCode=" + exitCode + " output=" + output);
            return exitCode;
        } finally {
            probe.destroyForcibly();
        }
    }

    private Process startProbe(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire runs the kernel's tests on the module path: the child gets both paths as its class path.
        String modulePath = System.getProperty("jdk.module.path", "");
        String classPath = System.getProperty("java.class.path")
                + (modulePath.isEmpty() ? "" : File.pathSeparator + modulePath);
        return new ProcessBuilder(java, "-ea", "-Xmx64m", "-cp", classPath,
                LockProbe.class.getName(), mode, directory.toString())
                .redirectErrorStream(true)
                .start();
    }

    /** Runs in a child JVM: tries the lock on a directory and reports through its exit code. */
    static final class LockProbe {
        static final String MODE_TRY = "try";
        /** Take the lock, print {@link #HOLDING}, and keep it until stdin closes. */
        static final String MODE_HOLD = "hold";
        static final String HOLDING = "holding";
        static final int EXIT_ACQUIRED = 10;
        static final int EXIT_LOCKED = 11;
        static final int EXIT_ERROR = 12;

        public static void main(String[] args) {
            System.exit(probe(args[0], Path.of(args[1])));
        }

        private static int probe(String mode, Path directory) {
            try (Closeable lock = new FileChannelWalStorage(directory).lock()) {
                if (MODE_HOLD.equals(mode)) {
                    System.out.println(HOLDING);
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // Hold until the parent closes our stdin.
                    }
                }
                return EXIT_ACQUIRED;
            } catch (StorageLockedException e) {
                System.out.println(e.getMessage());
                return EXIT_LOCKED;
            } catch (IOException | RuntimeException e) {
                e.printStackTrace(System.out);
                return EXIT_ERROR;
            }
        }
    }
}
