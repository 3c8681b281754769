/**
 * The {@code walnut} command line tool: one class per command, {@link dev.walnut.cli.Main} maps
 * every failure to one stderr line and an {@link dev.walnut.cli.ExitCode}. The tool uses only the
 * kernel's public packages, {@code dev.walnut} and {@code dev.walnut.io}: commands that only read
 * go through {@code ReadOnlyStore} ({@link dev.walnut.Walnut#openReadOnly}, {@link dev.walnut.LogInspector})
 * and never create, change or lock a file; commands that write open the store with
 * {@link dev.walnut.Walnut#open}. Formats: JSON Lines, CSV/TSV and the checksummed {@code walnut}
 * stream ({@code WalnutStream}).
 */
package dev.walnut.cli;
