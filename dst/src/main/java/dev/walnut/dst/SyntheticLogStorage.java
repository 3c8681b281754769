package dev.walnut.dst;

import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * A read-only directory holding one {@link SyntheticSegmentFile}: enough for a read-only recovery
 * ({@code Recovery.run}), which lists, opens and reads. Anything that would write is refused.
 */
public final class SyntheticLogStorage implements WalStorage {

    private final long salt;
    private final long targetBytes;
    private final int[] valueBytes;
    private final boolean compress;

    public SyntheticLogStorage(long salt, long targetBytes, int[] valueBytes, boolean compress) {
        this.salt = salt;
        this.targetBytes = targetBytes;
        this.valueBytes = valueBytes.clone();
        this.compress = compress;
    }

    /** A fresh handle; each handle encodes its own records, so handles never share a cache. */
    public SyntheticSegmentFile segment() {
        return new SyntheticSegmentFile(salt, targetBytes, valueBytes, compress);
    }

    @Override
    public List<String> list() {
        return List.of(SyntheticSegmentFile.NAME);
    }

    @Override
    public WalFile create(String name) throws IOException {
        throw new IOException("read-only synthetic storage: create refused (name=" + name + ")");
    }

    @Override
    public WalFile open(String name) throws IOException {
        if (!SyntheticSegmentFile.NAME.equals(WalStorage.checkName(name))) {
            throw new NoSuchFileException(toString() + "/" + name);
        }
        return segment();
    }

    @Override
    public boolean exists(String name) {
        return SyntheticSegmentFile.NAME.equals(WalStorage.checkName(name));
    }

    @Override
    public void delete(String name) throws IOException {
        throw new IOException("read-only synthetic storage: delete refused (name=" + name + ")");
    }

    @Override
    public void rename(String source, String target) throws IOException {
        throw new IOException("read-only synthetic storage: rename refused (source=" + source + ")");
    }

    @Override
    public void syncDirectory() {
    }

    @Override
    public Closeable lock() {
        return () -> { };
    }

    @Override
    public String toString() {
        return "synthetic:/log";
    }
}
