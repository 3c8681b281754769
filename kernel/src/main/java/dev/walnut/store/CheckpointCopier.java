package dev.walnut.store;

import dev.walnut.format.Manifest;
import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies immutable store files into a checkpoint directory: a hard link where the storage is a
 * real directory on the same file system (no bytes copied), a streamed copy through the
 * {@link WalFile} seam otherwise. Every file, then the directory, is synced before it returns, so a
 * checkpoint that was reported done survives a power loss.
 *
 * <p>Linking is safe only because the files are immutable: a store never writes into a segment
 * below its active one, nor into a base, and removes them only by unlinking.
 */
public final class CheckpointCopier {

    /** The streamed copy's buffer: bounded, whatever the file's size. */
    static final int COPY_BUFFER_BYTES = 256 * 1024;

    /** How the checkpoint's files were made. */
    public record Result(int linkedFiles, int copiedFiles, long copiedBytes) {
    }

    private CheckpointCopier() {
    }

    /** Fails unless {@code target} is missing or an empty directory; creates it. */
    public static void prepareTarget(Path target) throws IOException {
        if (Files.exists(target)) {
            if (!Files.isDirectory(target)) {
                throw new FileSystemException(target.toString(), null, "checkpoint target is not a directory");
            }
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new DirectoryNotEmptyException(target + ": a checkpoint needs a new or empty directory");
                }
            }
        }
        Files.createDirectories(target);
    }

    /**
     * Copies (or links) {@code names} from {@code storage} into {@code target}, then writes
     * {@code manifest} (if not null) as its MANIFEST, syncs it and the directory.
     */
    public static Result copy(WalStorage storage, List<String> names, Path target, ByteBuffer manifest)
            throws IOException {
        Path source = storage instanceof FileChannelWalStorage files ? files.directory() : null;
        // The copy is written through the same seam as the store, so file creation, syncs and the
        // directory sync follow the one FileChannel implementation.
        FileChannelWalStorage copy = new FileChannelWalStorage(target);
        int linked = 0;
        int copied = 0;
        long bytes = 0;
        for (String name : names) {
            if (source != null && link(source.resolve(name), target.resolve(name))) {
                linked++; // its bytes are durable already: the store synced them before they were immutable
            } else {
                bytes += stream(storage, name, copy);
                copied++;
            }
        }
        if (manifest != null) {
            try (WalFile out = copy.create(Manifest.NAME)) {
                out.append(manifest);
                out.sync();
            }
        }
        copy.syncDirectory();
        return new Result(linked, copied, bytes);
    }

    private static boolean link(Path existing, Path link) {
        try {
            Files.createLink(link, existing);
            return true;
        } catch (UnsupportedOperationException | IOException e) {
            // Another file system, or one without hard links: copy instead.
            return false;
        }
    }

    private static long stream(WalStorage storage, String name, WalStorage copy) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(COPY_BUFFER_BYTES);
        long offset = 0;
        try (WalFile from = storage.open(name); WalFile out = copy.create(name)) {
            long size = from.sizeBytes();
            while (offset < size) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), size - offset));
                int n = from.read(offset, buffer);
                if (n <= 0) {
                    throw new IOException("file shrank while it was copied for a checkpoint: expected sizeBytes="
                            + size + " actual=" + offset + " (file=" + from + ")");
                }
                out.append(buffer.flip());
                offset += n;
            }
            out.sync();
        }
        return offset;
    }
}
