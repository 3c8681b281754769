/**
 * The storage seam: {@link dev.walnut.io.WalFile} and {@link dev.walnut.io.WalStorage}, the only
 * way the log touches a disk, and {@link dev.walnut.io.FileChannelWalStorage}, the real
 * implementation. Both interfaces state their contract as "must" rules; other implementations (in
 * memory, simulated with faults) live outside the kernel and run the same contract suite.
 * {@link dev.walnut.io.ForwardingWalStorage} and {@link dev.walnut.io.ForwardingWalFile} pass
 * every call on, so a wrapper (fault injection, tearing, slow disks) overrides only what it changes.
 */
package dev.walnut.io;
