package dev.walnut.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.walnut.format.BatchCodec;
import dev.walnut.format.RecordFormat;
import dev.walnut.format.SegmentHeader;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * Prints {@code dump-wal} output as text or JSON Lines, one line per segment, record, operation
 * (text) and damage site. Keys and values: escaped UTF-8 in text; in JSON, a string when well-formed
 * UTF-8, else base64 in {@code keyBase64}/{@code valueBase64}, as in jsonl exports.
 */
final class WalDumpPrinter implements BatchCodec.OpSink, Closeable {

    private final PrintStream out;
    private final JsonGenerator json;
    private final boolean values;

    WalDumpPrinter(PrintStream out, boolean jsonl, boolean values) throws IOException {
        this.out = out;
        this.values = values;
        if (jsonl) {
            json = new JsonFactory().createGenerator(CloseShield.of(out));
            json.setRootValueSeparator(null);
        } else {
            json = null;
        }
    }

    void segment(String name, long sizeBytes, SegmentHeader h) throws IOException {
        if (json == null) {
            out.println(name + " segment=" + h.segmentNumber() + " sizeBytes=" + sizeBytes + " firstSequence="
                    + h.firstSequence() + " predecessor=" + h.predecessorSegment() + " predecessorEndBytes="
                    + h.predecessorEndBytes() + String.format(" salt=0x%016x", h.salt())
                    + (h.predecessorWasCut() ? " predecessorCut" : ""));
            return;
        }
        json.writeStartObject();
        json.writeStringField("type", "segment");
        json.writeStringField("file", name);
        json.writeNumberField("segment", h.segmentNumber());
        json.writeNumberField("sizeBytes", sizeBytes);
        json.writeNumberField("firstSequence", h.firstSequence());
        json.writeNumberField("predecessor", h.predecessorSegment());
        json.writeNumberField("predecessorEndBytes", h.predecessorEndBytes());
        json.writeBooleanField("predecessorCut", h.predecessorWasCut());
        endLine();
    }

    void startRecord(String name, long offsetBytes, int lengthBytes, long sequence, long syncedThroughBytes,
                     int flags) throws IOException {
        String flagText = ((flags & RecordFormat.FLAG_COMPRESSED) != 0 ? "lz4" : "")
                + ((flags & RecordFormat.FLAG_SEAL) != 0 ? "seal" : "");
        if (json == null) {
            out.println(name + " offset=" + offsetBytes + " length=" + lengthBytes + " sequence=" + sequence
                    + " syncedThrough=" + syncedThroughBytes + (flagText.isEmpty() ? "" : " flags=" + flagText));
            return;
        }
        json.writeStartObject();
        json.writeStringField("type", "record");
        json.writeStringField("file", name);
        json.writeNumberField("offset", offsetBytes);
        json.writeNumberField("length", lengthBytes);
        json.writeNumberField("sequence", sequence);
        json.writeNumberField("syncedThrough", syncedThroughBytes);
        json.writeBooleanField("compressed", (flags & RecordFormat.FLAG_COMPRESSED) != 0);
        json.writeBooleanField("seal", (flags & RecordFormat.FLAG_SEAL) != 0);
        json.writeArrayFieldStart("ops");
    }

    @Override
    public void put(byte[] key, byte[] value) {
        op("put", key, value);
    }

    @Override
    public void delete(byte[] key) {
        op("delete", key, null);
    }

    private void op(String kind, byte[] key, byte[] value) {
        if (json == null) {
            out.println("  " + kind + " key=" + ByteText.escape(key) + (value == null ? "" : " valueBytes="
                    + value.length + (values ? " value=" + ByteText.escape(value) : "")));
            return;
        }
        try {
            json.writeStartObject();
            json.writeStringField("op", kind);
            bytesField("key", key);
            if (value != null) {
                json.writeNumberField("valueBytes", value.length);
                if (values) {
                    bytesField("value", value);
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void bytesField(String name, byte[] bytes) throws IOException {
        if (Utf8.isWellFormed(bytes)) {
            json.writeFieldName(name);
            json.writeUTF8String(bytes, 0, bytes.length);
        } else {
            json.writeStringField(name + "Base64", ByteText.base64(bytes));
        }
    }

    void endRecord() throws IOException {
        if (json != null) {
            json.writeEndArray();
            endLine();
        }
    }

    /** A damaged span; {@code resumeBytes} is the next valid record's offset, or -1 if none follows. */
    void damage(String name, long offsetBytes, long lengthBytes, String problem, long resumeBytes) throws IOException {
        if (json == null) {
            out.println(name + " offset=" + offsetBytes + " DAMAGE length=" + lengthBytes + " "
                    + (resumeBytes < 0 ? "(no valid record follows)" : "(next valid record at offset=" + resumeBytes
                    + ")") + ": " + problem);
            return;
        }
        json.writeStartObject();
        json.writeStringField("type", "damage");
        json.writeStringField("file", name);
        json.writeNumberField("offset", offsetBytes);
        json.writeNumberField("length", lengthBytes);
        json.writeNumberField("resumeOffset", resumeBytes);
        json.writeStringField("problem", problem);
        endLine();
    }

    void segmentEnd(String name, long endBytes) throws IOException {
        if (json == null) {
            out.println(name + " end offset=" + endBytes);
        }
    }

    private void endLine() throws IOException {
        json.writeEndObject();
        json.writeRaw('\n');
        json.flush();
    }

    @Override
    public void close() throws IOException {
        if (json != null) {
            json.close();
        }
        out.flush();
    }
}
