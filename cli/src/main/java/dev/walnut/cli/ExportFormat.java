package dev.walnut.cli;

import java.io.IOException;
import java.io.OutputStream;

/** The export formats; jsonl and walnut can be imported back. */
enum ExportFormat {
    jsonl, csv, tsv, walnut;

    /** A writer of this format onto {@code out}; {@code base64} forces base64 in jsonl. */
    EntryWriter writer(OutputStream out, boolean base64) throws IOException {
        return switch (this) {
            case jsonl -> new JsonlEntryWriter(out, base64);
            case csv -> new DelimitedEntryWriter(out, ',');
            case tsv -> new DelimitedEntryWriter(out, '\t');
            case walnut -> new WalnutEntryWriter(out);
        };
    }

    /** Writes entries in the order given; {@link #finish()} completes the stream (trailer, flush). */
    interface EntryWriter extends EntrySink {
        void finish() throws IOException;
    }
}
