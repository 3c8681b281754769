/**
 * Implementations of the kernel's seams that do not belong in the kernel:
 * {@link dev.walnut.adapters.InMemoryWalStorage}, a heap-backed {@link dev.walnut.io.WalStorage}
 * for tests and tools (it runs the kernel's storage contract suite). Nothing here is needed to
 * open a store on disk. (The export and import formats live with the command line tool, in
 * {@code dev.walnut.cli}.)
 */
package dev.walnut.adapters;
