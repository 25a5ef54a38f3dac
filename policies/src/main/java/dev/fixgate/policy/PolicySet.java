package dev.fixgate.policy;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gate policies as data: the built-ins shipped in {@code policies/builtin/*.yaml} plus any user policy files,
 * all in the format of {@code docs/schema/policy.schema.json}. Every file is validated against the schema and
 * every condition is compiled when the set is loaded, so a broken policy stops the service at start-up
 * instead of silently not applying. Ids are unique across the set: a user policy cannot replace a built-in.
 */
public final class PolicySet {

    /** The built-in policy files, in evaluation order. */
    static final List<String> BUILTIN_FILES = List.of("rci.yaml", "patch.yaml", "exclusion.yaml", "calendar.yaml",
            "blast-radius.yaml", "human-actions.yaml", "production.yaml");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Schema SCHEMA = loadSchema();

    private final List<Policy> policies;

    private PolicySet(List<Policy> policies) {
        this.policies = List.copyOf(policies);
        Set<String> ids = new HashSet<>();
        for (Policy p : this.policies) {
            if (!ids.add(p.id())) {
                throw new PolicyException("policy.duplicate-id", p.source() + ": policy id '" + p.id()
                        + "' is already defined; policies only add restrictions, so a built-in cannot be replaced");
            }
        }
    }

    public static PolicySet builtIn() {
        List<Policy> all = new ArrayList<>();
        for (String file : BUILTIN_FILES) {
            String resource = "/policies/builtin/" + file;
            try (InputStream in = PolicySet.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("built-in policy file missing from the classpath: " + resource);
                }
                all.addAll(parse("builtin:" + file, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new PolicySet(all);
    }

    /** The built-ins plus every {@code *.yaml} / {@code *.yml} file in {@code directories}, in name order. */
    public static PolicySet builtInPlus(List<Path> directories) {
        List<Policy> all = new ArrayList<>(builtIn().policies);
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                throw new PolicyException("policy.not-found", dir + ": not a directory of policy files");
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted().toList()) {
                    all.addAll(parse(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
                }
            } catch (IOException e) {
                throw new PolicyException("policy.unreadable", dir + ": " + e.getMessage(), e);
            }
        }
        return new PolicySet(all);
    }

    /** A set of exactly these policies (tests, replays). */
    public static PolicySet of(List<Policy> policies) {
        return new PolicySet(policies);
    }

    /** This set with {@code more} added. */
    public PolicySet plus(List<Policy> more) {
        List<Policy> all = new ArrayList<>(policies);
        all.addAll(more);
        return new PolicySet(all);
    }

    public List<Policy> policies() {
        return policies;
    }

    /**
     * Reads one policy file's text.
     *
     * @throws PolicyException {@code policy.invalid} listing every schema problem, or {@code policy.invalid-condition}
     */
    @SuppressWarnings("unchecked")
    public static List<Policy> parse(String source, String yamlText) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(1 << 20);
        options.setAllowDuplicateKeys(false);
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(options)).load(yamlText);
        } catch (RuntimeException e) {
            throw new PolicyException("policy.invalid", source + ": not valid YAML: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        for (Error error : SCHEMA.validate(JSON.valueToTree(doc))) {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new PolicyException("policy.invalid", source + ": " + String.join("; ", problems));
        }
        List<Policy> out = new ArrayList<>();
        Cel cel = Cel.over("input");
        for (Object item : (List<Object>) ((Map<String, Object>) doc).get("policies")) {
            Map<String, Object> p = (Map<String, Object>) item;
            String id = (String) p.get("id");
            String condition = (String) p.get("condition");
            try {
                cel.compile(condition);
            } catch (PolicyException e) {
                throw new PolicyException("policy.invalid-condition", source + ": policy '" + id + "': " + e.getMessage(), e);
            }
            out.add(new Policy(id, (String) p.get("description"), condition, Policy.Effect.of((String) p.get("effect")),
                    (String) p.get("message"), Policy.OnDeny.of((String) p.getOrDefault("on_deny", "route_to_owner")),
                    source));
        }
        return out;
    }

    private static Schema loadSchema() {
        try (InputStream in = PolicySet.class.getResourceAsStream("/schema/policy.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("schema/policy.schema.json is missing from the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
