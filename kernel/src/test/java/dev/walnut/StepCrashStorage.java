package dev.walnut;

import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real directory whose N-th mutating operation (create, append, sync, truncate, delete, rename,
 * directory sync) does not happen: instead the directory is copied as it stands (the image a process
 * killed just before that step leaves) and the operation fails. Counting starts at {@link #arm}.
 */
final class StepCrashStorage implements WalStorage {
    private final FileChannelWalStorage inner;
    private final Path directory;
    private final Path crashImage;
    private long failAtStep = Long.MAX_VALUE;
    private long steps;
    private boolean crashed;

    StepCrashStorage(Path directory, Path crashImage) throws IOException {
        this.inner = new FileChannelWalStorage(Files.createDirectories(directory));
        this.directory = directory;
        this.crashImage = crashImage;
    }

    /** The {@code step}-th mutating operation from now on crashes (1-based). */
    void arm(long step) {
        steps = 0;
        failAtStep = step;
    }

    boolean crashed() {
        return crashed;
    }

    long steps() {
        return steps;
    }

    private synchronized void step(String what) throws IOException {
        if (crashed) {
            throw new IOException("injected: process already crashed, refusing " + what);
        }
        if (++steps == failAtStep) {
            crashed = true;
            Files.createDirectories(crashImage);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path p : files.toList()) {
                    if (!p.getFileName().toString().equals("LOCK")) {
                        Files.copy(p, crashImage.resolve(p.getFileName()));
                    }
                }
            }
            throw new IOException("injected crash before step " + steps + ": " + what);
        }
    }

    @Override
    public List<String> list() throws IOException {
        return inner.list();
    }

    @Override
    public WalFile create(String name) throws IOException {
        step("create " + name);
        return new CountingFile(inner.create(name), name);
    }

    @Override
    public WalFile open(String name) throws IOException {
        return new CountingFile(inner.open(name), name);
    }

    @Override
    public boolean exists(String name) throws IOException {
        return inner.exists(name);
    }

    @Override
    public void delete(String name) throws IOException {
        step("delete " + name);
        inner.delete(name);
    }

    @Override
    public void rename(String source, String target) throws IOException {
        step("rename " + source + " -> " + target);
        inner.rename(source, target);
    }

    @Override
    public void syncDirectory() throws IOException {
        step("syncDirectory");
        inner.syncDirectory();
    }

    @Override
    public Closeable lock() throws IOException {
        return inner.lock();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    private final class CountingFile implements WalFile {
        private final WalFile file;
        private final String name;

        CountingFile(WalFile file, String name) {
            this.file = file;
            this.name = name;
        }

        @Override
        public int read(long offsetBytes, ByteBuffer target) throws IOException {
            return file.read(offsetBytes, target);
        }

        @Override
        public void append(ByteBuffer source) throws IOException {
            step("append " + name);
            file.append(source);
        }

        @Override
        public void sync() throws IOException {
            step("sync " + name);
            file.sync();
        }

        @Override
        public long sizeBytes() throws IOException {
            return file.sizeBytes();
        }

        @Override
        public void truncate(long sizeBytes) throws IOException {
            step("truncate " + name);
            file.truncate(sizeBytes);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }
}
