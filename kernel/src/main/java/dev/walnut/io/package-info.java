/**
 * The storage seam: {@link dev.walnut.io.WalFile} and {@link dev.walnut.io.WalStorage}, the only
 * way the log touches a disk, and {@link dev.walnut.io.FileChannelWalStorage}, the real
 * implementation. Other implementations (in memory, simulated with faults) live outside the
 * kernel and run the same contract suite.
 */
package dev.walnut.io;
