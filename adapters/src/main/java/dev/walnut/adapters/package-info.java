/**
 * Implementations of the kernel's seams that do not belong in the kernel:
 * {@link dev.walnut.adapters.InMemoryWalStorage}, a heap-backed {@link dev.walnut.io.WalStorage}
 * for tests and tools (it runs the kernel's storage contract suite), and the export/import formats
 * (JSON Lines, CSV, TSV). Nothing here is needed to open a store on disk.
 */
package dev.walnut.adapters;
