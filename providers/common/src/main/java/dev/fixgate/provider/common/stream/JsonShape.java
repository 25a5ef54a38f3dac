package dev.fixgate.provider.common.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The structure of the first bytes of a JSON input, for format sniffing: which member paths occur (array
 * elements written {@code []}, e.g. {@code Findings[].SchemaVersion}, {@code [].class_uid},
 * {@code runs[].tool.driver.name}) and the first scalar value of each.
 *
 * <p>Sniffing by structure instead of by substring keeps a parser from claiming a file that merely mentions its
 * keys — a JSON Schema of KICS results lists {@code "kics_version"} under {@code required}, but its top-level
 * members are {@code type}, {@code required} and {@code properties}. The head may be cut mid-token; whatever was
 * read before the cut counts.
 */
public final class JsonShape {

    private static final int MAX_DEPTH = 6;
    private static final int MAX_VALUE = 200;
    private static final JsonFactory FACTORY = JsonInput.factory(ParseLimits.defaults());
    private static final JsonShape NONE = new JsonShape(Map.of(), null);

    private final Map<String, String> paths;
    private final JsonToken root;

    private JsonShape(Map<String, String> paths, JsonToken root) {
        this.paths = paths;
        this.root = root;
    }

    /** The shape of {@code head}; an empty shape when it does not start like JSON. */
    public static JsonShape of(byte[] head) {
        Map<String, String> paths = new HashMap<>();
        JsonToken root = null;
        Deque<String> containers = new ArrayDeque<>();
        Deque<Boolean> arrays = new ArrayDeque<>();
        String field = "";
        try (JsonParser p = FACTORY.createParser(head)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    containers.pop();
                    arrays.pop();
                    continue;
                }
                if (containers.isEmpty() && root == null) {
                    root = t;
                }
                String path = containers.isEmpty() ? ""
                        : Boolean.TRUE.equals(arrays.peek()) ? containers.peek() + "[]" : join(containers.peek(), field);
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (containers.size() >= MAX_DEPTH) {
                        p.skipChildren();
                        continue;
                    }
                    containers.push(path);
                    arrays.push(t == JsonToken.START_ARRAY);
                    if (!path.isEmpty()) {
                        paths.putIfAbsent(path, "");
                    }
                } else {
                    String text = p.getText();
                    paths.putIfAbsent(path, text.length() > MAX_VALUE ? text.substring(0, MAX_VALUE) : text);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The head is cut mid-token, or is not JSON at all: keep what was seen.
        }
        return paths.isEmpty() && root == null ? NONE : new JsonShape(Map.copyOf(paths), root);
    }

    private static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** True when the root value is an object (or, for a stream of values, the first one is). */
    public boolean rootIsObject() {
        return root == JsonToken.START_OBJECT;
    }

    public boolean rootIsArray() {
        return root == JsonToken.START_ARRAY;
    }

    public boolean has(String path) {
        return paths.containsKey(path);
    }

    /** The first scalar value at {@code path}. */
    public Optional<String> value(String path) {
        String v = paths.get(path);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    @Override
    public String toString() {
        return "JsonShape" + paths.keySet();
    }
}
