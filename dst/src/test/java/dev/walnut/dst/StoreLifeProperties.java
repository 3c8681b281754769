package dev.walnut.dst;

import dev.walnut.Durability;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Stateful properties: jqwik generates a life of the store (writes, batches, syncs, compaction,
 * snapshots, clean reopens, crashes of both kinds) with every fault decided by a generated value
 * (which sync fails, which read errs, at which I/O call the process dies), so a failure shrinks to
 * a short list of steps that names its faults. The oracle checks every recovery.
 */
class StoreLifeProperties {

    private static final int KEYS = 8;

    @Property(tries = 250, seed = "4242")
    void everyRecoveryIsADurablePrefixOfTheAcknowledgedWrites(@ForAll("lives") ActionChain<SimulationRun> life) {
        life.run();
    }

    @Property(tries = 120, seed = "777")
    void everyRecoveryIsADurablePrefixWithSmallSegmentsAndManualDurability(
            @ForAll("manualLives") ActionChain<SimulationRun> life) {
        life.run();
    }

    @Provide
    Arbitrary<ActionChain<SimulationRun>> lives() {
        return chain(Durability.SYNC, 60);
    }

    @Provide
    Arbitrary<ActionChain<SimulationRun>> manualLives() {
        return chain(Durability.MANUAL, 80);
    }

    private static Arbitrary<ActionChain<SimulationRun>> chain(Durability durability, int steps) {
        return ActionChain.<SimulationRun>startWith(() -> {
            Simulator.quietKernelLogging();
            SimulationRun run = new SimulationRun(steps, SimulationRun.optionsFor(steps), false);
            run.start();
            return run;
        })
                .withAction(8, writes(durability))
                .withAction(2, deletes(durability))
                .withAction(2, batches(durability))
                .withAction(2, simple("sync", SimulationRun::sync))
                .withAction(1, simple("compact", SimulationRun::compact))
                .withAction(1, snapshots())
                .withAction(1, snapshotsAcrossCompaction())
                .withAction(1, simple("reopen", SimulationRun::reopen))
                .withAction(3, crashes())
                .withAction(2, simple("write index files", SimulationRun::writeIndexFiles))
                .withAction(1, simple("damage an index file", SimulationRun::damageIndexFile))
                .withAction(3, faults())
                .withMaxTransformations(steps);
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.integers().between(0, KEYS - 1).map(i -> "k" + i);
    }

    private static Arbitrary<Integer> valueBytes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(1, 300)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(3000, 9000)));
    }

    private static Action.Independent<SimulationRun> writes(Durability durability) {
        return () -> Combinators.combine(keys(), valueBytes()).as((k, n) ->
                Transformer.mutate("put " + k + " " + n + "B " + durability, run -> run.put(k, n, durability)));
    }

    private static Action.Independent<SimulationRun> deletes(Durability durability) {
        return () -> keys().map(k -> Transformer.mutate("delete " + k, run -> run.delete(k, durability)));
    }

    private static Action.Independent<SimulationRun> batches(Durability durability) {
        Arbitrary<Model.Op> op = Combinators.combine(keys(), Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, 3)).as((k, n, kind) ->
                new Model.Op(k, kind == 0 ? null : "batch-" + n + "-" + "y".repeat(n)));
        return () -> op.list().ofMinSize(1).ofMaxSize(5).map(ops ->
                Transformer.mutate("batch " + ops, run -> run.write(List.copyOf(ops), durability)));
    }

    private static Action.Independent<SimulationRun> snapshots() {
        return () -> Combinators.combine(keys(), valueBytes()).as((k, n) ->
                Transformer.mutate("snapshot then put " + k, run -> run.snapshotIsolation(k, n)));
    }

    private static Action.Independent<SimulationRun> snapshotsAcrossCompaction() {
        return () -> Combinators.combine(keys(), valueBytes()).as((k, n) ->
                Transformer.mutate("snapshot, put " + k + ", compact", run -> run.snapshotAcrossCompaction(k, n)));
    }

    private static Action.Independent<SimulationRun> crashes() {
        return () -> Arbitraries.of(CrashMode.class).map(mode ->
                Transformer.mutate("crash " + mode, run -> run.crash(mode)));
    }

    /** Arms one fault to strike at the skip-th next decision point of its kind. */
    private static Action.Independent<SimulationRun> faults() {
        Arbitrary<FaultKind> kinds = Arbitraries.of(FaultKind.SYNC_FAILURE, FaultKind.SYNC_LIE,
                FaultKind.APPEND_FAILURE, FaultKind.DISK_FULL, FaultKind.READ_ERROR, FaultKind.BIT_FLIP,
                FaultKind.MISDIRECTED_WRITE, FaultKind.CRASH_AT_IO, FaultKind.SHORT_READ);
        return () -> Combinators.combine(kinds, Arbitraries.integers().between(0, 30)).as((kind, skip) ->
                Transformer.mutate("arm " + kind + " skip=" + skip, run -> run.faults().arm(kind, skip)));
    }

    private interface Step {
        void apply(SimulationRun run);
    }

    private static Action.Independent<SimulationRun> simple(String name, Step step) {
        return () -> Arbitraries.just(Transformer.mutate(name, step::apply));
    }
}
