package dev.fixgate.playbooks;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one {@code playbook.yaml}: YAML with limits (no duplicate keys, no alias bombs), validated against the
 * published schema, then turned into a {@link Playbook}. Every problem names the file and the JSON pointer.
 */
public final class PlaybookLoader {

    static final String SCHEMA = "/dev/fixgate/playbooks/playbook.schema.json";
    /** The compiled schema, on first use: the built-in catalog, checked at build time, is read without it. */
    private static final class Compiled {
        static final JsonMapper JSON = JsonMapper.builder().build();
        static final Schema SCHEMA = compileSchema();
    }

    private PlaybookLoader() {
    }

    private static Schema compileSchema() {
        try (InputStream in = PlaybookLoader.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("playbook schema missing from the classpath: " + SCHEMA);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses and validates a playbook.
     *
     * @param file       its path, for messages ({@code catalog/aws/s3_bucket_versioning/playbook.yaml})
     * @param folderName the folder it sits in, which must equal its id
     */
    public static Playbook load(String file, String folderName, String text) {
        return load(file, folderName, text, true);
    }

    /**
     * As {@link #load(String, String, String)}; without {@code schema} the schema is not applied — only for the
     * built-in catalog, which {@code CatalogContractTest} validates (schema included) when fixgate is built. The
     * YAML limits, the id/folder match and the structural checks of {@link #build} still apply.
     */
    static Playbook load(String file, String folderName, String text, boolean schema) {
        Map<String, Object> raw = yaml(file, text);
        if (schema) {
            validate(file, raw);
        }
        Object id = raw.get("id");
        if (!folderName.equals(id)) {
            throw new PlaybookException("playbook.id-mismatch", "/id: '" + id + "' must equal its folder name '"
                    + folderName + "'", SourceLocation.of(file));
        }
        return build(file, raw);
    }

    private static void validate(String file, Map<String, Object> raw) {
        List<String> problems = new ArrayList<>();
        for (Error e : Compiled.SCHEMA.validate(Compiled.JSON.valueToTree(raw))) {
            String pointer = String.valueOf(e.getInstanceLocation()).replaceFirst("^\\$", "");
            problems.add((pointer.isEmpty() ? "/" : pointer) + ": " + e.getMessage().replaceFirst("^\\$[^:]*: ", ""));
        }
        if (!problems.isEmpty()) {
            throw new PlaybookException("playbook.schema", "playbook does not match the schema: "
                    + String.join("; ", problems), SourceLocation.of(file));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(String file, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(1 << 20);
        try {
            Object o = new Yaml(new SafeConstructor(options)).load(text);
            if (!(o instanceof Map<?, ?> m)) {
                throw new PlaybookException("playbook.not-a-mapping", "a playbook is a YAML mapping",
                        SourceLocation.at(file, 1));
            }
            return (Map<String, Object>) m;
        } catch (MarkedYAMLException e) {
            long line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new PlaybookException("playbook.yaml", "not valid YAML: " + e.getProblem(),
                    SourceLocation.at(file, line), e);
        } catch (YAMLException e) {
            throw new PlaybookException("playbook.yaml", "not valid YAML: " + e.getMessage(), SourceLocation.of(file), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Playbook build(String file, Map<String, Object> raw) {
        Map<String, List<String>> resourceTypes = strings((Map<String, Object>) raw.get("resource_types"));
        Map<String, String> detect = new LinkedHashMap<>();
        ((Map<String, Object>) raw.get("detect")).forEach((k, v) -> detect.put(k, (String) v));
        Map<String, List<Playbook.FixStep>> fix = new LinkedHashMap<>();
        ((Map<String, Object>) raw.get("fix")).forEach((format, steps) -> {
            List<Playbook.FixStep> list = new ArrayList<>();
            for (Object s : (List<Object>) steps) {
                Map<String, Object> step = (Map<String, Object>) s;
                list.add(new Playbook.FixStep((String) step.get("op"),
                        (Map<String, Object>) step.getOrDefault("params", Map.of())));
            }
            fix.put(format, List.copyOf(list));
        });
        List<String> formats = new ArrayList<>(resourceTypes.keySet());
        for (String f : formats) {
            if (!detect.containsKey(f) || !fix.containsKey(f)) {
                throw new PlaybookException("playbook.format-incomplete", "/resource_types/" + f
                        + ": a format with resource types needs both detect." + f + " and fix." + f, SourceLocation.of(file));
            }
        }
        for (String f : detect.keySet()) {
            if (!resourceTypes.containsKey(f)) {
                throw new PlaybookException("playbook.format-incomplete", "/detect/" + f
                        + ": no resource_types." + f + " to apply it to", SourceLocation.of(file));
            }
        }
        fix.forEach((f, steps) -> {
            for (int i = 0; i < steps.size(); i++) {
                if (!steps.get(i).op().startsWith(f + ".")) {
                    throw new PlaybookException("playbook.op-format", "/fix/" + f + "/" + i + "/op: '"
                            + steps.get(i).op() + "' is not a " + f + " operation", SourceLocation.of(file));
                }
            }
        });
        List<ControlId> controls = new ArrayList<>();
        List<Object> rawControls = (List<Object>) raw.get("controls");
        for (int i = 0; i < rawControls.size(); i++) {
            try {
                controls.add(ControlId.canonical((String) rawControls.get(i)));
            } catch (IllegalArgumentException e) {
                throw new PlaybookException("playbook.control", "/controls/" + i + ": " + e.getMessage(),
                        SourceLocation.of(file), e);
            }
        }
        Map<String, Object> risk = (Map<String, Object>) raw.get("risk");
        List<Playbook.EvidenceRule> rules = new ArrayList<>();
        for (Object r : (List<Object>) risk.getOrDefault("evidence", List.of())) {
            Map<String, Object> rule = (Map<String, Object>) r;
            rules.add(new Playbook.EvidenceRule((String) rule.get("kind"), (String) rule.get("when"),
                    RciLevel.valueOf((String) rule.get("level")), (String) rule.get("reason")));
        }
        List<Playbook.VerifyRule> verify = new ArrayList<>();
        for (Object v : (List<Object>) raw.getOrDefault("verify", List.of())) {
            Map<String, Object> rule = (Map<String, Object>) v;
            verify.add(new Playbook.VerifyRule((String) rule.get("kind"), (String) rule.get("when"),
                    (String) rule.get("reason")));
        }
        Map<String, Object> rollback = (Map<String, Object>) raw.get("rollback");
        List<Playbook.Param> params = params((Map<String, Object>) raw.getOrDefault("params", Map.of()));
        Map<String, Object> guardrail = (Map<String, Object>) raw.get("guardrail");
        return new Playbook((String) raw.get("id"), (String) raw.get("title"),
                Cloud.valueOf(((String) raw.get("cloud")).toUpperCase(Locale.ROOT)),
                Severity.valueOf(((String) raw.get("severity")).toUpperCase(Locale.ROOT)),
                (String) raw.getOrDefault("description", ""), formats, resourceTypes, controls,
                strings((Map<String, Object>) raw.get("tool_ids")), strings((Map<String, Object>) raw.get("compliance")),
                detect, fix,
                new Playbook.Risk(RciLevel.valueOf((String) risk.get("default")), (List<String>) risk.get("actions"),
                        Boolean.TRUE.equals(risk.get("safe_for_production")), rules),
                (String) raw.get("blast_radius"),
                new Playbook.RollbackSpec((String) rollback.get("how"), Boolean.TRUE.equals(rollback.get("forces_replacement")),
                        Boolean.TRUE.equals(rollback.get("data_loss"))),
                new Playbook.Guardrails((String) guardrail.get("description"),
                        Optional.ofNullable((Map<String, Object>) guardrail.get("aws_scp")),
                        Optional.ofNullable((Map<String, Object>) guardrail.get("azure_policy")),
                        Optional.ofNullable((Map<String, Object>) guardrail.get("gcp_org_policy"))),
                defaults(params), params,
                Optional.ofNullable((String) raw.get("variant_of")), file.replaceFirst("/playbook\\.yaml$", ""),
                verify);
    }

    /**
     * A manifest's {@code params}: each either declared ({@code {type, description, default, example}}) or, in the
     * older short form, just its default (then undescribed, its type read from the value, its default its example).
     */
    @SuppressWarnings("unchecked")
    static List<Playbook.Param> params(Map<String, Object> raw) {
        List<Playbook.Param> out = new ArrayList<>();
        raw.forEach((name, v) -> {
            if (v instanceof Map<?, ?> m && m.containsKey("default") && m.containsKey("description")) {
                Map<String, Object> d = (Map<String, Object>) m;
                Object dflt = d.get("default");
                out.add(new Playbook.Param(name, String.valueOf(d.getOrDefault("type", typeOf(dflt))),
                        String.valueOf(d.get("description")), dflt, d.getOrDefault("example", dflt)));
            } else {
                out.add(new Playbook.Param(name, typeOf(v), "", v, v));
            }
        });
        return out;
    }

    private static String typeOf(Object v) {
        return v instanceof Boolean ? "boolean" : v instanceof Integer || v instanceof Long ? "integer"
                : v instanceof List<?> ? "list" : v instanceof Map<?, ?> m && m.containsKey("expr") ? "tf_value"
                : v instanceof Map<?, ?> ? "map" : "string";
    }

    private static Map<String, Object> defaults(List<Playbook.Param> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach(p -> out.put(p.name(), p.defaultValue()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> strings(Map<String, Object> raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw != null) {
            raw.forEach((k, v) -> out.put(k, List.copyOf((List<String>) v)));
        }
        return out;
    }
}
