package dev.walnut.cli;

/**
 * The {@code walnut} export format: compact, checksummed, streamed, read back exactly by
 * {@code import --format walnut}. All integers little-endian; varints are unsigned LEB128 of at
 * most 5 bytes.
 *
 * <pre>
 * stream  = magic "WALNUTEX" (8 bytes) | version u8 (= 1) | entry* | end
 * entry   = keyLength varint (1..65536) | valueLength varint | key | value
 *           | entryCrc u32   CRC32C of the entry's bytes before it
 * end     = 0x00             a key length of 0 marks the end: keys are never empty
 *           | entryCount u64
 *           | streamCrc u32  CRC32C of every byte of the stream before it
 * </pre>
 *
 * Keys are strictly ascending (unsigned bytes) — the reader checks it — so a reordered, repeated
 * or spliced entry is caught even when its own checksum passes; the count and stream checksum
 * catch a dropped entry or a cut-off stream.
 */
final class WalnutStream {

    static final byte[] MAGIC = {'W', 'A', 'L', 'N', 'U', 'T', 'E', 'X'};
    static final int VERSION = 1;
    static final int END_MARKER = 0;
    static final int VARINT_BYTES_MAX = 5;

    private WalnutStream() {
    }
}
