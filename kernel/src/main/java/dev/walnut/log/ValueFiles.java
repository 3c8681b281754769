package dev.walnut.log;

import dev.walnut.DamageAction;
import dev.walnut.DamageKind;
import dev.walnut.DamageSite;
import dev.walnut.WalCorruptionException;
import dev.walnut.format.MalformedRecordException;
import dev.walnut.format.ValueCell;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The data files values are read from: one read handle per segment or base, numbered by a slot
 * that the index packs with the cell's offset into one {@code long} location. A get costs one
 * positional read ({@code pread}) of the cell and one CRC32C over it. Handles stay open after
 * compaction deletes their file (POSIX keeps the bytes while a handle is open) until no reader can
 * reach the file any more; then the store closes them ({@link #retire}).
 */
public final class ValueFiles implements AutoCloseable {

    /** Offsets within a data file: 40 bits, a terabyte. */
    public static final int OFFSET_BITS = 40;
    public static final long OFFSET_MAX = (1L << OFFSET_BITS) - 1;
    /** Slots: 23 bits (the location stays non-negative), one per data file opened in the store's life. */
    public static final int SLOTS_MAX = 1 << (63 - OFFSET_BITS);

    /** A read on a file that was retired under a reader that did not register: it must retry on the new index. */
    public static final class RetiredFileException extends IOException {
        private static final long serialVersionUID = 1L;

        RetiredFileException(String name) {
            super("data file retired by a compaction: file=" + name);
        }
    }

    private static final class Handle {
        final String name;
        final WalFile file;
        volatile boolean retired;
        /** The writer's pending records while this is the active segment, else null. */
        volatile AppendBuffer pending;

        Handle(String name, WalFile file) {
            this.name = name;
            this.file = file;
        }
    }

    private final WalStorage storage;
    private volatile Handle[] slots = new Handle[16];
    private int count;
    private final Map<String, Integer> byName = new HashMap<>();

    public ValueFiles(WalStorage storage) {
        this.storage = storage;
    }

    /** The slot of {@code name}, opening a read handle on first use. */
    public synchronized int open(String name) throws IOException {
        Integer known = byName.get(name);
        if (known != null) {
            return known;
        }
        if (count == SLOTS_MAX) {
            throw new IOException("too many data files opened in this store's life: slots=" + SLOTS_MAX
                    + "; reopen the store");
        }
        WalFile file = storage.open(name);
        if (count == slots.length) {
            slots = Arrays.copyOf(slots, count * 2);
        }
        Handle[] s = slots;
        s[count] = new Handle(name, file);
        slots = s; // publish the filled slot to readers
        byName.put(name, count);
        return count++;
    }

    /**
     * Reads of cells in {@code slot} (the writer's active segment from now on) look in
     * {@code pending} first: its records are not in the file yet. The previous active slot lets go.
     */
    synchronized void attachPending(int slot, AppendBuffer pending) {
        if (pendingSlot >= 0 && slots[pendingSlot] != null) {
            slots[pendingSlot].pending = null;
        }
        slots[slot].pending = pending;
        pendingSlot = slot;
    }

    private int pendingSlot = -1;

    /** The location of the cell at {@code offsetBytes} of the file in {@code slot}. */
    public static long location(int slot, long offsetBytes) {
        if (offsetBytes < 0 || offsetBytes > OFFSET_MAX || slot < 0 || slot >= SLOTS_MAX) {
            throw new IllegalArgumentException("value location out of range: slot=" + slot + " offset=" + offsetBytes
                    + " offsetMax=" + OFFSET_MAX);
        }
        return ((long) slot << OFFSET_BITS) | offsetBytes;
    }

    public static int slotOf(long location) {
        return (int) (location >>> OFFSET_BITS);
    }

    public static long offsetOf(long location) {
        return location & OFFSET_MAX;
    }

    /**
     * Reads and verifies the value of {@code key} at {@code location}: one positional read, or a
     * copy under a lock if the cell's record is still in the writer's pending buffer.
     *
     * @throws WalCorruptionException if the cell fails its checksum or its lengths, naming file and offset
     * @throws RetiredFileException if the file was retired (a reader that did not register must retry)
     * @throws IOException on an I/O error
     */
    public byte[] read(byte[] key, long location, int cellBytes, int valueLength) throws IOException {
        Handle h = slots[slotOf(location)];
        long offset = offsetOf(location);
        if (h.retired) {
            throw new RetiredFileException(h.name);
        }
        ByteBuffer cell = ByteBuffer.allocate(cellBytes);
        AppendBuffer pending = h.pending;
        try {
            if (pending == null || !pending.read(slotOf(location), offset, cell)) {
                h.file.readFully(offset, cell);
            }
        } catch (IOException e) {
            if (h.retired) {
                throw new RetiredFileException(h.name);
            }
            throw e;
        }
        try {
            return ValueCell.decode(key, cell.flip(), valueLength);
        } catch (MalformedRecordException e) {
            throw new WalCorruptionException(new DamageSite(h.name, offset, cellBytes, DamageKind.CORRUPTION,
                    e.getMessage() + " (file=" + h.name + " offset=" + offset + "); the value is refused, never"
                    + " returned wrong", DamageAction.FAILED));
        }
    }

    /** The slots of segments numbered below {@code firstLive} and of every base but {@code keepBase}. */
    public synchronized List<Integer> slotsRetiredBy(long firstLive, String keepBase) {
        List<Integer> retired = new ArrayList<>();
        for (Map.Entry<String, Integer> e : byName.entrySet()) {
            String name = e.getKey();
            long number = dev.walnut.format.RecordFormat.segmentNumberOf(name);
            boolean oldSegment = number >= 0 && number < firstLive;
            boolean oldBase = name.startsWith("base-") && !name.equals(keepBase);
            if (oldSegment || oldBase) {
                retired.add(e.getValue());
            }
        }
        return retired;
    }

    /** Closes the handles of {@code retired} slots: no reader can reach them any more. */
    public synchronized void retire(List<Integer> retired) throws IOException {
        IOException failure = null;
        for (int slot : retired) {
            Handle h = slots[slot];
            if (h == null || h.retired) {
                continue;
            }
            h.retired = true;
            byName.remove(h.name);
            try {
                h.file.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Open read handles: for tests that retired files are let go. */
    public synchronized int openHandles() {
        return byName.size();
    }

    /** Whether {@link #close} ran: a read that failed after it raced the store's close. */
    public boolean isClosed() {
        return closed;
    }

    private volatile boolean closed;

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        List<Integer> all = new ArrayList<>(byName.values());
        retire(all);
    }
}
