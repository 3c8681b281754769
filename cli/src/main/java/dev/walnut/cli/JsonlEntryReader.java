package dev.walnut.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads JSON Lines as {@link JsonlEntryWriter} writes them: one object per line with exactly one of
 * {@code key}/{@code keyBase64} and one of {@code value}/{@code valueBase64}, string-valued, nothing
 * else, in UTF-8. Blank lines are allowed. Every error is a {@link CliException} with
 * {@link ExitCode#BAD_INPUT} naming the input and the line (and the column when the parser knows it);
 * an {@link IOException} out of here is a failing read of the input, never malformed input.
 */
final class JsonlEntryReader {

    /** Bytes looked at to refuse a UTF-16 or UTF-32 input: as many as Jackson's encoding detection reads. */
    static final int ENCODING_PROBE_BYTES = 4;
    /** Jackson's string buffer is a char array: its size stays below the JVM's array limit. */
    static final long STRING_CHARS_MAX = Integer.MAX_VALUE - 16;
    /** How Jackson's StreamConstraintsException for the string limit begins (its other limits differ). */
    static final String STRING_LIMIT_MESSAGE = "String value length";

    private final InputStream in;
    private final String source;
    private final long entryBytesMax;
    /** The line of the object being read, 0 between objects. */
    private long objectLine;

    JsonlEntryReader(InputStream in, String source, long entryBytesMax) {
        this.in = in;
        this.source = source;
        this.entryBytesMax = entryBytesMax;
    }

    void readAll(EntrySink sink) throws IOException {
        try (JsonParser p = factory(entryBytesMax).createParser(requireUtf8(in))) {
            p.configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false);
            long previousLine = 0;
            for (byte[][] entry; (entry = nextEntry(p, previousLine)) != null; ) {
                sink.accept(entry[0], entry[1]);
                previousLine = objectLine;
                objectLine = 0;
            }
        }
    }

    /**
     * Strings are the only values and none may exceed what one entry holds (base64 is 4 chars per 3
     * bytes), so the parser's string limit follows the store's instead of Jackson's 20M-char default,
     * which would refuse a value a store holds by default.
     */
    static JsonFactory factory(long entryBytesMax) {
        long chars = Math.min(STRING_CHARS_MAX, 4 * ((entryBytesMax + 2) / 3));
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength((int) chars).build()).build();
    }

    /**
     * JSON Lines is UTF-8 (as the exporter writes it). Jackson would take a 0x00 byte or a UTF-16 byte
     * order mark among the first four bytes for UTF-16 or UTF-32 and decode through a reader whose errors
     * carry no line; no UTF-8 JSON text starts that way, so such input is refused here.
     */
    private InputStream requireUtf8(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw);
        buffered.mark(ENCODING_PROBE_BYTES);
        byte[] first = buffered.readNBytes(ENCODING_PROBE_BYTES);
        buffered.reset();
        boolean utf16Bom = first.length >= 2 && ((first[0] & 0xFF) == 0xFE && (first[1] & 0xFF) == 0xFF
                || (first[0] & 0xFF) == 0xFF && (first[1] & 0xFF) == 0xFE);
        int zeroAt = 0;
        while (zeroAt < first.length && first[zeroAt] != 0) {
            zeroAt++;
        }
        if (utf16Bom || zeroAt < first.length) {
            throw new CliException(ExitCode.BAD_INPUT, "malformed jsonl: not UTF-8: the first bytes "
                    + ByteText.escape(first) + " are UTF-16 or UTF-32 (" + (utf16Bom ? "byte order mark"
                    : "a 0x00 byte at offset=" + zeroAt) + "); JSON Lines must be UTF-8 (input=" + source + " line=1)");
        }
        return buffered;
    }

    /** The next entry, or null at the end; every parser error becomes malformed input at its line. */
    private byte[][] nextEntry(JsonParser p, long previousLine) throws IOException {
        try {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            long line = p.currentTokenLocation().getLineNr();
            if (t != JsonToken.START_OBJECT) {
                throw bad(line, "expected a JSON object, found " + t);
            }
            if (line == previousLine) {
                throw bad(line, "two objects on one line: JSON Lines holds one object per line");
            }
            objectLine = line;
            byte[][] entry = readObject(p, line);
            if (p.currentTokenLocation().getLineNr() != line) {
                throw bad(line, "object spans lines: JSON Lines holds one object per line");
            }
            String problem = ImportFormat.entryProblem(entry[0], entry[1], entryBytesMax);
            if (problem != null) {
                throw bad(line, problem);
            }
            return entry;
        } catch (JsonProcessingException e) {
            // Syntax, encoding, end-of-input and size-limit errors alike, whether found by nextToken or
            // only when a string is read (Jackson decodes strings lazily). I/O errors are not among them.
            throw invalid(e);
        }
    }

    /** An error inside an object is reported at the object's line; its column only when on that line. */
    private CliException invalid(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        long errorLine = at == null ? 0 : at.getLineNr();
        long line = objectLine > 0 ? objectLine : errorLine;
        String message = e.getOriginalMessage();
        // Jackson appends its own location ("(start marker at [Source: ...])"); ours is the line number.
        int extra = message.indexOf(" (start marker at");
        message = (extra >= 0 ? message.substring(0, extra) : message).lines().findFirst().orElse("");
        if (e instanceof StreamConstraintsException && message.startsWith(STRING_LIMIT_MESSAGE)) {
            // The string limit is the entry limit in chars (see factory): say it as the entry check does.
            message = "entry too large for one record: " + message.replaceAll(", from `[^`]*`", "")
                    + "; an entry holds at most maxEntryBytes=" + entryBytesMax + " (raise --max-record-bytes)";
        }
        String column = at != null && errorLine == line && at.getColumnNr() > 0 ? " column=" + at.getColumnNr() : "";
        return new CliException(ExitCode.BAD_INPUT, ByteText.controlsEscaped("malformed jsonl: invalid JSON: " + message
                + " (input=" + source + " line=" + line + column + ")"), e);
    }

    /** Returns {key, value}. */
    private byte[][] readObject(JsonParser p, long line) throws IOException {
        byte[] key = null;
        byte[] value = null;
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_OBJECT; ) {
            if (t != JsonToken.FIELD_NAME) {
                throw bad(line, "expected a field name, found " + t);
            }
            String name = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw bad(line, "field " + name + " must be a string");
            }
            String text = p.getText();
            switch (name) {
                case JsonlEntryWriter.KEY, JsonlEntryWriter.KEY_BASE64 -> {
                    if (key != null) {
                        throw bad(line, "more than one key field");
                    }
                    key = decode(name.equals(JsonlEntryWriter.KEY_BASE64), text, name, line);
                }
                case JsonlEntryWriter.VALUE, JsonlEntryWriter.VALUE_BASE64 -> {
                    if (value != null) {
                        throw bad(line, "more than one value field");
                    }
                    value = decode(name.equals(JsonlEntryWriter.VALUE_BASE64), text, name, line);
                }
                default -> throw bad(line, "unknown field: " + name + " (expected key|keyBase64 and value|valueBase64)");
            }
        }
        if (key == null) {
            throw bad(line, "missing field: key or keyBase64");
        }
        if (value == null) {
            throw bad(line, "missing field: value or valueBase64");
        }
        return new byte[][] {key, value};
    }

    private byte[] decode(boolean base64, String text, String field, long line) {
        if (base64) {
            try {
                return ByteText.unbase64(text);
            } catch (IllegalArgumentException e) {
                throw bad(line, "field " + field + " is not base64: " + e.getMessage());
            }
        }
        try {
            // A JSON string may hold a lone surrogate (\ud800), which has no UTF-8 form: refuse it rather
            // than store a replacement character.
            var bytes = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw bad(line, "field " + field + " holds a lone surrogate, which has no UTF-8 form (use " + field
                    + "Base64)");
        }
    }

    private CliException bad(long line, String what) {
        return new CliException(ExitCode.BAD_INPUT, ByteText.controlsEscaped("malformed jsonl: " + what + " (input="
                + source + " line=" + line + ")"));
    }
}
