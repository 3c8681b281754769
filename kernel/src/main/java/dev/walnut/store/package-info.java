/**
 * Internal: the store behind {@link dev.walnut.Walnut}. The in-memory index (an immutable base of
 * packed slabs with a seeded hash table and sorted references, under a skip-list delta of
 * multi-version writes since), the registry of read points that pins versions for cursors and
 * snapshots, group commit, compaction, checkpoint copies, and the JDK Flight Recorder events.
 * Not exported: may change in any release.
 */
package dev.walnut.store;
