package dev.fixgate.app.report;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * NIST's OSCAL assessment-results JSON Schema (OSCAL 1.0.6, public domain; vendored in
 * {@code docs/schema/oscal/} with its licence), with format assertions on ({@code date-time}, {@code uri-reference}),
 * plus what a JSON Schema cannot say: every UUID reference ({@code subject-uuid}, {@code observation-uuid},
 * {@code risk-uuid}, {@code actor-uuid}, {@code component-uuid}, {@code party-uuid}, an {@code #uuid} href) names
 * something the document defines. {@code fixgate report --format oscal} checks every document before writing it.
 */
public final class OscalSchema {

    public static final String RESOURCE = "/schema/oscal/oscal_assessment-results_schema.json";

    private static final Schema SCHEMA = load();

    private OscalSchema() {
    }

    /** Every violation, as {@code <instance location>: <message>}; empty when the document is valid. */
    public static List<String> problems(String json) {
        List<String> out = new java.util.ArrayList<>(SCHEMA.validate(json, InputFormat.JSON).stream()
                .map(OscalSchema::describe).toList());
        out.addAll(danglingReferences(json));
        return out;
    }

    /** References to UUIDs the document does not define. */
    static List<String> danglingReferences(String json) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = dev.fixgate.app.json.Json.mapper().readTree(json);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        java.util.Set<String> defined = new java.util.HashSet<>(root.findValuesAsText("uuid"));
        List<String> out = new java.util.ArrayList<>();
        for (String key : List.of("subject-uuid", "observation-uuid", "risk-uuid", "actor-uuid", "component-uuid",
                "party-uuid")) {
            for (String ref : root.findValuesAsText(key)) {
                if (!defined.contains(ref)) {
                    out.add(key + " " + ref + " is not defined in the document");
                }
            }
        }
        for (String href : root.findValuesAsText("href")) {
            if (href.startsWith("#") && !defined.contains(href.substring(1))) {
                out.add("href " + href + " is not defined in the document");
            }
        }
        return out;
    }

    private static String describe(Error e) {
        return e.getInstanceLocation() + ": " + e.getMessage();
    }

    private static Schema load() {
        try (InputStream in = OscalSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OSCAL schema is missing from the classpath: " + RESOURCE);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                    b -> b.schemaRegistryConfig(config));
            return registry.getSchema(text, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
