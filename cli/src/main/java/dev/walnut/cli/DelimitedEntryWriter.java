package dev.walnut.cli;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * CSV or TSV for people and spreadsheets (not importable): a header row {@code key,value}, then one
 * row per entry, keys and values in escaped UTF-8 (see {@link ByteText}), so binary bytes survive
 * and no field ever holds a raw tab or newline. FastCSV quotes a field only when it must (a field
 * holding the separator or a double quote). Lines end with LF.
 */
final class DelimitedEntryWriter implements ExportFormat.EntryWriter {

    private final Writer text;
    private final CsvWriter csv;

    DelimitedEntryWriter(OutputStream out, char separator) {
        this.text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        this.csv = CsvWriter.builder().fieldSeparator(separator).lineDelimiter(LineDelimiter.LF).build(text);
        csv.writeRecord("key", "value");
    }

    @Override
    public void accept(byte[] key, byte[] value) {
        csv.writeRecord(ByteText.escape(key), ByteText.escape(value));
    }

    @Override
    public void finish() throws IOException {
        csv.flush();
        text.flush();
    }
}
