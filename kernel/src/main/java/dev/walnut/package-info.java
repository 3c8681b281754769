/**
 * The store's API: {@link dev.walnut.Walnut} (open, read, write, compact, checkpoint, close), its
 * {@link dev.walnut.WalnutOptions}, {@link dev.walnut.WriteBatch}, {@link dev.walnut.KeyRange},
 * {@link dev.walnut.Cursor} and {@link dev.walnut.Snapshot} for reads, the outcome of recovery
 * ({@link dev.walnut.RecoveryReport}, {@link dev.walnut.DamageSite}) and its exceptions, and
 * {@link dev.walnut.LogInspector}, which checks and dumps a log without opening the store.
 *
 * <p>Keys are 1 to {@link dev.walnut.WalnutOptions#KEY_BYTES_MAX} bytes, ordered as unsigned bytes;
 * values are any bytes that fit in one record. Arrays passed in are copied and arrays returned are
 * the caller's. Every method names what it costs where that matters: reads are in memory, a write
 * shares one append and (under {@link dev.walnut.Durability#SYNC}) one fsync with its commit group,
 * and an open replays the log once through a bounded read window.
 *
 * <p>The storage under a store is the {@link dev.walnut.io} seam. Every other package of the
 * module is internal.
 */
package dev.walnut;
