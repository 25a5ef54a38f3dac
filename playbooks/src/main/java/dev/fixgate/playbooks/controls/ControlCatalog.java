package dev.fixgate.playbooks.controls;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The canonical control catalog ({@code controls/*.yaml} on the classpath, format in {@code controls/README.md}):
 * maps each tool's control id to fixgate's canonical control.
 *
 * <p>Lookups are case-insensitive (Security Hub writes {@code S3.8}, some exports {@code s3.8}) and cost one hash
 * lookup per tool and id, with no string built per call: parsers call this for every record. A canonical id is
 * accepted as it is, from any tool, so that a source may name fixgate's control directly. The catalog is checked
 * when loaded: unique canonical ids that fit the {@link ControlId} pattern, known severities, and each tool id
 * mapped to exactly one control.
 */
public final class ControlCatalog implements ControlResolver {

    /** The catalog files shipped with fixgate, in load order. */
    public static final List<String> BUILT_IN = List.of("controls/aws.yaml", "controls/azure.yaml", "controls/gcp.yaml",
            "controls/common.yaml");

    private static final Pattern TOOL = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Set<String> KEYS = Set.of("id", "title", "severity", "resource_types", "tools");

    private final Map<String, CanonicalControl> controls;
    private final Map<String, Map<String, ControlId>> byTool;

    private ControlCatalog(Map<String, CanonicalControl> controls, Map<String, Map<String, ControlId>> byTool) {
        this.controls = controls;
        this.byTool = byTool;
    }

    /** The catalog shipped with fixgate. */
    public static ControlCatalog builtIn() {
        List<Source> sources = new ArrayList<>();
        for (String name : BUILT_IN) {
            InputStream in = ControlCatalog.class.getClassLoader().getResourceAsStream(name);
            if (in == null) {
                throw new CatalogException("catalog file missing from the classpath", SourceLocation.of(name));
            }
            sources.add(new Source(name, in));
        }
        return load(sources);
    }

    /** A named catalog text, for {@link #load}. */
    public record Source(String name, InputStream in) {
    }

    /** Loads and checks the catalog from {@code sources}; closes them. */
    public static ControlCatalog load(Collection<Source> sources) {
        Map<String, CanonicalControl> controls = new LinkedHashMap<>();
        Map<String, Map<String, ControlId>> byTool = new HashMap<>();
        for (Source source : sources) {
            for (CanonicalControl control : read(source)) {
                String key = control.id().value();
                if (controls.putIfAbsent(key, control) != null) {
                    throw new CatalogException("canonical control " + key + " is defined twice (also in "
                            + controls.get(key).source() + ")", SourceLocation.of(source.name()));
                }
                for (var tool : control.toolIds().entrySet()) {
                    Map<String, ControlId> ids = byTool.computeIfAbsent(tool.getKey(), t -> new HashMap<>());
                    for (String toolId : tool.getValue()) {
                        String lower = toolId.toLowerCase(Locale.ROOT);
                        ControlId previous = ids.putIfAbsent(lower, control.id());
                        if (previous != null) {
                            throw new CatalogException(tool.getKey() + " id " + toolId + " maps to both " + previous
                                    + " and " + control.id() + "; a tool id must mean exactly one control",
                                    SourceLocation.of(source.name()));
                        }
                    }
                }
            }
        }
        return new ControlCatalog(Map.copyOf(controls), Map.copyOf(byTool));
    }

    @Override
    public ControlId resolve(String tool, String toolControlId) {
        Map<String, ControlId> ids = byTool.get(tool);
        if (ids != null) {
            ControlId id = ids.get(toolControlId);
            if (id == null) {
                id = ids.get(toolControlId.toLowerCase(Locale.ROOT));
            }
            if (id != null) {
                return id;
            }
        }
        CanonicalControl direct = controls.get(toolControlId);
        return direct != null ? direct.id() : ControlId.unmapped(tool, toolControlId);
    }

    /** The control with canonical id {@code id}. */
    public Optional<CanonicalControl> control(String id) {
        return Optional.ofNullable(controls.get(id));
    }

    /** Every control, in catalog order. */
    public Collection<CanonicalControl> controls() {
        return controls.values();
    }

    /** Tool name → number of tool ids the catalog maps for it. */
    public Map<String, Integer> toolIdCounts() {
        Map<String, Integer> counts = new HashMap<>();
        byTool.forEach((tool, ids) -> counts.put(tool, ids.size()));
        return counts;
    }

    private static List<CanonicalControl> read(Source source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Object root;
        try (Reader reader = new InputStreamReader(source.in(), StandardCharsets.UTF_8)) {
            root = yaml.load(reader);
        } catch (IOException | YAMLException e) {
            throw new CatalogException("not readable YAML: " + e.getMessage(), SourceLocation.of(source.name()), e);
        }
        if (!(root instanceof Map<?, ?> top) || !(top.get("controls") instanceof List<?> list)) {
            throw new CatalogException("expected a mapping with a 'controls' list", SourceLocation.of(source.name()));
        }
        List<CanonicalControl> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            SourceLocation where = new SourceLocation(source.name(), 0, 0, "/controls/" + i);
            out.add(control(list.get(i), source.name(), where));
        }
        return out;
    }

    private static CanonicalControl control(Object entry, String file, SourceLocation where) {
        if (!(entry instanceof Map<?, ?> m)) {
            throw new CatalogException("a control must be a mapping", where);
        }
        for (Object key : m.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new CatalogException("unknown key '" + key + "'; known: " + KEYS, where);
            }
        }
        String id = string(m, "id", where);
        ControlId controlId;
        try {
            controlId = ControlId.canonical(id);
        } catch (IllegalArgumentException e) {
            throw new CatalogException(e.getMessage(), where, e);
        }
        if (!controlId.isMapped()) {
            throw new CatalogException("a catalog id cannot be unmapped: " + id, where);
        }
        Severity severity = Severity.parse(string(m, "severity", where))
                .orElseThrow(() -> new CatalogException("unknown severity for " + id, where));
        Map<String, List<String>> tools = new LinkedHashMap<>();
        if (!(m.get("tools") instanceof Map<?, ?> t) || t.isEmpty()) {
            throw new CatalogException(id + " lists no tool ids", where);
        }
        for (var e : t.entrySet()) {
            String tool = String.valueOf(e.getKey());
            if (!TOOL.matcher(tool).matches()) {
                throw new CatalogException("tool names are lower case: '" + tool + "' in " + id, where);
            }
            tools.put(tool, strings(e.getValue(), id + " tools." + tool, where));
        }
        return new CanonicalControl(controlId, string(m, "title", where), severity,
                strings(m.get("resource_types"), id + " resource_types", where), tools, file);
    }

    private static String string(Map<?, ?> m, String key, SourceLocation where) {
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new CatalogException("'" + key + "' must be a non-empty string", where);
        }
        return s;
    }

    private static List<String> strings(Object value, String what, SourceLocation where) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new CatalogException(what + " must be a list", where);
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            // YAML reads 1.10 or 2.1 as numbers; catalog ids are text, so quote-free numbers are refused.
            if (!(o instanceof String s) || s.isBlank()) {
                throw new CatalogException(what + " must list non-empty strings (quote ids YAML reads as numbers): "
                        + o, where);
            }
            out.add(s.strip());
        }
        return out;
    }
}
