package dev.walnut.dst;

import dev.walnut.StorageLockedException;
import dev.walnut.io.NamedClosedChannelException;
import dev.walnut.io.WalFile;
import dev.walnut.io.WalStorage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A {@link WalStorage} that can lose power. Each file ({@link SimulatedInode}) has a volatile and
 * a durable image; the directory has a volatile and a durable view plus the changes since the last
 * {@link #syncDirectory()}. {@link #crash} builds the state a real machine could leave, and the
 * {@link FaultInjector} decides every fault. Every random choice comes from the one
 * {@link SplittableRandom} given at construction; every call is recorded in an {@link IoTrace}.
 *
 * <p>Thread-safe: every call holds this object's monitor, which also makes concurrent appends
 * through one handle atomic.
 */
public final class SimulatedStorage implements WalStorage {

    /**
     * Receives every append that succeeded whole (the ledger of what the store wrote) and every
     * call a fault made throw (which step of an action failed: an append, a sync, a read).
     */
    public interface AppendListener {
        void appended(String name, long inodeId, long offsetBytes, byte[] bytes);

        /** {@code call} on {@code name} (null: the directory) threw because of a fault of {@code kind}. */
        default void failed(FaultKind kind, String call, String name) {
        }
    }

    private sealed interface DirectoryChange permits Created, Deleted, Renamed {
    }

    private record Created(String name, SimulatedInode inode) implements DirectoryChange {
    }

    private record Deleted(String name) implements DirectoryChange {
    }

    private record Renamed(String source, String target) implements DirectoryChange {
    }

    private final String uri;
    private final SplittableRandom random;
    private final FaultInjector faults;
    private final IoTrace trace = new IoTrace();
    private TreeMap<String, SimulatedInode> directory = new TreeMap<>();
    private TreeMap<String, SimulatedInode> durableDirectory = new TreeMap<>();
    private final List<DirectoryChange> unsyncedChanges = new ArrayList<>();
    private AppendListener listener = (name, id, offset, bytes) -> { };
    private long nextInodeId = 1;
    /** Bumped by every crash: handles and locks of an earlier epoch belong to a dead process. */
    private long epoch;
    private boolean halted;
    private Object lockHolder;
    private boolean closed;
    private long crashes;

    public SimulatedStorage(String name, long seed) {
        this.uri = "sim:/" + WalStorage.checkName(name);
        this.random = new SplittableRandom(seed);
        this.faults = new FaultInjector(random.split());
    }

    public FaultInjector faults() {
        return faults;
    }

    public IoTrace trace() {
        return trace;
    }

    public synchronized void listener(AppendListener appendListener) {
        this.listener = appendListener;
    }

    public synchronized long crashes() {
        return crashes;
    }

    /** True once a {@link FaultKind#CRASH_AT_IO} struck: every call throws until {@link #crash}. */
    public synchronized boolean halted() {
        return halted;
    }

    // ---------------------------------------------------------------- WalStorage

    @Override
    public synchronized List<String> list() throws IOException {
        enter("list", null, 0, 0);
        return List.copyOf(directory.keySet());
    }

    @Override
    public synchronized WalFile create(String name) throws IOException {
        WalStorage.checkName(name);
        enter("create", name, 0, 0);
        if (directory.containsKey(name)) {
            throw new FileAlreadyExistsException(displayName(name));
        }
        SimulatedInode inode = new SimulatedInode(nextInodeId++);
        directory.put(name, inode);
        unsyncedChanges.add(new Created(name, inode));
        return new SimulatedWalFile(this, inode, displayName(name), name, epoch);
    }

    @Override
    public synchronized WalFile open(String name) throws IOException {
        WalStorage.checkName(name);
        enter("open", name, 0, 0);
        return new SimulatedWalFile(this, existing(name), displayName(name), name, epoch);
    }

    @Override
    public synchronized boolean exists(String name) throws IOException {
        WalStorage.checkName(name);
        enter("exists", name, 0, 0);
        return directory.containsKey(name);
    }

    @Override
    public synchronized void delete(String name) throws IOException {
        WalStorage.checkName(name);
        enter("delete", name, 0, 0);
        existing(name);
        directory.remove(name);
        unsyncedChanges.add(new Deleted(name));
    }

    @Override
    public synchronized void rename(String source, String target) throws IOException {
        WalStorage.checkName(source);
        WalStorage.checkName(target);
        enter("rename", source + ">" + target, 0, 0);
        SimulatedInode inode = existing(source);
        directory.remove(source);
        directory.put(target, inode);
        unsyncedChanges.add(new Renamed(source, target));
    }

    @Override
    public synchronized void syncDirectory() throws IOException {
        enter("syncDirectory", null, unsyncedChanges.size(), 0);
        if (faults.strikes(FaultKind.SYNC_FAILURE)) {
            trace.record("fault", "syncDirectory", 0, 0);
            listener.failed(FaultKind.SYNC_FAILURE, "syncDirectory", null);
            throw new IOException("simulated directory sync failure: errno=EIO (directory=" + uri + ")");
        }
        durableDirectory = new TreeMap<>(directory);
        unsyncedChanges.clear();
    }

    @Override
    public synchronized Closeable lock() throws IOException {
        enter("lock", null, 0, 0);
        if (lockHolder != null) {
            throw new StorageLockedException("storage is locked: another store holds it (directory=" + uri
                    + " lockFile=" + LOCK_NAME + ")");
        }
        if (!directory.containsKey(LOCK_NAME)) {
            SimulatedInode inode = new SimulatedInode(nextInodeId++);
            directory.put(LOCK_NAME, inode);
            unsyncedChanges.add(new Created(LOCK_NAME, inode));
        }
        Object token = new Object();
        lockHolder = token;
        return () -> release(token);
    }

    private synchronized void release(Object token) {
        if (lockHolder == token) {
            lockHolder = null;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return uri;
    }

    // ---------------------------------------------------------------- crash

    /**
     * The process dies now. With {@link CrashMode#POWER_LOSS} the machine loses power too: every
     * file keeps its durable image plus, per dirty 4 KiB block, the block written, dropped or torn;
     * the directory keeps its synced view plus a prefix of the changes made since (a journal
     * commits them in order). Handles and the lock of the dead process stop working.
     */
    public synchronized CrashReport crash(CrashMode mode) {
        crashes++;
        epoch++;
        halted = false;
        lockHolder = null;
        trace.record("crash", mode, epoch, 0);
        Map<String, CrashReport.FileImage> images = new LinkedHashMap<>();
        if (mode == CrashMode.PROCESS_KILL) {
            for (Map.Entry<String, SimulatedInode> e : directory.entrySet()) {
                byte[] bytes = e.getValue().volatileImage();
                images.put(e.getKey(), new CrashReport.FileImage(e.getKey(), e.getValue().id, bytes, bytes,
                        e.getValue().promisedBytes(), -1));
            }
            return new CrashReport(mode, images);
        }
        TreeMap<String, SimulatedInode> survivors = new TreeMap<>(durableDirectory);
        boolean worst = mode == CrashMode.POWER_LOSS_UNSYNCED_LOST;
        int kept = worst ? 0 : random.nextInt(unsyncedChanges.size() + 1);
        for (DirectoryChange change : unsyncedChanges.subList(0, kept)) {
            apply(survivors, change);
        }
        Map<SimulatedInode, byte[]> after = new IdentityHashMap<>();
        for (Map.Entry<String, SimulatedInode> e : survivors.entrySet()) {
            SimulatedInode inode = e.getValue();
            byte[] before = inode.volatileImage();
            byte[] image = after.computeIfAbsent(inode, i -> flipMaybe(i, worst ? i.durableImage() : i.powerLossImage(random)));
            images.put(e.getKey(), new CrashReport.FileImage(e.getKey(), inode.id, before, image,
                    inode.promisedBytes(), CrashReport.FileImage.firstDamage(before, image, inode.promisedBytes())));
        }
        after.forEach(SimulatedInode::resetTo);
        directory = survivors;
        durableDirectory = new TreeMap<>(survivors);
        unsyncedChanges.clear();
        return new CrashReport(mode, images);
    }

    private byte[] flipMaybe(SimulatedInode inode, byte[] image) {
        int promised = Math.min(inode.promisedBytes(), image.length);
        if (promised > 0 && faults.strikes(FaultKind.BIT_FLIP)) {
            int offset = faults.random().nextInt(promised);
            int bit = faults.random().nextInt(8);
            image[offset] ^= (byte) (1 << bit);
            trace.record("fault", "bitFlip", offset, bit);
        }
        return image;
    }

    private static void apply(TreeMap<String, SimulatedInode> view, DirectoryChange change) {
        if (change instanceof Created c) {
            view.put(c.name(), c.inode());
        } else if (change instanceof Deleted d) {
            view.remove(d.name());
        } else if (change instanceof Renamed r) {
            SimulatedInode inode = view.remove(r.source());
            if (inode != null) {
                view.put(r.target(), inode);
            }
        }
    }

    // ---------------------------------------------------------------- tools for scenarios and checks

    /** The names in the directory now, without a trace entry or a fault: for the oracle. */
    public synchronized List<String> names() {
        return List.copyOf(directory.keySet());
    }

    /** The bytes reads of {@code name} see now, or null if it does not exist. */
    public synchronized byte[] bytes(String name) {
        SimulatedInode inode = directory.get(name);
        return inode == null ? null : inode.volatileImage();
    }

    /** Replaces a file's bytes on disk and in cache, as a scenario's hand-made damage (both images). */
    public synchronized void setBytes(String name, byte[] image) {
        SimulatedInode inode = directory.get(name);
        if (inode == null) {
            inode = new SimulatedInode(nextInodeId++);
            directory.put(name, inode);
        }
        inode.resetTo(image.clone());
        durableDirectory = new TreeMap<>(directory);
        unsyncedChanges.clear();
    }

    /**
     * Makes every file and the directory durable as they are now, with no fault: stands in for a
     * kernel fix (syncing what recovery replayed before a successor declares it), so a long run can
     * look past {@link KnownKernelBugs#UNSYNCED_TAIL_DECLARED_DURABLE}.
     */
    public synchronized void makeDurable() {
        trace.record("makeDurable", null, 0, 0);
        for (SimulatedInode inode : directory.values()) {
            inode.sync(-1);
        }
        durableDirectory = new TreeMap<>(directory);
        unsyncedChanges.clear();
    }

    /** A bit that rotted at rest in one file, until {@link #heal} flips it back. */
    public record Rot(String name, long inodeId, int offsetBytes, int bit, SimulatedInode inode) {
        @Override
        public String toString() {
            return "rot(file=" + name + " inode=" + inodeId + " offset=" + offsetBytes + " bit=" + bit + ")";
        }
    }

    /**
     * {@link FaultKind#BIT_ROT}: flips a bit of {@code name} at {@code offsetBytes} in cache and on
     * disk (counted as injected); reads through every handle, old or new, see it.
     */
    public synchronized Rot rot(String name, int offsetBytes, int bit) {
        SimulatedInode inode = directory.get(name);
        if (inode == null || offsetBytes < 0 || offsetBytes >= inode.sizeBytes()) {
            throw new IllegalArgumentException("rot outside a file: file=" + name + " offset=" + offsetBytes
                    + " size=" + (inode == null ? -1 : inode.sizeBytes()));
        }
        inode.flipAtRest(offsetBytes, bit);
        faults.count(FaultKind.BIT_ROT);
        trace.record("fault", "bitRot", offsetBytes, bit);
        return new Rot(name, inode.id, offsetBytes, bit, inode);
    }

    /** Undoes {@code rot} (a scrub repaired the block), whether or not the file is still named. */
    public synchronized void heal(Rot rot) {
        rot.inode().flipAtRest(rot.offsetBytes(), rot.bit());
        trace.record("heal", rot.name(), rot.offsetBytes(), rot.bit());
    }

    /**
     * {@link FaultKind#INDEX_DAMAGE}: {@code name}'s bytes become {@code image} in cache and on
     * disk, or (null) the file vanishes from both directory views, leaving every other file's and
     * the directory's durability as it was. Counted as injected.
     */
    public synchronized void damageAtRest(String name, byte[] image) {
        SimulatedInode inode = directory.get(name);
        if (inode == null) {
            throw new IllegalArgumentException("no such file to damage: file=" + name);
        }
        if (image == null) {
            directory.remove(name);
            durableDirectory.remove(name);
        } else {
            inode.resetTo(image);
        }
        faults.count(FaultKind.INDEX_DAMAGE);
        trace.record("fault", "indexDamage", image == null ? -1 : image.length, 0);
    }

    /** Removes a file at once, durably, as a scenario's hand-made damage. */
    public synchronized void remove(String name) {
        directory.remove(name);
        durableDirectory = new TreeMap<>(directory);
        unsyncedChanges.clear();
    }

    /** Every file's name and bytes, as one string: proves an operation changed nothing. */
    public synchronized String digest() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, SimulatedInode> e : directory.entrySet()) {
            if (!e.getKey().equals(LOCK_NAME)) {
                out.append(e.getKey()).append('=').append(java.util.Arrays.hashCode(e.getValue().volatileImage()))
                        .append('/').append(e.getValue().sizeBytes()).append(';');
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- calls from SimulatedWalFile

    /** Every call passes here: closed and dead-process checks, the trace, and a crash at this call. */
    void enter(String op, Object name, long a, long b) throws IOException {
        assert Thread.holdsLock(this);
        if (closed) {
            throw new NamedClosedChannelException("storage", uri);
        }
        step(op, name, a, b);
    }

    private void step(String op, Object name, long a, long b) {
        checkAlive(op, name);
        trace.record(op, name, a, b);
        if (faults.strikes(FaultKind.CRASH_AT_IO)) {
            halted = true;
            trace.record("fault", "crashAtIo", a, b);
            throw new SimulatedCrash(op + " name=" + name + " offset=" + a);
        }
    }

    private void checkAlive(String op, Object name) {
        if (halted) {
            throw new SimulatedCrash(op + " name=" + name + " (the process is already dead)");
        }
    }

    void enterFile(SimulatedWalFile file, String op, long a, long b) throws IOException {
        if (file.epoch != epoch) {
            throw new SimulatedCrash(op + " through a handle of a process that crashed (file=" + file + ")");
        }
        step(op, file.name, a, b);
    }

    int read(SimulatedWalFile file, SimulatedInode inode, long offsetBytes, ByteBuffer target) throws IOException {
        enterFile(file, "read", offsetBytes, target.remaining());
        if (!target.hasRemaining()) {
            return 0;
        }
        if (offsetBytes >= inode.sizeBytes()) {
            return -1;
        }
        if (faults.strikes(FaultKind.READ_ERROR)) {
            trace.record("fault", "readError", offsetBytes, 0);
            listener.failed(FaultKind.READ_ERROR, "read", file.name);
            throw new IOException("simulated read error: errno=EIO (file=" + file + " offset=" + offsetBytes + ")");
        }
        int max = target.remaining();
        if (max > 1 && faults.strikes(FaultKind.SHORT_READ)) {
            max = 1 + faults.random().nextInt(max - 1);
            trace.record("fault", "shortRead", offsetBytes, max);
        }
        return inode.read(offsetBytes, target, max);
    }

    void append(SimulatedWalFile file, SimulatedInode inode, ByteBuffer source) throws IOException {
        enterFile(file, "append", inode.sizeBytes(), source.remaining());
        byte[] bytes = new byte[source.remaining()];
        source.duplicate().get(bytes);
        long offset = inode.sizeBytes();
        if (faults.strikes(FaultKind.APPEND_FAILURE)) {
            trace.record("fault", "appendFailure", offset, bytes.length);
            listener.failed(FaultKind.APPEND_FAILURE, "append", file.name);
            throw new IOException("simulated write failure: errno=EIO (file=" + file + " offset=" + offset + ")");
        }
        if (faults.strikes(FaultKind.DISK_FULL)) {
            int written = bytes.length == 0 ? 0 : faults.random().nextInt(bytes.length);
            inode.append(bytes, written);
            source.position(source.position() + written);
            trace.record("fault", "diskFull", offset, written);
            if (written > 0) {
                // The prefix is in the file: whole records in it (a flush writes many) may be recovered.
                listener.appended(file.name, inode.id, offset, java.util.Arrays.copyOf(bytes, written));
            }
            listener.failed(FaultKind.DISK_FULL, "append", file.name);
            throw new IOException("simulated disk full: errno=ENOSPC written=" + written + " of=" + bytes.length
                    + " (file=" + file + " offset=" + offset + ")");
        }
        inode.append(bytes, bytes.length);
        source.position(source.limit());
        trace.record("data", null, java.util.Arrays.hashCode(bytes), bytes.length);
        listener.appended(file.name, inode.id, offset, bytes);
    }

    void sync(SimulatedWalFile file, SimulatedInode inode) throws IOException {
        enterFile(file, "sync", inode.sizeBytes(), inode.dirtyBlockCount());
        if (faults.strikes(FaultKind.SYNC_FAILURE)) {
            boolean lie = inode.dirtyBlockCount() > 0 && faults.strikes(FaultKind.SYNC_LIE);
            inode.failSync(faults.random(), lie);
            trace.record("fault", "syncFailure", lie ? 1 : 0, 0);
            listener.failed(FaultKind.SYNC_FAILURE, "sync", file.name);
            throw new IOException("simulated fsync failure: errno=EIO (file=" + file + ")");
        }
        int blocks = (inode.sizeBytes() + SimulatedInode.BLOCK_BYTES - 1) / SimulatedInode.BLOCK_BYTES;
        int misdirectTo = -1;
        if (inode.dirtyBlockCount() > 0 && blocks >= 2 && faults.strikes(FaultKind.MISDIRECTED_WRITE)) {
            misdirectTo = (inode.firstDirtyBlock() + 1 + faults.random().nextInt(blocks - 1)) % blocks;
        }
        int moved = inode.sync(misdirectTo);
        if (misdirectTo >= 0) {
            trace.record("fault", "misdirectedWrite", moved, misdirectTo);
        }
    }

    long sizeBytes(SimulatedWalFile file, SimulatedInode inode) throws IOException {
        enterFile(file, "size", 0, 0);
        return inode.sizeBytes();
    }

    void truncate(SimulatedWalFile file, SimulatedInode inode, long sizeBytes) throws IOException {
        enterFile(file, "truncate", sizeBytes, 0);
        if (sizeBytes < 0 || sizeBytes > inode.sizeBytes()) {
            throw new IllegalArgumentException("truncate cannot grow a file: sizeBytes=" + sizeBytes
                    + " currentSizeBytes=" + inode.sizeBytes() + " (file=" + file + ")");
        }
        boolean dropped = faults.strikes(FaultKind.DROPPED_TRUNCATE);
        inode.truncate((int) sizeBytes, dropped);
    }

    private SimulatedInode existing(String name) throws NoSuchFileException {
        SimulatedInode inode = directory.get(name);
        if (inode == null) {
            throw new NoSuchFileException(displayName(name));
        }
        return inode;
    }

    private String displayName(String name) {
        return uri + "/" + name;
    }

}
