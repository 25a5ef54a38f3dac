package dev.fixgate.app.config;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates a {@link YamlDocument} against one of the published JSON Schemas in {@code docs/schema} (on the
 * classpath under {@code schema/}) and turns each error into a {@link ConfigProblem} that names the file, line
 * and key. The schema is the single description of the configuration: the documentation, the editor support
 * and this check all read it.
 */
public final class SchemaCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final Schema schema;
    private final JsonNode schemaTree;

    private SchemaCheck(String name, Schema schema, JsonNode schemaTree) {
        this.name = name;
        this.schema = schema;
        this.schemaTree = schemaTree;
    }

    /** Loads {@code schema/<name>} from the classpath. */
    public static SchemaCheck load(String name) {
        String resource = "/schema/" + name;
        try (InputStream in = SchemaCheck.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema missing from the classpath: " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
            return new SchemaCheck(name, registry.getSchema(text, InputFormat.JSON), JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    public String name() {
        return name;
    }

    /** Every problem in {@code doc}, in file order; empty when it is valid. */
    public List<ConfigProblem> check(YamlDocument doc) {
        JsonNode instance = JSON.valueToTree(doc.value());
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Error error : schema.validate(instance)) {
            ConfigProblem problem = toProblem(doc, error);
            if (seen.putIfAbsent(problem.pointer() + "|" + problem.code() + "|" + problem.message(), true) == null) {
                problems.add(problem);
            }
        }
        problems.sort(Comparator.comparingLong((ConfigProblem p) -> p.location().line())
                .thenComparingLong(p -> p.location().column()));
        return problems;
    }

    private ConfigProblem toProblem(YamlDocument doc, Error error) {
        String pointer = pointer(error.getInstanceLocation());
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        return switch (keyword) {
            case "additionalProperties", "unevaluatedProperties" -> {
                String key = error.getProperty();
                String child = pointer + "/" + YamlDocument.escape(key);
                List<String> known = knownProperties(error);
                String hint = DidYouMean.suggest(key, known).map(s -> "; did you mean '" + s + "'?")
                        .orElse(known.isEmpty() ? "" : "; known keys: " + String.join(", ", known));
                yield new ConfigProblem("config.unknown-key", doc.keyAt(child), child, "unknown key '" + key + "'" + hint);
            }
            case "type" -> new ConfigProblem("config.wrong-type", doc.valueAt(pointer), pointer,
                    "expected " + expectedType(error) + ", got " + describe(error.getInstanceNode()));
            case "required" -> new ConfigProblem("config.missing-key", doc.valueAt(pointer), pointer,
                    "missing required key '" + error.getProperty() + "'");
            case "enum", "const" -> new ConfigProblem("config.invalid-value", doc.valueAt(pointer), pointer,
                    describe(error.getInstanceNode()) + " is not one of " + error.getSchemaNode());
            case "oneOf" -> new ConfigProblem("config.invalid-value", doc.valueAt(pointer), pointer,
                    "give exactly one of: " + alternatives(error));
            default -> new ConfigProblem("config.invalid-value", doc.valueAt(pointer), pointer,
                    stripPath(error.getMessage()));
        };
    }

    /** The property names the object at the error's schema location declares, for "did you mean". */
    private List<String> knownProperties(Error error) {
        return schemaObjectOf(error).map(obj -> obj.get("properties"))
                .filter(JsonNode::isObject)
                .map(props -> {
                    List<String> names = new ArrayList<>();
                    props.propertyNames().forEach(names::add);
                    return names;
                }).orElse(List.of());
    }

    private String alternatives(Error error) {
        List<String> parts = new ArrayList<>();
        JsonNode options = error.getSchemaNode();
        if (options != null && options.isArray()) {
            for (JsonNode option : options) {
                JsonNode required = option.get("required");
                if (required != null) {
                    List<String> keys = new ArrayList<>();
                    required.forEach(k -> keys.add(k.asString()));
                    parts.add(String.join(" + ", keys));
                }
            }
        }
        return parts.isEmpty() ? stripPath(error.getMessage()) : String.join(", ", parts);
    }

    /** The schema object that contains the failing keyword, found by walking its location's fragment. */
    private Optional<JsonNode> schemaObjectOf(Error error) {
        String location = String.valueOf(error.getSchemaLocation());
        int hash = location.indexOf('#');
        if (hash < 0) {
            return Optional.empty();
        }
        String fragment = location.substring(hash + 1);
        int last = fragment.lastIndexOf('/');
        if (last < 0) {
            return Optional.of(schemaTree);
        }
        JsonNode node = schemaTree.at(fragment.substring(0, last));
        return node.isMissingNode() ? Optional.empty() : Optional.of(node);
    }

    private static String expectedType(Error error) {
        JsonNode expected = error.getSchemaNode();
        if (expected == null) {
            return "another type";
        }
        if (expected.isArray()) {
            List<String> types = new ArrayList<>();
            expected.forEach(t -> types.add(t.asString()));
            return String.join(" or ", types);
        }
        String type = expected.asString();
        return switch (type) {
            case "object" -> "a map of keys";
            case "array" -> "a list";
            case "integer" -> "an integer";
            default -> "a " + type;
        };
    }

    private static String describe(JsonNode value) {
        if (value == null || value.isNull()) {
            return "nothing (null)";
        }
        if (value.isString()) {
            String text = value.asString();
            return "the text \"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
        }
        if (value.isObject()) {
            return "a map";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isBoolean()) {
            return "the boolean " + value.asString();
        }
        return "the number " + value.asString();
    }

    /** The validator prefixes messages with the instance path; the problem already carries it. */
    private static String stripPath(String message) {
        if (message == null) {
            return "invalid value";
        }
        int colon = message.indexOf(": ");
        return message.startsWith("$") || message.startsWith("/") && colon > 0 ? message.substring(colon + 2) : message;
    }

    static String pointer(NodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            sb.append('/').append(element instanceof String s ? YamlDocument.escape(s) : String.valueOf(element));
        }
        return sb.toString();
    }
}
