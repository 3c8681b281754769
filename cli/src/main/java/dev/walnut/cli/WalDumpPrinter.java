package dev.walnut.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.walnut.LogVisitor;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * Prints {@code dump-wal} output as text or JSON Lines, one line per segment, record, operation
 * (text) and damage site. Keys and values: escaped UTF-8 in text; in JSON, a string when well-formed
 * UTF-8, else base64 in {@code keyBase64}/{@code valueBase64}, as in jsonl exports. A visitor
 * cannot throw {@link IOException}: a failing write is rethrown unchecked, and Main reports its cause.
 */
final class WalDumpPrinter implements LogVisitor, Closeable {

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

    @Override
    public void segment(Segment h) {
        if (json == null) {
            out.println(h.file() + " segment=" + h.number() + " sizeBytes=" + h.sizeBytes() + " firstSequence="
                    + h.firstSequence() + " predecessor=" + h.predecessorSegment() + " predecessorEndBytes="
                    + h.predecessorEndBytes() + String.format(" salt=0x%016x", h.salt())
                    + (h.predecessorCut() ? " predecessorCut" : ""));
            return;
        }
        unchecked(() -> {
            json.writeStartObject();
            json.writeStringField("type", "segment");
            json.writeStringField("file", h.file());
            json.writeNumberField("segment", h.number());
            json.writeNumberField("sizeBytes", h.sizeBytes());
            json.writeNumberField("firstSequence", h.firstSequence());
            json.writeNumberField("predecessor", h.predecessorSegment());
            json.writeNumberField("predecessorEndBytes", h.predecessorEndBytes());
            json.writeBooleanField("predecessorCut", h.predecessorCut());
            endLine();
        });
    }

    @Override
    public void record(Record r) {
        String flagText = (r.compressed() ? "lz4" : "") + (r.seal() ? "seal" : "");
        if (json == null) {
            out.println(r.file() + " offset=" + r.offsetBytes() + " length=" + r.lengthBytes() + " sequence="
                    + r.sequence() + " syncedThrough=" + r.syncedThroughBytes()
                    + (flagText.isEmpty() ? "" : " flags=" + flagText));
            return;
        }
        unchecked(() -> {
            json.writeStartObject();
            json.writeStringField("type", "record");
            json.writeStringField("file", r.file());
            json.writeNumberField("offset", r.offsetBytes());
            json.writeNumberField("length", r.lengthBytes());
            json.writeNumberField("sequence", r.sequence());
            json.writeNumberField("syncedThrough", r.syncedThroughBytes());
            json.writeBooleanField("compressed", r.compressed());
            json.writeBooleanField("seal", r.seal());
            json.writeArrayFieldStart("ops");
        });
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
        unchecked(() -> {
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
        });
    }

    private void bytesField(String name, byte[] bytes) throws IOException {
        if (Utf8.isWellFormed(bytes)) {
            json.writeFieldName(name);
            json.writeUTF8String(bytes, 0, bytes.length);
        } else {
            json.writeStringField(name + "Base64", ByteText.base64(bytes));
        }
    }

    @Override
    public void endRecord(Record record) {
        if (json != null) {
            unchecked(() -> {
                json.writeEndArray();
                endLine();
            });
        }
    }

    /** A span that does not read as records; {@code resumeOffsetBytes} is -1 if no valid record follows. */
    @Override
    public void damage(Damage d) {
        if (json == null) {
            out.println(d.file() + " offset=" + d.offsetBytes() + " DAMAGE length=" + d.lengthBytes() + " "
                    + (d.resumeOffsetBytes() < 0 ? "(no valid record follows)" : "(next valid record at offset="
                    + d.resumeOffsetBytes() + ")") + ": " + d.problem());
            return;
        }
        unchecked(() -> {
            json.writeStartObject();
            json.writeStringField("type", "damage");
            json.writeStringField("file", d.file());
            json.writeNumberField("offset", d.offsetBytes());
            json.writeNumberField("length", d.lengthBytes());
            json.writeNumberField("resumeOffset", d.resumeOffsetBytes());
            json.writeStringField("problem", d.problem());
            endLine();
        });
    }

    @Override
    public void segmentEnd(String file, long endOffsetBytes) {
        if (json == null) {
            out.println(file + " end offset=" + endOffsetBytes);
        }
    }

    private interface JsonWrite {
        void run() throws IOException;
    }

    private static void unchecked(JsonWrite write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
