package dev.fixgate.provider.common.stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.FindingParser.Sink;
import java.io.IOException;

/**
 * Walks the records of an input whose records are objects: one object, an array of them, or a stream of either
 * (JSON lines). Each record is handed over on its START_OBJECT with its budget started; anything in a record
 * slot that is not an object is rejected and skipped.
 */
public final class Records {

    /** Reads one record; the parser is on its START_OBJECT and must be left on its END_OBJECT. */
    @FunctionalInterface
    public interface Reader {
        void record(SourceLocation where) throws IOException;
    }

    private Records() {
    }

    /** Every root value of the input in turn. */
    public static void roots(JsonInput input, Sink sink, String expected, Reader reader) throws IOException {
        JsonParser p = input.parser();
        do {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_ARRAY) {
                array(input, sink, reader);
            } else if (t == JsonToken.START_OBJECT) {
                one(input, reader);
            } else {
                throw input.shape("expected " + expected + " but found " + JsonInput.describe(t));
            }
        } while (p.nextToken() != null);
    }

    /** The elements of the array the parser is on. */
    public static void array(JsonInput input, Sink sink, Reader reader) throws IOException {
        JsonParser p = input.parser();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.START_OBJECT) {
                one(input, reader);
            } else {
                input.startRecord();
                sink.rejected(input.recordLocation(input.pointerHere()), Tokens.WRONG_TYPE,
                        "a record must be an object, found " + JsonInput.describe(p.currentToken()));
                p.skipChildren();
            }
        }
    }

    /**
     * Every root value of a saved or pulled page of a paged API in turn: an object whose member {@code rows} is the
     * array of records (every other member is skipped; an object without it is an empty page), or an array of
     * records. Anything else is the error "expected {@code expected}".
     */
    public static void pages(JsonInput input, Sink sink, String rows, String expected, Reader reader)
            throws IOException {
        pages(input, sink, rows, expected, "", reader);
    }

    /** The same, where an object without the member {@code rows} is the shape error {@code missing}. */
    public static void pagesRequiring(JsonInput input, Sink sink, String rows, String expected, String missing,
                                      Reader reader) throws IOException {
        pages(input, sink, rows, expected, missing, reader);
    }

    private static void pages(JsonInput input, Sink sink, String rows, String expected, String missing, Reader reader)
            throws IOException {
        JsonParser p = input.parser();
        do {
            if (p.currentToken() == JsonToken.START_ARRAY) {
                array(input, sink, reader);
                continue;
            }
            input.expect(JsonToken.START_OBJECT, expected);
            boolean found = false;
            String field;
            while ((field = Tokens.nextField(p)) != null) {
                if (field.equals(rows) && p.nextToken() == JsonToken.START_ARRAY) {
                    found = true;
                    array(input, sink, reader);
                } else if (p.currentToken() == JsonToken.FIELD_NAME) {
                    Tokens.skipValue(p);
                } else {
                    p.skipChildren();
                }
            }
            if (!found && !missing.isEmpty()) {
                throw input.shape(missing);
            }
        } while (p.nextToken() != null);
    }

    private static void one(JsonInput input, Reader reader) throws IOException {
        String pointer = input.pointerHere();
        input.startRecord();
        reader.record(input.recordLocation(pointer));
        input.endRecord();
    }
}
