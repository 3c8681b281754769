/**
 * Replicated Walnut on Apache Ratis (Raft): {@link dev.walnut.ratis.ReplicatedWalnut} (a node),
 * {@link dev.walnut.ratis.ReplicatedClient} (a client), {@link dev.walnut.ratis.WalnutStateMachine}
 * (one Raft log entry = one encoded {@code WriteBatch}, the applied index stored with the state it
 * belongs to, snapshots as store checkpoints), the entry and query bytes ({@code WireFormat}),
 * mutual TLS ({@link dev.walnut.ratis.TlsIdentity}), and {@link dev.walnut.ratis.LocalCluster} for
 * child-JVM clusters on loopback (tests, the CLI demo, benchmarks). Uses only the public
 * {@code dev.walnut} API of the kernel.
 */
package dev.walnut.ratis;
