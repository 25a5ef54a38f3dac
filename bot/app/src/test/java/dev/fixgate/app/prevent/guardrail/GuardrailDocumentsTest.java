package dev.fixgate.app.prevent.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.playbooks.PlaybookCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Azure and GCP guardrails as delivered, checked by means other than the code that wrote them: every Azure
 * policy rule against Microsoft's published policy definition schema (vendored in
 * {@code src/test/resources/guardrails/azure}) and the definitions and assignments against the limits Azure Policy
 * documents; every GCP built-in constraint against Google's published list (vendored in
 * {@code src/test/resources/guardrails/gcp}), every custom constraint's condition compiled as CEL.
 */
class GuardrailDocumentsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final GuardrailRenderer RENDERER = new GuardrailRenderer(PlaybookCatalog.builtIn());
    private static final String AZURE_SCHEMAS = "https://schema.management.azure.com/schemas/";
    private static final Pattern PARAMETER_USE = Pattern.compile("\\[parameters\\('([^']+)'\\)\\]");

    private static String resource(String name) throws IOException {
        try (InputStream in = GuardrailDocumentsTest.class.getResourceAsStream("/guardrails/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Schema policyRuleSchema() throws IOException {
        Map<String, String> schemas = Map.of(
                AZURE_SCHEMAS + "2020-10-01/policyDefinition.json", resource("azure/policyDefinition.json"),
                AZURE_SCHEMAS + "common/definitions.json", resource("azure/common-definitions.json"));
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4, b -> b.schemas(schemas));
        return registry.getSchema(SchemaLocation.of(AZURE_SCHEMAS + "2020-10-01/policyDefinition.json"));
    }

    @Test
    void everyAzurePolicyRuleFitsTheSchemaAndEveryAssignmentItsDefinition() throws Exception {
        Schema schema = policyRuleSchema();
        List<String> problems = new ArrayList<>();
        int definitions = 0;
        int assignments = 0;
        for (GuardrailTarget target : List.of(GuardrailTarget.parse("/providers/Microsoft.Management/managementGroups/platform"),
                GuardrailTarget.parse("/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"))) {
            for (RepoConfig.Mode mode : RepoConfig.Mode.values()) {
                RenderedGuardrails r = RENDERER.renderAll(target, GuardrailOptions.defaults().withMode(mode)
                        .withFormat(GuardrailFormat.JSON));
                for (String playbook : r.playbooks()) {
                    String where = r.directory() + "/" + playbook + " (" + mode + ")";
                    JsonNode assignment = JSON.readTree(r.files().get(playbook + ".assignment.json"));
                    assignments++;
                    Set<String> declared = new HashSet<>();
                    JsonNode declaredParameters = null;
                    String definitionFile = r.files().get(playbook + ".definition.json");
                    if (definitionFile != null) {
                        definitions++;
                        JsonNode def = JSON.readTree(definitionFile);
                        JsonNode rule = def.at("/properties/policyRule");
                        for (Error e : schema.validate(rule)) {
                            problems.add(where + ": policyRule" + e.getInstanceLocation() + ": " + e.getMessage());
                        }
                        checkDefinition(where, def, problems);
                        declaredParameters = def.at("/properties/parameters");
                        declaredParameters.propertyNames().forEach(declared::add);
                        Matcher m = PARAMETER_USE.matcher(rule.toString());
                        while (m.find()) {
                            if (!declared.contains(m.group(1))) {
                                problems.add(where + ": the rule uses parameter " + m.group(1) + ", which is not declared");
                            }
                        }
                        if (!assignment.at("/properties/policyDefinitionId").asText().equals(target.id()
                                + "/providers/Microsoft.Authorization/policyDefinitions/" + def.path("name").asText())) {
                            problems.add(where + ": the assignment does not refer to the definition at the target");
                        }
                    } else if (!assignment.at("/properties/policyDefinitionId").asText()
                            .matches("/providers/Microsoft\\.Authorization/policyDefinitions/[0-9a-z-]{36}")) {
                        problems.add(where + ": a built-in definition id is /providers/Microsoft.Authorization/"
                                + "policyDefinitions/<36-character name>");
                    }
                    checkAssignment(where, target, assignment, declaredParameters, problems);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(definitions).isEqualTo(2 * 4 * 2);
        assertThat(assignments).isEqualTo(2 * 4 * 10);
    }

    /** The rule must also be rejected when it is wrong: the schema is really being applied. */
    @Test
    void theSchemaRejectsABrokenRule() throws Exception {
        Schema schema = policyRuleSchema();
        assertThat(schema.validate(JSON.readTree("{\"if\":{\"field\":\"type\",\"equals\":\"x\"},\"then\":{\"effect\":\"block\"}}")))
                .isNotEmpty();
        assertThat(schema.validate(JSON.readTree("{\"if\":{\"field\":\"type\",\"equalz\":\"x\"},\"then\":{\"effect\":\"deny\"}}")))
                .isNotEmpty();
        assertThat(schema.validate(JSON.readTree(
                "{\"if\":{\"field\":\"type\",\"equals\":\"x\"},\"then\":{\"effect\":\"[parameters('effect')]\"}}"))).isEmpty();
    }

    /** Azure Policy's documented limits: names, display names and descriptions, modes and parameter types. */
    private static void checkDefinition(String where, JsonNode def, List<String> problems) {
        String name = def.path("name").asText();
        if (name.length() > 64 || !name.matches("[^<>*%&:\\\\?.+/]+")) {
            problems.add(where + ": definition name '" + name + "' (at most 64 characters, none of <>*%&:\\?.+/)");
        }
        JsonNode p = def.path("properties");
        if (p.path("displayName").asText().length() > 128) {
            problems.add(where + ": displayName over 128 characters");
        }
        if (p.path("description").asText().length() > 512) {
            problems.add(where + ": description over 512 characters");
        }
        if (!Set.of("All", "Indexed").contains(p.path("mode").asText())) {
            problems.add(where + ": mode " + p.path("mode").asText());
        }
        if (!p.path("policyType").asText().equals("Custom")) {
            problems.add(where + ": policyType must be Custom");
        }
        for (var e : p.path("parameters").properties()) {
            JsonNode param = e.getValue();
            if (!Set.of("String", "Array", "Object", "Boolean", "Integer", "Float", "DateTime")
                    .contains(param.path("type").asText())) {
                problems.add(where + ": parameter " + e.getKey() + " has type " + param.path("type").asText());
            }
            if (param.has("allowedValues") && param.has("defaultValue")
                    && !param.path("allowedValues").toString().contains("\"" + param.path("defaultValue").asText() + "\"")) {
                problems.add(where + ": parameter " + e.getKey() + "'s default is not an allowed value");
            }
        }
    }

    private static void checkAssignment(String where, GuardrailTarget target, JsonNode a, JsonNode declared,
                                        List<String> problems) {
        int max = target.kind() == GuardrailTarget.Kind.AZURE_MANAGEMENT_GROUP ? 24 : 64;
        if (a.path("name").asText().length() > max) {
            problems.add(where + ": assignment names at this scope are at most " + max + " characters");
        }
        JsonNode p = a.path("properties");
        if (!p.path("scope").asText().equals(target.id())) {
            problems.add(where + ": scope " + p.path("scope").asText());
        }
        if (p.path("description").asText().length() > 512) {
            problems.add(where + ": description over 512 characters");
        }
        if (!Set.of("Default", "DoNotEnforce").contains(p.path("enforcementMode").asText())) {
            problems.add(where + ": enforcementMode " + p.path("enforcementMode").asText());
        }
        String effect = p.at("/parameters/effect/value").asText();
        if (!Set.of("Deny", "Audit", "AuditIfNotExists", "DeployIfNotExists", "Disabled", "Modify", "Append").contains(effect)) {
            problems.add(where + ": effect " + effect);
        }
        if (declared != null) {
            for (var e : p.path("parameters").properties()) {
                JsonNode d = declared.path(e.getKey());
                if (d.isMissingNode()) {
                    problems.add(where + ": assigns undeclared parameter " + e.getKey());
                } else if (d.has("allowedValues") && !d.path("allowedValues").toString()
                        .contains("\"" + e.getValue().path("value").asText() + "\"")) {
                    problems.add(where + ": " + e.getKey() + " = " + e.getValue().path("value") + " is not allowed");
                }
            }
        }
    }

    @Test
    void everyGcpConstraintIsOnGooglesListOrAValidCustomConstraint() throws Exception {
        Set<String> published = new HashSet<>();
        resource("gcp/org-policy-constraints.txt").lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(published::add);
        CelCompiler cel = CelCompilerFactory.standardCelCompilerBuilder().addVar("resource", SimpleType.DYN).build();
        List<String> problems = new ArrayList<>();
        int policies = 0;
        for (GuardrailTarget target : List.of(GuardrailTarget.parse("organizations/123456789012"),
                GuardrailTarget.parse("folders/4567"), GuardrailTarget.parse("projects/acme-prod"))) {
            RenderedGuardrails r = RENDERER.renderAll(target, new GuardrailOptions(GuardrailFormat.JSON,
                    RepoConfig.Mode.AUTONOMOUS, Map.of("customer-id", "C01abcd23", "organization-id", "123456789012"), 4));
            for (String playbook : r.playbooks()) {
                policies++;
                JsonNode policy = JSON.readTree(r.files().get(playbook + ".policy.json"));
                String name = policy.path("name").asText();
                String constraint = name.substring(name.indexOf("/policies/") + "/policies/".length());
                if (!name.startsWith(target.id() + "/policies/")) {
                    problems.add(playbook + ": policy name " + name + " is not under " + target.id());
                }
                String customFile = r.files().get(playbook + ".constraint.json");
                if (customFile == null) {
                    if (!published.contains("constraints/" + constraint)) {
                        problems.add(playbook + ": constraints/" + constraint + " is not on Google's list");
                    }
                    continue;
                }
                JsonNode c = JSON.readTree(customFile);
                if (!c.path("name").asText().equals("organizations/123456789012/customConstraints/" + constraint)
                        || !constraint.matches("custom\\.[A-Za-z0-9]{1,70}")) {
                    problems.add(playbook + ": custom constraint " + c.path("name").asText());
                }
                c.path("resourceTypes").forEach(t -> {
                    if (!t.asText().matches("[a-z0-9]+\\.googleapis\\.com/[A-Z][A-Za-z]+")) {
                        problems.add(playbook + ": resource type " + t.asText());
                    }
                });
                c.path("methodTypes").forEach(t -> {
                    if (!Set.of("CREATE", "UPDATE", "DELETE", "REMOVE_GRANT", "GOVERN_TAGS").contains(t.asText())) {
                        problems.add(playbook + ": method type " + t.asText());
                    }
                });
                if (!Set.of("ALLOW", "DENY").contains(c.path("actionType").asText())) {
                    problems.add(playbook + ": action type " + c.path("actionType").asText());
                }
                try {
                    cel.compile(c.path("condition").asText()).getAst();
                } catch (dev.cel.common.CelValidationException e) {
                    problems.add(playbook + ": condition is not CEL: " + e.getMessage());
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(policies).isEqualTo(3 * 9);
        assertThat(published).doesNotContain("constraints/compute.disableSerialPortAcess"); // the list is not a wildcard
    }
}
