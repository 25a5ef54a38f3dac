package dev.fixgate.app.prevent.guardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.json.Json;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.finding.Cloud;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalog's guardrails rendered as delivered: every one renders and fits its limits. */
class GuardrailRendererTest {

    static final GuardrailRenderer RENDERER = new GuardrailRenderer(PlaybookCatalog.builtIn());
    static final GuardrailTarget OU = GuardrailTarget.parse("ou-ab12-cdef3456");

    @Test
    void theCatalogCarriesTheGuardrailsTheIssueCounts() {
        assertThat(RENDERER.withGuardrail(Cloud.AWS)).hasSize(32);
        assertThat(RENDERER.withGuardrail(Cloud.AZURE)).hasSize(10);
        assertThat(RENDERER.withGuardrail(Cloud.GCP)).hasSize(9);
    }

    @Test
    void everyAwsGuardrailPacksIntoPoliciesForOneOuWithinTheQuotas() throws Exception {
        RenderedGuardrails all = RENDERER.renderAll(OU, GuardrailOptions.defaults());
        StringBuilder table = new StringBuilder("All AWS guardrails for " + OU.id() + ":\n");
        for (ScpPolicy p : all.scps()) {
            table.append(String.format(Locale.ROOT, "  %s: %,d of %,d characters, %,d left, %d statements, %d playbooks%n",
                    p.name(), p.size(), ScpPolicy.MAX_CHARACTERS, p.room(), p.statements().size(), p.sources().size()));
        }
        System.out.print(table);
        assertThat(all.playbooks()).hasSize(32);
        // every AWS playbook without an SCP is listed as skipped, and only those
        List<String> withoutScp = dev.fixgate.playbooks.PlaybookCatalog.builtIn().all().stream()
                .filter(pb -> pb.cloud() == Cloud.AWS && pb.guardrail().awsScp().isEmpty()).map(Playbook::id).toList();
        assertThat(all.skipped()).extracting(RenderedGuardrails.Skipped::playbook)
                .containsExactlyInAnyOrderElementsOf(withoutScp)
                .contains("alb_http_to_https_redirect", "elb_access_logs", "rds_iam_auth")
                .doesNotContainAnyElementsOf(all.playbooks());
        assertThat(all.scps()).isNotEmpty().hasSizeLessThanOrEqualTo(GuardrailOptions.DEFAULT_AWS_POLICIES_PER_TARGET);
        assertThat(all.scps()).allSatisfy(p -> {
            assertThat(p.size()).isLessThanOrEqualTo(ScpPolicy.MAX_CHARACTERS);
            assertThat(p.size()).isEqualTo(p.minified().length()); // nothing the catalog writes needs escaping
            assertThat(p.minified()).doesNotContain(" \"").doesNotContain("\n");
        });
        // every playbook's statement is carried: its actions, under its exact condition and resources
        Set<String> carried = new HashSet<>();
        all.scps().forEach(p -> carried.addAll(p.sources()));
        assertThat(carried).containsExactlyInAnyOrderElementsOf(all.playbooks());
        for (Playbook pb : RENDERER.withGuardrail(Cloud.AWS)) {
            ScpStatement original = ScpStatement.of(pb.id(), pb.guardrail().awsScp().orElseThrow(), pb.folder());
            ScpStatement holder = all.scps().stream().flatMap(p -> p.statements().stream())
                    .filter(s -> s.sources().contains(pb.id())).findFirst().orElseThrow();
            assertThat(holder.mergeKey()).as(pb.id()).isEqualTo(original.mergeKey());
            for (String action : original.actions()) {
                assertThat(holder.actions().stream().anyMatch(a -> a.equals(action)
                        || ScpStatement.glob(a).matcher(action.toLowerCase(Locale.ROOT)).matches())).as(pb.id() + " " + action).isTrue();
            }
        }
        // fewer statements than playbooks: identical and mergeable statements were put together
        assertThat(all.scps().stream().mapToInt(p -> p.statements().size()).sum()).isLessThan(30);
        JsonNode manifest = Json.mapper().readTree(all.files().get(AwsScpRenderer.MANIFEST));
        assertThat(manifest.path("playbooks")).hasSize(32);
        assertThat(manifest.path("policies").get(0).path("room").asInt()).isEqualTo(all.scps().getFirst().room());
        assertThat(AwsScpRenderer.playbooksIn(all.files().get(AwsScpRenderer.MANIFEST))).containsExactlyElementsOf(all.playbooks());
    }

