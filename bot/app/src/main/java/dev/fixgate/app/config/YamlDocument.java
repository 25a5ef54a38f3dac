package dev.fixgate.app.config;

import dev.fixgate.spi.error.SourceLocation;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML configuration file read into plain values ({@code Map}, {@code List}, {@code String}, {@code Long},
 * {@code Double}, {@code Boolean}, or {@code null}) together with the line and column of every value and key,
 * addressed by JSON pointer, so that schema errors can name {@code file:line}.
 *
 * <p>Configuration is untrusted input (a repository's {@code .github/fixgate.yml} is written by anyone who can
 * open a pull request), so parsing is bounded: size, nesting depth, number of aliases, total node count, no
 * recursive keys and no duplicate keys. An alias bomb ("billion laughs") is refused while composing, before any
 * expansion; the node budget protects the conversion below from whatever the alias limit lets through.
 */
public final class YamlDocument {

    static final int MAX_CODE_POINTS = 1 << 20;
    static final int MAX_ALIASES = 20;
    static final int MAX_DEPTH = 40;
    static final int MAX_NODES = 100_000;

    private final String source;
    private final Object value;
    private final Map<String, SourceLocation> valueLocations;
    private final Map<String, SourceLocation> keyLocations;

    private YamlDocument(String source, Object value, Map<String, SourceLocation> valueLocations,
                         Map<String, SourceLocation> keyLocations) {
        this.source = source;
        this.value = value;
        this.valueLocations = valueLocations;
        this.keyLocations = keyLocations;
    }

