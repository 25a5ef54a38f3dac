package dev.fixgate.provider.common.stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reading one value while the tokens go by, with the type check the streaming parsers need: a value of the
 * wrong type is skipped whole (so the stream stays in step) and recorded as the record's problem.
 */
public final class Tokens {

    /** Code for a field of the wrong JSON type. */
    public static final String WRONG_TYPE = "ingest.wrong-type";

    private Tokens() {
    }

    /**
     * Advances to the next value and reads it as text. Numbers and booleans are accepted as their text (tools are
     * not consistent about quoting account ids); null reads as empty; an object or array is a problem.
     */
    public static String text(JsonParser p, Problems problems) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT
                || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        wrongType(p, problems, "a string");
        return "";
    }

    /** Advances into an object value; false (after skipping it, recording a problem) when it is not one. */
    public static boolean object(JsonParser p, Problems problems) throws IOException {
        return enter(p, problems, JsonToken.START_OBJECT, "an object");
    }

    /** Advances into an array value; false (after skipping it, recording a problem) when it is not one. */
    public static boolean array(JsonParser p, Problems problems) throws IOException {
        return enter(p, problems, JsonToken.START_ARRAY, "an array");
    }

    private static boolean enter(JsonParser p, Problems problems, JsonToken start, String what) throws IOException {
        JsonToken t = p.nextToken();
        if (t == start) {
            return true;
        }
        if (t != JsonToken.VALUE_NULL) {
            wrongType(p, problems, what);
        }
        return false;
    }

    /** Skips the value after the current field name. */
    public static void skipValue(JsonParser p) throws IOException {
        p.nextToken();
        p.skipChildren();
    }

    /** Inside an object: the next field name, or null at the end of the object. */
    public static String nextField(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        return t == JsonToken.FIELD_NAME ? p.currentName() : null;
    }

    private static void wrongType(JsonParser p, Problems problems, String expected) throws IOException {
        String pointer = p.getParsingContext().pathAsPointer().toString();
        problems.add(WRONG_TYPE, pointer, pointer + " should be " + expected + " but is "
                + JsonInput.describe(p.currentToken()));
        p.skipChildren();
    }
}