    @Test
    void terraformAttachesEachPolicyAndJsonIsTheMinifiedDocument() {
        RenderedGuardrails tf = RENDERER.renderAll(OU, GuardrailOptions.defaults());
        String text = tf.files().get(AwsScpRenderer.TERRAFORM_FILE);
        assertThat(text).contains("resource \"aws_organizations_policy\" \"fixgate_ou_ab12_cdef3456_1\"")
                .contains("type        = \"SERVICE_CONTROL_POLICY\"").contains("content     = jsonencode({")
                .contains("resource \"aws_organizations_policy_attachment\" \"fixgate_ou_ab12_cdef3456_1\"")
                .contains("policy_id = aws_organizations_policy.fixgate_ou_ab12_cdef3456_1.id")
                .contains("target_id = \"ou-ab12-cdef3456\"")
                .contains(String.format(Locale.ROOT, "%,d characters, %,d left", tf.scps().getFirst().size(),
                        tf.scps().getFirst().room()));
        RenderedGuardrails json = RENDERER.renderAll(OU, GuardrailOptions.defaults().withFormat(GuardrailFormat.JSON));
        assertThat(json.scps()).isEqualTo(tf.scps());
        assertThat(json.files()).containsEntry("fixgate-guardrails-ou-ab12-cdef3456-1.json", tf.scps().getFirst().minified());
        // the same input renders the same files
        assertThat(RENDERER.renderAll(OU, GuardrailOptions.defaults()).files()).isEqualTo(tf.files());
    }

    @Test
    void theEffectOfAzurePoliciesFollowsTheMode() throws Exception {
        GuardrailTarget mg = GuardrailTarget.parse("/providers/Microsoft.Management/managementGroups/platform");
        GuardrailOptions json = GuardrailOptions.defaults().withFormat(GuardrailFormat.JSON);
        for (RepoConfig.Mode mode : RepoConfig.Mode.values()) {
            RenderedGuardrails r = RENDERER.renderAll(mg, json.withMode(mode));
            assertThat(r.playbooks()).hasSize(10);
            JsonNode https = Json.mapper().readTree(r.files().get("azure_storage_https_only.assignment.json"));
            String expected = mode == RepoConfig.Mode.SUPERVISED || mode == RepoConfig.Mode.AUTONOMOUS ? "Deny" : "Audit";
            assertThat(https.at("/properties/parameters/effect/value").asText()).as(mode.name()).isEqualTo(expected);
            JsonNode rdp = Json.mapper().readTree(r.files().get("azure_nsg_no_public_rdp.assignment.json"));
            assertThat(rdp.at("/properties/parameters/effect/value").asText()).isEqualTo(expected);
            // auditing never blocks, whatever the mode
            JsonNode auditing = Json.mapper().readTree(r.files().get("azure_sql_auditing.assignment.json"));
            assertThat(auditing.at("/properties/parameters/effect/value").asText()).isEqualTo("AuditIfNotExists");
        }
        RenderedGuardrails r = RENDERER.renderAll(mg, json);
        JsonNode def = Json.mapper().readTree(r.files().get("azure_nsg_no_public_rdp.definition.json"));
        assertThat(def.at("/properties/policyRule/then/effect").asText()).isEqualTo("[parameters('effect')]");
        assertThat(def.at("/properties/parameters/effect/allowedValues").toString()).isEqualTo("[\"Audit\",\"Deny\",\"Disabled\"]");
        JsonNode assignment = Json.mapper().readTree(r.files().get("azure_nsg_no_public_rdp.assignment.json"));
        assertThat(assignment.at("/properties/policyDefinitionId").asText()).isEqualTo(mg.id()
                + "/providers/Microsoft.Authorization/policyDefinitions/fixgate-azure_nsg_no_public_rdp");
        assertThat(assignment.path("name").asText()).hasSizeLessThanOrEqualTo(24);
        assertThat(r.files()).doesNotContainKey("azure_storage_https_only.definition.json");
        // a built-in keeps its other parameters
        JsonNode tls = Json.mapper().readTree(r.files().get("azure_storage_min_tls.assignment.json"));
        assertThat(tls.at("/properties/parameters/minimumTlsVersion/value").asText()).isEqualTo("TLS1_2");
    }

