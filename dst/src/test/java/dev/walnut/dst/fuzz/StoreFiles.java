package dev.walnut.dst.fuzz;

import dev.walnut.adapters.InMemoryWalStorage;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/** A store directory as bytes per file name: copied out of a storage, or loaded into a fresh one. */
final class StoreFiles {

    private StoreFiles() {
    }

    /** A fresh in-memory storage holding exactly {@code files}. */
    static InMemoryWalStorage load(Map<String, byte[]> files) {
        InMemoryWalStorage storage = new InMemoryWalStorage("fuzz");
        try {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                try (WalFile f = storage.create(e.getKey())) {
                    f.append(ByteBuffer.wrap(e.getValue()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("loading an in-memory store cannot fail", e);
        }
        return storage;
    }

    /** Every file of {@code storage} but its lock file, as it is now. */
    static TreeMap<String, byte[]> snapshot(WalStorage storage) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        for (String name : storage.list()) {
            if (name.equals(WalStorage.LOCK_NAME)) {
                continue; // the storage's own lock file: no bytes, nothing recovery reads
            }
            try (WalFile f = storage.open(name)) {
                ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(f.sizeBytes()));
                f.readFully(0, bytes);
                out.put(name, bytes.array());
            }
        }
        return out;
    }

    static long totalBytes(Map<String, byte[]> files) {
        long total = 0;
        for (byte[] b : files.values()) {
            total += b.length;
        }
        return total;
    }
}
