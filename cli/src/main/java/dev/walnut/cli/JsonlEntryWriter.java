package dev.walnut.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;

/**
 * JSON Lines: one object per line, {@code {"key":...,"value":...}}. A key or value that is
 * well-formed UTF-8 is written as a JSON string; any other bytes go in {@code keyBase64} /
 * {@code valueBase64} instead (or always, with {@code --base64}). Lossless and deterministic: the
 * same bytes always give the same line.
 */
final class JsonlEntryWriter implements ExportFormat.EntryWriter {

    static final String KEY = "key";
    static final String KEY_BASE64 = "keyBase64";
    static final String VALUE = "value";
    static final String VALUE_BASE64 = "valueBase64";

    private final JsonGenerator json;
    private final boolean alwaysBase64;

    JsonlEntryWriter(OutputStream out, boolean alwaysBase64) throws IOException {
        this.json = new JsonFactory().createGenerator(out);
        this.json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        this.json.setRootValueSeparator(null);
        this.alwaysBase64 = alwaysBase64;
    }

    @Override
    public void accept(byte[] key, byte[] value) throws IOException {
        json.writeStartObject();
        field(KEY, KEY_BASE64, key);
        field(VALUE, VALUE_BASE64, value);
        json.writeEndObject();
        json.writeRaw('\n');
    }

    private void field(String textName, String base64Name, byte[] bytes) throws IOException {
        if (!alwaysBase64 && Utf8.isWellFormed(bytes)) {
            json.writeFieldName(textName);
            json.writeUTF8String(bytes, 0, bytes.length);
        } else {
            json.writeStringField(base64Name, ByteText.base64(bytes));
        }
    }

    @Override
    public void finish() throws IOException {
        json.close();
    }
}
