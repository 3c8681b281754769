/**
 * Internal: what a log means after a crash. {@link dev.walnut.recovery.Recovery} is the single entry
 * point: it plans the walk over the segments from their headers, replays every valid record into a
 * sink, classifies each damage site as torn tail or corruption, and applies the recovery policy.
 * It only reads; what an open must rename or continue from is returned, so open, read-only open,
 * {@code verify} and dry runs share it. Not exported: may change in any release.
 */
package dev.walnut.recovery;
