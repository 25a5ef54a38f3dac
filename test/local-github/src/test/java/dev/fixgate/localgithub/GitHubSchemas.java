package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.fail;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub's own descriptions, loaded once per JVM: the REST API's OpenAPI 3.0 document ({@code @octokit/openapi}
 * 23.0.2, {@code generated/api.github.com.json}) and the webhook payload schemas ({@code @octokit/webhooks-schemas}
 * 7.6.1, {@code schema.json}), both installed by {@code scripts/validators/install.sh} into {@code <repo>/.validators}.
 *
 * <p>Validation uses networknt json-schema-validator: for a REST response, the operation's response schema for that
 * status (following {@code components/responses} references) is wrapped in a document that also carries the
 * description's {@code components}, so its {@code $ref}s resolve in place; the OpenAPI 3.0 dialect understands
 * {@code nullable}. For a webhook, the {@code <event>$<action>} definition is picked directly (draft-07), not the
 * top-level {@code oneOf}, so an error names the exact field. Compiled schemas are cached per operation.
 *
 * <p>Without the files the tests skip schema assertions and say so, unless {@code FIXGATE_REQUIRE_VALIDATORS=1}
 * (CI), where their absence fails.
 */
final class GitHubSchemas {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static volatile GitHubSchemas instance;

    private final JsonNode openapi;
    private final JsonNode webhookDefinitions;
    private final SchemaRegistry openapiRegistry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
    private final SchemaRegistry draft7 = SchemaRegistry.withDefaultDialect(Dialects.getDraft7());
    private final Map<String, Optional<Schema>> cache = new ConcurrentHashMap<>();

    private GitHubSchemas(JsonNode openapi, JsonNode webhookDefinitions) {
        this.openapi = openapi;
        this.webhookDefinitions = webhookDefinitions;
    }

    static Path validatorsDir() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(".validators"))) {
                return p.resolve(".validators");
            }
            if (Files.isRegularFile(p.resolve("mvn21"))) {
                return p.resolve(".validators");
            }
        }
        return here.resolve(".validators");
    }

    static Path openapiFile() {
        return validatorsDir().resolve("node_modules/@octokit/openapi/generated/api.github.com.json");
    }

    static Path webhooksFile() {
        return validatorsDir().resolve("node_modules/@octokit/webhooks-schemas/schema.json");
    }

    static boolean required() {
        return "1".equals(System.getenv("FIXGATE_REQUIRE_VALIDATORS"));
    }

    /** The schemas, or empty when not installed (and not required). */
    static Optional<GitHubSchemas> load() {
        boolean present = Files.isRegularFile(openapiFile()) && Files.isRegularFile(webhooksFile());
        if (!present) {
            if (required()) {
                fail("FIXGATE_REQUIRE_VALIDATORS=1 but GitHub's schemas are not in " + validatorsDir()
                        + "; run: bash scripts/validators/install.sh");
            }
            return Optional.empty();
        }
        if (instance == null) {
            synchronized (GitHubSchemas.class) {
                if (instance == null) {
                    try {
                        JsonNode api = MAPPER.readTree(openapiFile().toFile());
                        JsonNode hooks = MAPPER.readTree(webhooksFile().toFile()).get("definitions");
                        instance = new GitHubSchemas(api, hooks);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException("cannot read GitHub's schemas from " + validatorsDir(), e);
                    }
                }
            }
        }
        return Optional.of(instance);
    }

    static String skipMessage() {
        return "GitHub's OpenAPI description and webhook schemas are not installed in " + validatorsDir()
                + " (bash scripts/validators/install.sh); schema assertions skipped";
    }

    /** The problems of a REST response body against the operation's documented response; empty when valid. */
    List<String> validateResponse(String method, String template, int status, String body) {
        String key = method + " " + template + " " + status;
        JsonNode op = openapi.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        if (op.isMissingNode()) {
            return List.of(key + ": no such operation in GitHub's OpenAPI description");
        }
        JsonNode response = op.path("responses").path(String.valueOf(status));
        if (response.isMissingNode() && status >= 400 && status < 500) {
            // The description leaves out the errors every operation can answer (401 bad credentials, 403 for an
            // integration without access...); their body is GitHub's basic-error.
            response = openapi.at("/components/responses/not_found");
        }
        if (response.isMissingNode()) {
            return List.of(key + ": status " + status + " is not documented for this operation (documented: "
                    + op.path("responses").propertyNames() + ")");
        }
        response = deref(response);
        JsonNode documented = response.path("content").path("application/json").path("schema");
        // Some errors are described only in words ("404 if user has no team membership", "422 if user is not a
        // collaborator"); GitHub still answers them with its basic-error body, so that is what the body must be.
        JsonNode schemaNode = documented.isMissingNode() && status >= 400 && status < 500 && body != null
                && !body.isBlank() ? MAPPER.createObjectNode().put("$ref", "#/components/schemas/basic-error") : documented;
        if (schemaNode.isMissingNode()) {
            return body == null || body.isBlank() ? List.of()
                    : List.of(key + ": a body was sent where GitHub documents none");
        }
        if (body == null) {
            return List.of(key + ": no body where GitHub documents one");
        }
        Schema schema = cache.computeIfAbsent(key, k -> {
            ObjectNode doc = ((ObjectNode) schemaNode).deepCopy();
            doc.set("components", openapi.get("components"));
            return Optional.of(openapiRegistry.getSchema(SchemaLocation.of("https://local-github.test/openapi/"
                    + cache.size()), doc));
        }).orElseThrow();
        return errors(key, schema, body);
    }

    /** The problems of a webhook payload against {@code <event>$<action>} (or {@code <event>$event}). */
    List<String> validateWebhook(String event, Optional<String> action, String payload) {
        String def = event + "$" + action.orElse("event");
        if (!webhookDefinitions.has(def)) {
            return List.of(def + ": no such webhook definition in @octokit/webhooks-schemas");
        }
        Schema schema = cache.computeIfAbsent("webhook " + def, k -> {
            ObjectNode doc = MAPPER.createObjectNode();
            doc.put("$schema", "http://json-schema.org/draft-07/schema#");
            doc.put("$ref", "#/definitions/" + def);
            doc.set("definitions", webhookDefinitions);
            return Optional.of(draft7.getSchema(SchemaLocation.of("https://local-github.test/webhooks/" + cache.size()),
                    doc));
        }).orElseThrow();
        return errors(def, schema, payload);
    }

    private JsonNode deref(JsonNode n) {
        JsonNode cur = n;
        while (cur.has("$ref")) {
            String ref = cur.get("$ref").asString();
            cur = openapi.at(ref.substring(1));
        }
        return cur;
    }

    private static List<String> errors(String key, Schema schema, String body) {
        List<String> out = new ArrayList<>();
        JsonNode instance;
        try {
            instance = MAPPER.readTree(body);
        } catch (RuntimeException e) {
            return List.of(key + ": body is not JSON: " + e.getMessage());
        }
        for (Error e : schema.validate(instance)) {
            out.add(key + ": " + e.getInstanceLocation() + " " + e.getMessage());
        }
        return out;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
