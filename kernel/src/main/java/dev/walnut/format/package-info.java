/**
 * Internal: the bytes on disk. {@link dev.walnut.format.RecordFormat} holds the whole layout as one
 * diagram (segment header, record header, preamble, batch body) and its constants; the codecs
 * encode and verify records, batches, segment headers and the MANIFEST, and nothing else in the
 * kernel reads or writes those bytes directly. A length read from disk is trusted only after its
 * checksum passed and it is within the limit. Not exported: may change in any release.
 */
package dev.walnut.format;
