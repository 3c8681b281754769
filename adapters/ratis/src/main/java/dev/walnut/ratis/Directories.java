package dev.walnut.ratis;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** File steps the state machine needs around checkpoints: list, copy durably, replace atomically, delete. */
final class Directories {

    /** Ratis writes an MD5 file beside each snapshot file it receives; it is not part of the store. */
    static final String MD5_SUFFIX = ".md5";

    private Directories() {
    }

    /** Every regular file under {@code dir}, except Ratis' MD5 side files, in a stable order. */
    static List<Path> storeFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(MD5_SUFFIX))
                    .sorted().forEach(files::add);
        }
        return files;
    }

    /**
     * Replaces {@code target} by a durable copy of the store files in {@code source}: copy into a
     * sibling, sync it, then swap. A crash leaves either the old store or the new one (a leftover
     * sibling is deleted by the next call).
     */
    static void replaceWithCopy(Path source, Path target) throws IOException {
        Path next = target.resolveSibling(target.getFileName() + ".restoring");
        deleteTree(next);
        Files.createDirectories(next);
        for (Path file : storeFiles(source)) {
            Path copy = next.resolve(source.relativize(file).toString());
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
            syncFile(copy);
        }
        syncFile(next);
        deleteTree(target);
        Files.move(next, target, StandardCopyOption.ATOMIC_MOVE);
        syncFile(target.toAbsolutePath().getParent());
    }

    /** fsync of a file or (on Linux and macOS) a directory. */
    static void syncFile(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                deleteIfThere(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                deleteIfThere(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteIfThere(Path p) throws IOException {
        try {
            Files.delete(p);
        } catch (NoSuchFileException gone) {
            // Already gone: the goal of the delete.
        }
    }
}
