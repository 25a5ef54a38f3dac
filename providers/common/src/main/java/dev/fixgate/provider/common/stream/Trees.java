package dev.fixgate.provider.common.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Bounded per-record trees for the formats that are rare enough not to need hand-written streaming (SARIF, KICS,
 * Wiz, fixgate's generic JSON): the record's tokens are read into a {@link JsonNode}, bounded by the record byte
 * budget of {@link JsonInput}, and read with the small accessors here.
 */
public final class Trees {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Trees() {
    }

    /** Reads the value the parser is on (typically a START_OBJECT) into a tree. */
    public static JsonNode read(JsonInput input) throws IOException {
        JsonNode node = MAPPER.readTree(input.parser());
        return node == null ? MAPPER.nullNode() : node;
    }

    /** The text at {@code path} (member names), or "" when absent, null or not a scalar. */
    public static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n.isValueNode() && !n.isNull() ? n.asText() : "";
    }

    /** The node at {@code path}, or a missing node. */
    public static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            n = n.path(p);
        }
        return n;
    }

    /** The first non-blank text among {@code candidates} paths ({@code "a.b"} dotted). */
    public static String firstText(JsonNode node, String... dottedPaths) {
        for (String dotted : dottedPaths) {
            String t = text(node, dotted.split("\\."));
            if (!t.isBlank()) {
                return t;
            }
        }
        return "";
    }
}
