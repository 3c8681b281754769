/**
 * The {@code walnut} command line tool: one class per command, {@link dev.walnut.cli.Main} maps
 * every failure to one stderr line and an {@link dev.walnut.cli.ExitCode}. Commands that only read
 * go through {@code LogReplay} (a read-only replay under the store's lock) and never create or
 * change a file; commands that write open the store with {@link dev.walnut.Walnut#open}.
 * Formats: JSON Lines, CSV/TSV and the checksummed {@code walnut} stream ({@code WalnutStream}).
 */
package dev.walnut.cli;
