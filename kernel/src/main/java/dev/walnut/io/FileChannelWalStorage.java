package dev.walnut.io;

import dev.walnut.StorageLockedException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real {@link WalStorage}: one directory of the default file system, files on
 * {@link FileChannel}s. Thread-safe.
 *
 * <p>Costs, in system calls: a file's {@code read} is one {@code pread}; {@code append} is one
 * {@code fstat} (to check that no other writer moved the end) and one {@code pwrite}, more only if
 * the write is partial; {@code sync} is one {@code fdatasync} (the size an append grew is
 * flushed with it); {@code sizeBytes} one {@code fstat}; {@code truncate} one {@code ftruncate}.
 * {@code create} and {@code open} cost an {@code open} and an {@code fstat}; {@code list} one
 * directory read and a {@code stat} per entry; {@code rename} one {@code rename};
 * {@code exists} one {@code stat}; {@code delete} one {@code unlink};
 * {@code syncDirectory} opens the directory and fsyncs it (nothing on Windows, where NTFS journals
 * directory changes).
 *
 * <p>Buffers: a {@code FileChannel} reads into (and writes from) a heap
 * {@link java.nio.ByteBuffer} through a hidden temporary direct buffer as large as the request,
 * which the JDK caches per thread. Pass direct buffers, or heap buffers of bounded size (a read
 * window, one record), never a heap buffer sized by the file. The files add no copies of their own.
 *
 * <p>Interrupts: a {@code FileChannel} is interruptible. Interrupting a thread blocked in one of
 * a file's operations closes that file for every user of the handle
 * ({@link java.nio.channels.ClosedByInterruptException}); callers treat that like any I/O failure.
 *
 * <p>A file's appends go to an end position its handle tracks, so one handle must be the file's
 * only writer; an append that finds the size changed behind it throws instead of overwriting.
 */
public final class FileChannelWalStorage implements WalStorage {

    /**
     * Windows cannot open a directory as a channel (it fails with {@link AccessDeniedException});
     * NTFS makes directory changes durable through its own journal, so there is nothing to force.
     */
    private static final boolean DIRECTORY_SYNC_UNSUPPORTED =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

    /**
     * Lock files held by this JVM, by real path. POSIX record locks belong to the process, and
     * closing ANY descriptor of a file drops every lock the process holds on it. So a second
     * attempt in this JVM must be refused before it opens a channel: opening and closing one would
     * silently release the first holder's lock to other processes.
     */
    private static final Set<Path> LOCKS_HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final boolean readOnly;
    private volatile boolean closed;

    /**
     * Opens the storage on an existing directory; it creates nothing and takes no lock.
     *
     * @param directory an existing directory; made absolute and normalized
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws java.nio.file.NotDirectoryException if it is not a directory
     * @throws IOException on an I/O error while checking it
     */
    public FileChannelWalStorage(Path directory) throws IOException {
        this(directory, false);
    }

    /**
     * The storage on an existing directory, seen strictly read-only: files are opened for reading
     * only, so nothing under it can write, and every mutating call ({@code create}, {@code delete},
     * {@code rename}, {@code syncDirectory}, {@code lock}, and {@code append}, {@code sync},
     * {@code truncate} on its files) fails with a {@link FileSystemException} saying so. Works on a
     * read-only directory or mount.
     *
     * @param directory an existing directory
     * @return the read-only storage
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws java.nio.file.NotDirectoryException if it is not a directory
     * @throws IOException on an I/O error while checking it
     */
    public static FileChannelWalStorage readOnly(Path directory) throws IOException {
        return new FileChannelWalStorage(directory, true);
    }