    @Test
    void aSubscriptionGetsSubscriptionAssignments() {
        GuardrailTarget sub = GuardrailTarget.parse("/subscriptions/0B1C2D3E-4F50-6172-8394-a5b6c7d8e9f0");
        assertThat(sub.id()).isEqualTo("/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");
        RenderedGuardrails r = RENDERER.renderAll(sub, GuardrailOptions.defaults().withMode(RepoConfig.Mode.ASSIST));
        assertThat(r.files().get("azure_nsg_no_public_ssh.tf"))
                .contains("resource \"azurerm_subscription_policy_assignment\" \"fixgate_azure_nsg_no_public_ssh\"")
                .contains("subscription_id      = \"/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0\"")
                .doesNotContain("management_group_id").contains("value = \"Audit\"")
                .contains("policy_definition_id = azurerm_policy_definition.fixgate_azure_nsg_no_public_ssh.id");
    }

    @Test
    void gcpPoliciesAreBooleanListOrCustom() throws Exception {
        GuardrailTarget org = GuardrailTarget.parse("organizations/123456789012");
        RenderedGuardrails tf = RENDERER.renderAll(org, GuardrailOptions.defaults());
        assertThat(tf.playbooks()).hasSize(9);
        assertThat(tf.files().get("gcp_vm_no_serial_port.tf"))
                .contains("resource \"google_org_policy_policy\" \"fixgate_gcp_vm_no_serial_port\"")
                .contains("name   = \"organizations/123456789012/policies/compute.disableSerialPortAccess\"")
                .contains("enforce = \"TRUE\"");
        // the customer id nobody set is a variable the file declares
        assertThat(tf.files().get("gcp_bucket_no_public_members.tf"))
                .contains("variable \"fixgate_gcp_bucket_no_public_members_customer_id\"")
                .contains("allowed_values = [\"is:${var.fixgate_gcp_bucket_no_public_members_customer_id}\"]");
        assertThat(tf.variables()).containsExactly("fixgate_gcp_bucket_no_public_members_customer_id");
        assertThat(tf.files().get("gcp_gke_legacy_abac_off.tf"))
                .contains("resource \"google_org_policy_custom_constraint\" \"fixgate_gcp_gke_legacy_abac_off\"")
                .contains("name   = \"organizations/123456789012/policies/${google_org_policy_custom_constraint"
                        + ".fixgate_gcp_gke_legacy_abac_off.name}\"");
        // JSON needs the value...
        GuardrailOptions json = GuardrailOptions.defaults().withFormat(GuardrailFormat.JSON);
        assertThatThrownBy(() -> RENDERER.renderAll(org, json)).isInstanceOf(GuardrailException.class)
                .hasMessageContaining("gcp_bucket_no_public_members needs customer-id")
                .extracting(e -> ((GuardrailException) e).code()).isEqualTo("guardrail.missing-parameter");
        // ...and puts it in when given
        RenderedGuardrails withId = RENDERER.renderAll(org, new GuardrailOptions(GuardrailFormat.JSON,
                RepoConfig.Mode.AUTONOMOUS, Map.of("customer-id", "C01abcd23"), 4));
        JsonNode members = Json.mapper().readTree(withId.files().get("gcp_bucket_no_public_members.policy.json"));
        assertThat(members.at("/spec/rules/0/values/allowedValues/0").asText()).isEqualTo("is:C01abcd23");
        JsonNode constraint = Json.mapper().readTree(withId.files().get("gcp_gke_legacy_abac_off.constraint.json"));
        assertThat(constraint.path("name").asText()).isEqualTo("organizations/123456789012/customConstraints/custom.gkeDisableLegacyAbac");
        // a folder has no custom constraints of its own: the organisation is asked for
        RenderedGuardrails folder = RENDERER.render(GuardrailTarget.parse("folders/4567"), List.of("gcp_gke_legacy_abac_off"),
                GuardrailOptions.defaults());
        assertThat(folder.files().get("gcp_gke_legacy_abac_off.tf"))
                .contains("parent         = \"organizations/${var.fixgate_gcp_gke_legacy_abac_off_organization_id}\"")
                .contains("name   = \"folders/4567/policies/${google_org_policy_custom_constraint.");
    }