    /**
     * Parses {@code text}. An empty document (or one holding only comments) is an empty map.
     *
     * @param source the file name used in locations
     * @throws ConfigException with code {@code config.yaml-syntax} or {@code config.yaml-limit}
     */
    public static YamlDocument parse(String source, String text) {
        if (text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw ConfigException.single(new ConfigProblem("config.yaml-limit", SourceLocation.of(source), "",
                    "file is larger than " + MAX_CODE_POINTS + " characters"));
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        options.setAllowDuplicateKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setProcessComments(false);
        Yaml yaml = new Yaml(options);
        Node root;
        try {
            root = yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            throw ConfigException.single(syntaxProblem(source, e));
        } catch (YAMLException e) {
            // Alias and size limits are raised without a mark.
            throw ConfigException.single(new ConfigProblem("config.yaml-limit", SourceLocation.of(source), "",
                    "refused: " + firstLine(e.getMessage())));
        }
        Map<String, SourceLocation> values = new HashMap<>();
        Map<String, SourceLocation> keys = new HashMap<>();
        if (root == null) {
            return new YamlDocument(source, new LinkedHashMap<>(), values, keys);
        }
        Converter converter = new Converter(source, values, keys);
        Object value = converter.convert(root, "", 0);
        return new YamlDocument(source, value, Collections.unmodifiableMap(values), Collections.unmodifiableMap(keys));
    }

    public String source() {
        return source;
    }

    /** The document's value: a map for every valid configuration file. */
    public Object value() {
        return value;
    }

    /** Where the value at {@code pointer} starts; the file itself when the pointer is unknown. */
    public SourceLocation valueAt(String pointer) {
        return valueLocations.getOrDefault(pointer, SourceLocation.of(source));
    }

    /** Where the key that holds the value at {@code pointer} is written; falls back to the value, then the file. */
    public SourceLocation keyAt(String pointer) {
        SourceLocation key = keyLocations.get(pointer);
        return key != null ? key : valueAt(pointer);
    }

    /** Every key's location by the JSON pointer of its value (for {@link RepoConfig.Origin}). */
    Map<String, SourceLocation> keyLocations() {
        return keyLocations;
    }

    /**
     * {@code over} laid on {@code base}, as the repository's file is laid on its organisation's defaults: where
     * both hold a mapping the two merge key by key, recursively; anything else in {@code over} — a list, a
     * value, a mapping where {@code base} has something else — replaces what {@code base} has, whole (lists are
     * not concatenated). Every value keeps the location in the file that supplied it, so a problem found in the
     * merged document still names the right file and line.
     */
    public static YamlDocument overlay(YamlDocument base, YamlDocument over) {
        Map<String, SourceLocation> values = new HashMap<>();
        Map<String, SourceLocation> keys = new HashMap<>();
        Object merged = overlay(base, base.value, over, over.value, "", values, keys);
        return new YamlDocument(over.source, merged, Collections.unmodifiableMap(values),
                Collections.unmodifiableMap(keys));
    }

    private static Object overlay(YamlDocument base, Object b, YamlDocument over, Object o, String pointer,
                                  Map<String, SourceLocation> values, Map<String, SourceLocation> keys) {
        if (!(b instanceof Map<?, ?> bm) || !(o instanceof Map<?, ?> om)) {
            over.copyLocations(o, pointer, values, keys);
            return o;
        }
        over.copyLocation(pointer, values, keys);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : bm.entrySet()) {
            if (!om.containsKey(e.getKey())) {
                String child = pointer + "/" + escape((String) e.getKey());
                base.copyLocations(e.getValue(), child, values, keys);
                out.put((String) e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<?, ?> e : om.entrySet()) {
            String child = pointer + "/" + escape((String) e.getKey());
            out.put((String) e.getKey(), bm.containsKey(e.getKey())
                    ? overlay(base, bm.get(e.getKey()), over, e.getValue(), child, values, keys)
                    : over.copyLocations(e.getValue(), child, values, keys));
        }
        return out;
    }

    /** Copies the locations of {@code value} (at {@code pointer} in this document) and everything inside it. */
    private Object copyLocations(Object value, String pointer, Map<String, SourceLocation> values,
                                 Map<String, SourceLocation> keys) {
        copyLocation(pointer, values, keys);
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> copyLocations(v, pointer + "/" + escape((String) k), values, keys));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                copyLocations(list.get(i), pointer + "/" + i, values, keys);
            }
        }
        return value;
    }

    private void copyLocation(String pointer, Map<String, SourceLocation> values, Map<String, SourceLocation> keys) {
        SourceLocation value = valueLocations.get(pointer);
        if (value != null) {
            values.put(pointer, value);
        }
        SourceLocation key = keyLocations.get(pointer);
        if (key != null) {
            keys.put(pointer, key);
        }
    }

    private static ConfigProblem syntaxProblem(String source, MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        SourceLocation where = mark == null ? SourceLocation.of(source) : location(source, mark);
        String problem = e.getProblem() != null ? e.getProblem() : firstLine(e.getMessage());
        String context = e.getContext() != null ? e.getContext() + ": " : "";
        String code = problem.contains("duplicate key") ? "config.duplicate-key" : "config.yaml-syntax";
        return new ConfigProblem(code, where, "", "YAML " + (code.equals("config.duplicate-key") ? "" : "syntax error: ")
                + context + problem);
    }

    static SourceLocation location(String source, Mark mark) {
        return SourceLocation.at(source, mark.getLine() + 1L, mark.getColumn() + 1L);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid YAML";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Escapes one JSON-pointer reference token (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static final class Converter {
        private final String source;
        private final Map<String, SourceLocation> values;
        private final Map<String, SourceLocation> keys;
        private int nodes;

        Converter(String source, Map<String, SourceLocation> values, Map<String, SourceLocation> keys) {
            this.source = source;
            this.values = values;
            this.keys = keys;
        }

        Object convert(Node node, String pointer, int depth) {
            if (++nodes > MAX_NODES || depth > MAX_DEPTH) {
                throw ConfigException.single(new ConfigProblem("config.yaml-limit", location(source, node.getStartMark()),
                        pointer, "refused: the document expands to more than " + MAX_NODES
                        + " values or nests deeper than " + MAX_DEPTH + " (aliases?)"));
            }
            values.putIfAbsent(pointer, location(source, node.getStartMark()));
            return switch (node) {
                case MappingNode map -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    List<Node> merges = new ArrayList<>();
                    for (NodeTuple tuple : map.getValue()) {
                        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                            throw ConfigException.single(new ConfigProblem("config.yaml-syntax",
                                    location(source, tuple.getKeyNode().getStartMark()), pointer,
                                    "keys must be plain strings"));
                        }
                        if (Tag.MERGE.equals(key.getTag())) {
                            merges.add(tuple.getValueNode());
                            continue;
                        }
                        String child = pointer + "/" + escape(key.getValue());
                        if (out.containsKey(key.getValue())) {
                            throw ConfigException.single(new ConfigProblem("config.duplicate-key",
                                    location(source, key.getStartMark()), child,
                                    "duplicate key '" + key.getValue() + "'"));
                        }
                        keys.put(child, location(source, key.getStartMark()));
                        out.put(key.getValue(), convert(tuple.getValueNode(), child, depth + 1));
                    }
                    for (Node merge : merges) {
                        merge(out, merge, pointer, depth);
                    }
                    yield out;
                }
                case SequenceNode seq -> {
                    List<Object> out = new ArrayList<>(seq.getValue().size());
                    int i = 0;
                    for (Node item : seq.getValue()) {
                        out.add(convert(item, pointer + "/" + i++, depth + 1));
                    }
                    yield out;
                }
                case ScalarNode scalar -> scalar(scalar, pointer);
                default -> throw ConfigException.single(new ConfigProblem("config.yaml-syntax",
                        location(source, node.getStartMark()), pointer, "unsupported YAML node"));
            };
        }

        /** {@code <<: *base} (or a list of them): keys written in the mapping itself win, as YAML 1.1 says. */
        @SuppressWarnings("unchecked")
        private void merge(Map<String, Object> out, Node merge, String pointer, int depth) {
            List<Node> sources = merge instanceof SequenceNode seq ? seq.getValue() : List.of(merge);
            for (Node source : sources) {
                if (!(convert(source, pointer, depth + 1) instanceof Map<?, ?> merged)) {
                    throw ConfigException.single(new ConfigProblem("config.yaml-syntax",
                            location(this.source, source.getStartMark()), pointer, "'<<' merges only maps"));
                }
                ((Map<String, Object>) merged).forEach(out::putIfAbsent);
            }
        }

        /** Resolves a scalar by its YAML 1.1 core tag, as SnakeYAML's implicit resolver tagged it. */
        private Object scalar(ScalarNode scalar, String pointer) {
            Tag tag = scalar.getTag();
            String text = scalar.getValue();
            try {
                if (Tag.NULL.equals(tag)) {
                    return null;
                }
                if (Tag.BOOL.equals(tag)) {
                    return switch (text.toLowerCase(Locale.ROOT)) {
                        case "true", "yes", "on", "y" -> Boolean.TRUE;
                        default -> Boolean.FALSE;
                    };
                }
                if (Tag.INT.equals(tag)) {
                    return Long.decode(text.replace("_", "").replaceFirst("^0o", "0"));
                }
                if (Tag.FLOAT.equals(tag)) {
                    return Double.valueOf(text.replace("_", ""));
                }
            } catch (NumberFormatException e) {
                throw ConfigException.single(new ConfigProblem("config.wrong-type", location(source, scalar.getStartMark()),
                        pointer, "number out of range: " + text));
            }
            // Timestamps stay text: the schema checks their format and the loader parses them with java.time.
            if (Tag.STR.equals(tag) || Tag.TIMESTAMP.equals(tag)) {
                return text;
            }
            throw ConfigException.single(new ConfigProblem("config.yaml-syntax", location(source, scalar.getStartMark()),
                    pointer, "unsupported YAML tag " + tag.getValue()));
        }
    }
}
