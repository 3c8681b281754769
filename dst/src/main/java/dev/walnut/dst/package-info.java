/**
 * Deterministic simulation of Walnut.
 * <ul>
 *   <li>{@link dev.walnut.dst.SimulatedStorage}: a storage whose files have a durable and a volatile
 *       image, with crash states ({@link dev.walnut.dst.CrashMode}), seeded faults
 *       ({@link dev.walnut.dst.FaultKind}, {@link dev.walnut.dst.FaultInjector}) and an
 *       {@link dev.walnut.dst.IoTrace} proving runs deterministic;
 *   <li>the oracle: {@link dev.walnut.dst.Model} of accepted batches, {@link dev.walnut.dst.RecordLedger}
 *       of what the store appended (parsed from the byte layout, not by the kernel's reader) and the
 *       {@code DamageJudge} deciding what a fault's damage obliges recovery to do;
 *   <li>{@link dev.walnut.dst.SimulationRun} (one seeded life of a store, checked after every
 *       recovery), {@link dev.walnut.dst.SeedRunner} and {@link dev.walnut.dst.Simulator}, the
 *       long-run command;
 *   <li>the memory proofs: {@link dev.walnut.dst.SyntheticSegmentFile} (a log of any size computed
 *       from the offset), {@link dev.walnut.dst.RecoveryMemory} and {@link dev.walnut.dst.MemoryProof}.
 * </ul>
 * Every random choice comes from one seed held in a {@link java.util.SplittableRandom}.
 */
package dev.walnut.dst;
