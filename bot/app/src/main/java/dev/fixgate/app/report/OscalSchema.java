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
 * {@code docs/schema/oscal/} with its licence), with format assertions on ({@code date-time}, {@code uri-reference}):
 * {@code fixgate report --format oscal} checks every document against it before writing it.
 */
public final class OscalSchema {

    public static final String RESOURCE = "/schema/oscal/oscal_assessment-results_schema.json";

    private static final Schema SCHEMA = load();

    private OscalSchema() {
    }

    /** Every violation, as {@code <instance location>: <message>}; empty when the document is valid. */
    public static List<String> problems(String json) {
        return SCHEMA.validate(json, InputFormat.JSON).stream().map(OscalSchema::describe).toList();
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
