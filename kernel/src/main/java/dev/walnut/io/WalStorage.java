package dev.walnut.io;

import dev.walnut.StorageLockedException;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A flat directory of files holding one store. Every implementation runs the contract suite
 * {@code WalStorageContractTest}.
 *
 * <p>Contract, each rule proven by that suite:
 * <ul>
 *   <li>{@link #list()} must return the names of every file in the directory, sorted, and nothing
 *       else (no sub-directories); {@link #exists} must agree with it.
 *   <li>{@link #create} must fail with {@link java.nio.file.FileAlreadyExistsException} if the name
 *       exists, and otherwise return an empty file open for append and read.
 *   <li>{@link #open} must fail with {@link java.nio.file.NoSuchFileException} if the name does not
 *       exist, and otherwise return the file with its existing bytes, open for append and read.
 *   <li>{@link #delete} must fail with {@link java.nio.file.NoSuchFileException} if the name does
 *       not exist.
 *   <li>{@link #rename} must fail with {@link java.nio.file.NoSuchFileException} if the source does
 *       not exist. It must be atomic and replace an existing target: at every moment an
 *       {@link #open} of the target finds either the old target or the whole source, never
 *       nothing; once it returns, {@link #list()} shows the target and not the source. (A
 *       {@link #list()} running during the rename may see both names or neither: POSIX leaves a
 *       directory read racing a rename unspecified.)
 *   <li>Creates, renames and deletes must be made durable by {@link #syncDirectory()}; until then a
 *       power loss may undo them.
 *   <li>{@link #lock()} must take an exclusive lock on the directory that excludes every other
 *       holder, in this JVM or any other process, and fail at once with
 *       {@link StorageLockedException}, whose message names the directory, if it is held. The lock
 *       lives in a file named {@link #LOCK_NAME}, created if missing and left in place on release;
 *       {@link #list()} reports it like any other file and callers must not touch it. Closing the
 *       returned handle releases the lock; closing it again must do nothing.
 *   <li>Names are plain file names: a name that is empty, contains a path separator, or is
 *       {@code .} or {@code ..} must be rejected with {@link IllegalArgumentException}.
 *   <li>{@code toString()} must name the directory (path or URI), for error messages.
 * </ul>
 */
public interface WalStorage extends Closeable {

    /** The file through which {@link #lock()} holds the directory's lock. */
    String LOCK_NAME = "LOCK";

    /**
     * The names of the directory's files.
     *
     * @return every file name, sorted; no sub-directories
     * @throws IOException on an I/O error, or if the storage is closed
     */
    List<String> list() throws IOException;

    /**
     * Creates an empty file. Durable (its name) only after {@link #syncDirectory()}.
     *
     * @param name a plain file name
     * @return the new file, open for append and read; close it
     * @throws java.nio.file.FileAlreadyExistsException if a file of that name exists
     * @throws IllegalArgumentException if {@code name} is not a plain file name
     * @throws IOException on an I/O error, or if the storage is closed
     */
    WalFile create(String name) throws IOException;

    /**
     * Opens an existing file with its bytes.
     *
     * @param name a plain file name
     * @return the file, open for append and read; close it
     * @throws java.nio.file.NoSuchFileException if no file has that name
     * @throws IllegalArgumentException if {@code name} is not a plain file name
     * @throws IOException on an I/O error, or if the storage is closed
     */
    WalFile open(String name) throws IOException;

    /**
     * Whether a file of this name exists; agrees with {@link #list()}.
     *
     * @param name a plain file name
     * @return true if {@link #list()} would show it
     * @throws IllegalArgumentException if {@code name} is not a plain file name
     * @throws IOException on an I/O error, or if the storage is closed
     */
    boolean exists(String name) throws IOException;

    /**
     * Deletes a file. Durable only after {@link #syncDirectory()}.
     *
     * @param name a plain file name
     * @throws java.nio.file.NoSuchFileException if no file has that name
     * @throws IllegalArgumentException if {@code name} is not a plain file name
     * @throws IOException on an I/O error, or if the storage is closed
     */
    void delete(String name) throws IOException;

    /**
     * Renames {@code source} to {@code target} atomically, replacing an existing target. Durable
     * only after {@link #syncDirectory()}.
     *
     * @param source the file to rename
     * @param target its new name
     * @throws java.nio.file.NoSuchFileException if {@code source} does not exist
     * @throws IllegalArgumentException if either name is not a plain file name
     * @throws IOException on an I/O error, or if the storage is closed
     */
    void rename(String source, String target) throws IOException;

    /**
     * Makes every create, rename and delete before it durable (an fsync of the directory).
     *
     * @throws IOException if they may not be durable, or if the storage is closed
     */
    void syncDirectory() throws IOException;

    /**
     * Takes the directory's exclusive lock; closing the returned handle releases it. Never waits.
     *
     * @return the lock's handle; closing it twice does nothing
     * @throws StorageLockedException if another holder, in this JVM or another process, has it
     * @throws IOException on an I/O error, or if the storage is closed
     */
    Closeable lock() throws IOException;

    /**
     * Closes the storage; the files it handed out and a lock it granted stay open. The default
     * does nothing.
     *
     * @throws IOException if releasing the storage's resources fails
     */
    @Override
    default void close() throws IOException {
    }

    /**
     * Rejects names that could escape the directory: for implementations, before they touch a file.
     *
     * @param name a file name
     * @return {@code name}, if it is a plain file name
     * @throws IllegalArgumentException if it is null, empty, {@code .} or {@code ..}, or holds a
     *                                  {@code /}, a {@code \} or a NUL character
     */
    static String checkName(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
                || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a plain file name: name=" + name);
        }
        return name;
    }
}
