package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fixgate guardrails}: what it prints, writes and refuses. */
class GuardrailsCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", dir.resolve("home").toString()),
                dir, Clock.systemUTC());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsEveryCloudsFilesAndTheSizesOfThePackedPolicies() {
        Run r = run("guardrails");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("==> aws/ou-exam-ple00000/fixgate_guardrails.tf <==")
                .contains("==> azure/mg-example/azure_nsg_no_public_rdp.tf <==")
                .contains("==> gcp/org-123456789012/gcp_vm_shielded_vm.tf <==")
                .containsPattern("fixgate-guardrails-ou-exam-ple00000-1 +[0-9,]+ / 5,120 characters +[0-9,]+ left")
                .contains("aws ou-exam-ple00000 (terraform): 32 playbooks")
                .containsPattern("no aws guardrail \\(41\\): alb_http_to_https_redirect, apigateway_stage_xray, .*"
                        + " rds_iam_auth, .*, subnet_no_auto_public_ip\n")
                .contains("effect Deny (mode autonomous)")
                .contains("Terraform variables to set: fixgate_gcp_bucket_no_public_members_customer_id");
    }

    @Test
    void writesTheFilesPerTargetAndSummarisesThemAsJson() throws Exception {
        Run r = run("guardrails", "--cloud", "aws,azure", "--target", "ou-ab12-cdef3456", "--target", "111122223333",
                "--target", "/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "--target", "folders/42",
                "--format", "json", "--mode", "assist", "--out", "out", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = Json.mapper().readTree(r.out());
        assertThat(json).hasSize(3); // the folder is GCP, which --cloud leaves out
        assertThat(json.get(0).path("target").asText()).isEqualTo("ou-ab12-cdef3456");
        JsonNode policy = json.get(0).path("policies").get(0);
        assertThat(policy.path("characters").asInt() + policy.path("room").asInt()).isEqualTo(5120);
        assertThat(json.get(0).path("files").get(0).asText()).isEqualTo("fixgate-guardrails-ou-ab12-cdef3456-1.json");
        Path scp = dir.resolve("out/aws/ou-ab12-cdef3456/fixgate-guardrails-ou-ab12-cdef3456-1.json");
        assertThat(Files.readString(scp)).hasSize(policy.path("characters").asInt()).startsWith("{\"Version\":\"2012-10-17\"");
        assertThat(dir.resolve("out/aws/111122223333/fixgate-guardrails.json")).exists();
        JsonNode assignment = Json.mapper().readTree(dir.resolve(
                "out/azure/sub-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/azure_storage_https_only.assignment.json").toFile());
        assertThat(assignment.at("/properties/parameters/effect/value").asText()).isEqualTo("Audit");
        try (var files = Files.walk(dir.resolve("out"))) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()).isEmpty();
        }
    }

    @Test
    void badInputIsAUsageErrorAndNothingIsWritten() {
        Run target = run("guardrails", "--target", "ou-nope", "--out", "out");
        assertThat(target.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(target.err()).contains("'ou-nope' is not a guardrail target");
        Run json = run("guardrails", "--cloud", "gcp", "--format", "json", "--out", "out");
        assertThat(json.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(json.err()).contains("needs customer-id").contains("[guardrail.missing-parameter]");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(run("guardrails", "--cloud", "oracle").exit()).isEqualTo(ExitCodes.USAGE);
    }
}
