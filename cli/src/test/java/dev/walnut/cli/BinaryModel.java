package dev.walnut.cli;

import dev.walnut.Walnut;
import dev.walnut.WalnutOptions;
import dev.walnut.WriteBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A store of awkward binary keys and values (NUL, 0xFF, invalid UTF-8, separators, quotes,
 * backslashes, newlines, multi-byte text, empty values), written with overwrites and deletes, and
 * the model of its live state, ordered like the store (unsigned bytes).
 */
final class BinaryModel {

    static final long SEED = 0x5EED_CAFEL;

    final TreeMap<byte[], byte[]> live = new TreeMap<>(Arrays::compareUnsigned);

    static BinaryModel write(Path dir, int entries) throws IOException {
        BinaryModel model = new BinaryModel();
        SplittableRandom random = new SplittableRandom(SEED);
        byte[][] specials = {
            {0}, {(byte) 0xFF}, {(byte) 0xC3, (byte) 0x28}, {'a', ',', 'b'}, {'"', 'q', '"'}, {'\\', 'x', '4', '1'},
            {'l', '\n', 'f'}, {'t', '\t', 'b'}, "日本語".getBytes(StandardCharsets.UTF_8), {(byte) 0xC2, (byte) 0x85},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {'#', 'c'}, {0x7F},
        };
        try (Walnut db = Walnut.open(dir, WalnutOptions.builder().seed(SEED).build())) {
            for (byte[] special : specials) {
                model.put(db, special, special.clone());
            }
            model.put(db, "empty-value".getBytes(StandardCharsets.UTF_8), new byte[0]);
            for (int i = 0; i < entries; i++) {
                byte[] key = new byte[1 + random.nextInt(24)];
                random.nextBytes(key);
                byte[] value = new byte[random.nextInt(200)];
                random.nextBytes(value);
                model.put(db, key, value);
                if (i % 7 == 0) {
                    model.put(db, key, Arrays.copyOf(value, value.length / 2));
                }
                if (i % 11 == 0) {
                    db.delete(key);
                    model.live.remove(key);
                }
            }
        }
        return model;
    }

    private void put(Walnut db, byte[] key, byte[] value) throws IOException {
        db.write(new WriteBatch().put(key, value));
        live.put(key, value);
    }
}