    @Test
    void aPlaybookWithoutAGuardrailForTheCloudSaysWhatToDoInstead() {
        RenderedGuardrails r = RENDERER.render(OU, List.of("rds_iam_auth", "s3_bucket_versioning"), GuardrailOptions.defaults());
        assertThat(r.playbooks()).containsExactly("s3_bucket_versioning");
        assertThat(r.skipped()).singleElement().satisfies(s -> {
            assertThat(s.playbook()).isEqualTo("rds_iam_auth");
            assertThat(s.reason()).contains("No IAM condition key");
        });
        assertThatThrownBy(() -> RENDERER.render(OU, List.of("nope"), GuardrailOptions.defaults()))
                .hasMessageContaining("no playbook 'nope'");
    }

    @Test
    void targetsAreRecognisedByTheirSyntax() {
        assertThat(GuardrailTarget.parse("r-ab12").kind()).isEqualTo(GuardrailTarget.Kind.AWS_ROOT);
        assertThat(GuardrailTarget.parse("111122223333").kind()).isEqualTo(GuardrailTarget.Kind.AWS_ACCOUNT);
        assertThat(GuardrailTarget.parse("projects/acme-prod").slug()).isEqualTo("project-acme-prod");
        assertThat(GuardrailTarget.parse("/providers/Microsoft.Management/managementGroups/Platform_1").slug())
                .isEqualTo("mg-platform-1");
        assertThat(GuardrailTarget.ofAccount(Cloud.AWS, "111122223333")).isPresent();
        assertThat(GuardrailTarget.ofAccount(Cloud.GCP, "111122223333")).isEmpty();
        assertThat(GuardrailTarget.ofAccount(Cloud.GCP, "acme-prod").orElseThrow().id()).isEqualTo("projects/acme-prod");
        assertThatThrownBy(() -> GuardrailTarget.parse("ou-xyz")).isInstanceOf(GuardrailException.class)
                .hasMessageContaining("'ou-xyz' is not a guardrail target");
    }

    @Test
    void hclStringsKeepPolicyVariablesLiteral() {
        assertThat(Hcl.string("arn:aws:s3:::b/${aws:username}/*")).isEqualTo("\"arn:aws:s3:::b/$${aws:username}/*\"");
        assertThat(Hcl.string("100%{x} \"q\" \\")).isEqualTo("\"100%%{x} \\\"q\\\" \\\\\"");
        assertThat(Hcl.key("aws:PrincipalArn")).isEqualTo("\"aws:PrincipalArn\"");
        assertThat(Hcl.key("Null")).isEqualTo("Null");
        List<Object> values = new ArrayList<>(List.of("a", 1, true));
        assertThat(Hcl.value(values, 0)).isEqualTo("[\"a\", 1, true]");
    }
}
