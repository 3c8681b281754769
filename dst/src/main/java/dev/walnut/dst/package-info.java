/**
 * Deterministic simulation of Walnut: a {@link dev.walnut.dst.SimulatedStorage} with a durable and
 * a volatile image per file, seeded fault injection and crash states; a {@link dev.walnut.dst.RecordLedger}
 * that follows what the store appended; the {@link dev.walnut.dst.Oracle} that judges every
 * recovery against a model of acknowledged operations; {@link dev.walnut.dst.SimulationRun}, one
 * seeded run; {@link dev.walnut.dst.Simulator}, the long-run command; and the memory proofs
 * ({@link dev.walnut.dst.SyntheticSegmentFile}, {@link dev.walnut.dst.MemoryProof}). Every random
 * choice comes from one seed held in a {@link java.util.SplittableRandom}.
 */
package dev.walnut.dst;
