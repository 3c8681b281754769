package dev.walnut;

import dev.walnut.io.FileChannelWalStorage;
import dev.walnut.io.WalFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A real directory whose N-th mutating operation (create, append, sync, truncate, delete, rename,
 * directory sync) does not happen: instead the directory is copied as it stands (the image a process
 * killed just before that step leaves) and the operation fails. Counting starts at {@link #arm}.
 */
final class StepCrashStorage extends dev.walnut.io.ForwardingWalStorage {
    private final Path directory;
    private final Path crashImage;
    private long failAtStep = Long.MAX_VALUE;
    private long steps;
    private boolean crashed;

    StepCrashStorage(Path directory, Path crashImage) throws IOException {
        super(new FileChannelWalStorage(Files.createDirectories(directory)));
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
    public WalFile create(String name) throws IOException {
        step("create " + name);
        return super.create(name);
    }

    @Override
    public void delete(String name) throws IOException {
        step("delete " + name);
        super.delete(name);
    }

    @Override
    public void rename(String source, String target) throws IOException {
        step("rename " + source + " -> " + target);
        super.rename(source, target);
    }

    @Override
    public void syncDirectory() throws IOException {
        step("syncDirectory");
        super.syncDirectory();
    }

    @Override
    protected WalFile wrap(String name, WalFile file) {
        return new dev.walnut.io.ForwardingWalFile(file) {
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
            public void truncate(long sizeBytes) throws IOException {
                step("truncate " + name);
                file.truncate(sizeBytes);
            }
        };
    }
}