    private FileChannelWalStorage(Path directory, boolean readOnly) throws IOException {
        this.readOnly = readOnly;
        Path absolute = directory.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new NoSuchFileException(absolute.toString(), null, "storage directory does not exist");
        }
        if (!Files.isDirectory(absolute)) {
            throw new NotDirectoryException(absolute.toString());
        }
        this.directory = absolute;
    }

    /**
     * The directory this storage works in.
     *
     * @return its absolute, normalized path
     */
    public Path directory() {
        return directory;
    }

    @Override
    public List<String> list() throws IOException {
        ensureOpen();
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    names.add(entry.getFileName().toString());
                }
            }
        }
        Collections.sort(names);
        return Collections.unmodifiableList(names);
    }

    /**
     * Whether this storage refuses every change.
     *
     * @return true if made by {@link #readOnly}
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    @Override
    public WalFile create(String name) throws IOException {
        refuseIfReadOnly("create", name);
        Path path = resolve(name);
        FileChannel channel = FileChannel.open(path,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return wrap(channel, path);
    }

    @Override
    public WalFile open(String name) throws IOException {
        Path path = resolve(name);
        if (readOnly) {
            return wrap(FileChannel.open(path, StandardOpenOption.READ), path, true);
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return wrap(channel, path);
    }

    @Override
    public boolean exists(String name) throws IOException {
        // Regular files only, so that exists agrees with list.
        return Files.isRegularFile(resolve(name));
    }

    @Override
    public void delete(String name) throws IOException {
        refuseIfReadOnly("delete", name);
        Files.delete(resolve(name));
    }

    /** rename(2): the target is replaced atomically, so an open of it never finds nothing. */
    @Override
    public void rename(String source, String target) throws IOException {
        refuseIfReadOnly("rename", source);
        Path sourcePath = resolve(source);
        Path targetPath = resolve(target);
        Files.move(sourcePath, targetPath, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void syncDirectory() throws IOException {
        refuseIfReadOnly("syncDirectory", ".");
        ensureOpen();
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            // A directory's entries are metadata: force(true), i.e. fsync on the directory.
            channel.force(true);
        } catch (AccessDeniedException e) {
            if (!DIRECTORY_SYNC_UNSUPPORTED) {
                throw e;
            }
        }
    }

    /**
     * Takes an exclusive {@code fcntl} lock on the {@value #LOCK_NAME} file, creating it if
     * missing. Refused at once, before any descriptor of the file is opened, if this JVM already
     * holds it: closing any descriptor of a locked file would silently drop the process's lock.
     */
    @Override
    public Closeable lock() throws IOException {
        refuseIfReadOnly("lock", LOCK_NAME);
        ensureOpen();
        Path lockPath = directory.resolve(LOCK_NAME);
        try {
            Files.createFile(lockPath);
        } catch (FileAlreadyExistsException leftByAnEarlierHolder) {
            // Expected: the file stays after release. create_new opened no descriptor, so no lock dropped.
        }
        Path realPath = lockPath.toRealPath();
        if (!LOCKS_HELD_IN_THIS_JVM.add(realPath)) {
            throw locked();
        }
        FileChannel channel = null;
        try {
            // WRITE: an exclusive POSIX lock needs a descriptor open for writing.
            channel = FileChannel.open(realPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock fileLock = channel.tryLock();
            if (fileLock == null) {
                throw locked();
            }
            return new LockHandle(realPath, channel, fileLock);
        } catch (OverlappingFileLockException e) {
            // Only if code outside this class locked the file in this JVM.
            releaseFailedAttempt(realPath, channel, e);
            StorageLockedException locked = locked();
            locked.initCause(e);
            throw locked;
        } catch (IOException | RuntimeException e) {
            releaseFailedAttempt(realPath, channel, e);
            throw e;
        }
    }

    /** Marks the storage closed: later calls throw; handed-out files and a granted lock stay open. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return directory.toString();
    }

    private StorageLockedException locked() {
        return new StorageLockedException("storage is locked: another process or store holds it (directory="
                + directory + " lockFile=" + LOCK_NAME + ")");
    }

    private void refuseIfReadOnly(String operation, String name) throws IOException {
        if (readOnly) {
            throw readOnlyRefusal(operation, directory.resolve(WalStorage.checkName(name)));
        }
    }

    static FileSystemException readOnlyRefusal(String operation, Path path) {
        return new FileSystemException(path.toString(), null, "refused " + operation
                + ": the storage is open read-only");
    }

    private Path resolve(String name) throws IOException {
        WalStorage.checkName(name);
        ensureOpen();
        return directory.resolve(name);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new NamedClosedChannelException("storage", directory);
        }
    }

    private static void releaseFailedAttempt(Path realPath, FileChannel channel, Throwable primary) {
        closeQuietly(channel, primary);
        LOCKS_HELD_IN_THIS_JVM.remove(realPath);
    }

    private static WalFile wrap(FileChannel channel, Path path) throws IOException {
        return wrap(channel, path, false);
    }

    private static WalFile wrap(FileChannel channel, Path path, boolean readOnly) throws IOException {
        try {
            return new FileChannelWalFile(channel, path, readOnly);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    private static void closeQuietly(Closeable closeable, Throwable primary) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException | RuntimeException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }

    /** Releases the lock once; later closes do nothing, so they cannot release a later holder's lock. */
    private static final class LockHandle implements Closeable {
        private final Path realPath;
        private final FileChannel channel;
        private final FileLock fileLock;
        private final AtomicBoolean released = new AtomicBoolean();

        LockHandle(Path realPath, FileChannel channel, FileLock fileLock) {
            this.realPath = realPath;
            this.channel = channel;
            this.fileLock = fileLock;
        }

        @Override
        public void close() throws IOException {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            try {
                fileLock.release();
            } finally {
                // Closing the channel releases the lock even if release() failed; only then may
                // another store in this JVM try.
                try {
                    channel.close();
                } finally {
                    LOCKS_HELD_IN_THIS_JVM.remove(realPath);
                }
            }
        }

        @Override
        public String toString() {
            return "lock(file=" + realPath + ")";
        }
    }
}
