/**
 * Internal: the log as files. {@link dev.walnut.log.LogWriter} appends records to the active
 * segment, syncs, rotates and seals, in the order of durability recovery relies on;
 * {@link dev.walnut.log.SegmentReader} walks one segment record by record through a fixed read
 * window and reports records, the clean end or damage, without deciding what damage means;
 * {@link dev.walnut.log.ReadMeter} counts the bytes readers hold, to prove recovery's memory bound.
 * Not exported: may change in any release.
 */
package dev.walnut.log;
