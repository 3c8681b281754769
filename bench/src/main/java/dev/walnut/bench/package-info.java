/**
 * Walnut's benchmarks: recovery against the physical limit and a naive whole-file parser (JMH),
 * writes and reads (JMH), and peers (RocksDB, Berkeley DB JE, H2 MVStore) measured in child JVMs
 * that write, halt without closing, and reopen. {@link dev.walnut.bench.ShortProfile} runs the
 * short profile and writes {@code bench/results/latest.md}.
 */
package dev.walnut.bench;
