package dev.walnut.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads JSON Lines as {@link JsonlEntryWriter} writes them: one object per line with exactly one of
 * {@code key}/{@code keyBase64} and one of {@code value}/{@code valueBase64}, string-valued, nothing
 * else. Blank lines are allowed. Every error names the input and the line.
 */
final class JsonlEntryReader {

    private final InputStream in;
    private final String source;
    private final long entryBytesMax;

    JsonlEntryReader(InputStream in, String source, long entryBytesMax) {
        this.in = in;
        this.source = source;
        this.entryBytesMax = entryBytesMax;
    }

    void readAll(EntrySink sink) throws IOException {
        JsonFactory factory = new JsonFactory();
        try (JsonParser p = factory.createParser(in)) {
            p.configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false);
            long previousLine = 0;
            for (JsonToken t; (t = next(p)) != null; ) {
                long line = p.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) {
                    throw bad(line, "expected a JSON object, found " + t);
                }
                if (line == previousLine) {
                    throw bad(line, "two objects on one line: JSON Lines holds one object per line");
                }
                byte[][] entry = readObject(p, line);
                if (p.currentTokenLocation().getLineNr() != line) {
                    throw bad(line, "object spans lines: JSON Lines holds one object per line");
                }
                String problem = ImportFormat.entryProblem(entry[0], entry[1], entryBytesMax);
                if (problem != null) {
                    throw bad(line, problem);
                }
                sink.accept(entry[0], entry[1]);
                previousLine = line;
            }
        }
    }

    private JsonToken next(JsonParser p) throws IOException {
        return next(p, 0);
    }

    /** The next token; a syntax error inside an object is reported at the object's line. */
    private JsonToken next(JsonParser p, long objectLine) throws IOException {
        try {
            return p.nextToken();
        } catch (JsonParseException e) {
            long line = objectLine > 0 ? objectLine : e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String message = e.getOriginalMessage();
            // Jackson appends its own location ("(start marker at [Source: ...])"); ours is the line number.
            int extra = message.indexOf(" (start marker at");
            message = (extra >= 0 ? message.substring(0, extra) : message).lines().findFirst().orElse("");
            throw bad(line, "invalid JSON: " + message);
        }
    }

    /** Returns {key, value}. */
    private byte[][] readObject(JsonParser p, long line) throws IOException {
        byte[] key = null;
        byte[] value = null;
        for (JsonToken t; (t = next(p, line)) != JsonToken.END_OBJECT; ) {
            if (t != JsonToken.FIELD_NAME) {
                throw bad(line, "expected a field name, found " + t);
            }
            String name = p.currentName();
            if (next(p, line) != JsonToken.VALUE_STRING) {
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
        return new CliException(ExitCode.BAD_INPUT, "malformed jsonl: " + what + " (input=" + source + " line=" + line
                + ")");
    }
}
