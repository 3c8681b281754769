package dev.walnut.ratis;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Ratis snapshots as Walnut checkpoints: each snapshot is a directory
 * {@code checkpoint-<term>-<index>} in the Raft storage's state-machine directory holding an
 * openable copy of the store as of that applied entry. A checkpoint is built under a
 * {@code partial-} name and renamed into place, so a crash never leaves a half snapshot under a
 * snapshot name. A follower receives a snapshot's files from Ratis, which swaps the whole
 * state-machine directory when the last chunk arrived (and adds its {@code .md5} side files).
 */
final class CheckpointStorage implements StateMachineStorage {

    static final String PREFIX = "checkpoint-";
    static final String PARTIAL_PREFIX = "partial-";
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{1,18})-(\\d{1,18})");

    private volatile Path stateMachineDir;
    private volatile Checkpoint latest;

    /** One snapshot on disk. */
    record Checkpoint(TermIndex termIndex, Path dir) {
    }

    @Override
    public void init(RaftStorage raftStorage) throws IOException {
        stateMachineDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
        Files.createDirectories(stateMachineDir);
        for (Path p : list()) {
            if (p.getFileName().toString().startsWith(PARTIAL_PREFIX)) {
                Directories.deleteTree(p);
            }
        }
        reload();
    }

    /** Re-reads the directory: after Ratis installed a snapshot into it. */
    void reload() throws IOException {
        latest = checkpoints().stream().max(Comparator.comparing(Checkpoint::termIndex)).orElse(null);
    }

    Checkpoint latest() {
        return latest;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        Checkpoint c = latest;
        if (c != null && !Files.isDirectory(c.dir())) {
            // Ratis swapped the directory (a snapshot from the leader arrived): read it again.
            try {
                reload();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot list snapshots: dir=" + stateMachineDir, e);
            }
            c = latest;
        }
        if (c == null) {
            return null;
        }
        try {
            List<FileInfo> files = new ArrayList<>();
            for (Path f : Directories.storeFiles(c.dir())) {
                // No digest: Ratis computes the MD5 while it streams the file to a follower.
                files.add(new FileInfo(f.toAbsolutePath(), null));
            }
            return new FileListSnapshotInfo(files, c.termIndex());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list checkpoint dir=" + c.dir(), e);
        }
    }

    /** Where to build the checkpoint of {@code ti} before {@link #publish}. */
    Path partialDir(TermIndex ti) throws IOException {
        Path p = stateMachineDir.resolve(PARTIAL_PREFIX + name(ti));
        Directories.deleteTree(p);
        return p;
    }

    /** Renames a finished, synced checkpoint into place; from then on it is the latest snapshot. */
    void publish(Path partial, TermIndex ti) throws IOException {
        Path target = stateMachineDir.resolve(name(ti));
        Directories.deleteTree(target);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        Directories.syncFile(stateMachineDir);
        latest = new Checkpoint(ti, target);
    }

    static String name(TermIndex ti) {
        return PREFIX + ti.getTerm() + "-" + ti.getIndex();
    }

    @Override
    public void format() {
        // Nothing to prepare: checkpoints are created on demand.
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        int keep = policy.getNumSnapshotsRetained();
        if (keep <= 0) {
            return;
        }
        List<Checkpoint> all = checkpoints();
        all.sort(Comparator.comparing(Checkpoint::termIndex).reversed());
        for (Checkpoint old : all.subList(Math.min(keep, all.size()), all.size())) {
            Directories.deleteTree(old.dir());
        }
    }

    private List<Checkpoint> checkpoints() throws IOException {
        List<Checkpoint> found = new ArrayList<>();
        for (Path p : list()) {
            Matcher m = NAME.matcher(p.getFileName().toString());
            if (m.matches() && Files.isDirectory(p)) {
                found.add(new Checkpoint(TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))), p));
            }
        }
        return found;
    }

    private List<Path> list() throws IOException {
        if (!Files.isDirectory(stateMachineDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(stateMachineDir)) {
            return s.toList();
        }
    }

    @Override
    public File getSnapshotDir() {
        return null; // Ratis' default: the state-machine directory, replaced whole on install.
    }
}
