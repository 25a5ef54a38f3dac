package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fixgate permissions}: the read-only role the evidence collectors need, from their declarations. */
class PermissionsCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", dir.toString()), dir,
                Clock.systemUTC());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void awsPrintsAnIamPolicyOfReadActionsOnly() throws Exception {
        Run r = run("permissions", "aws");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode policy = Json.mapper().readTree(r.out());
        assertThat(policy.path("Version").asText()).isEqualTo("2012-10-17");
        List<String> actions = new ArrayList<>();
        for (JsonNode st : policy.path("Statement")) {
            assertThat(st.path("Effect").asText()).isEqualTo("Allow");
            JsonNode a = st.path("Action");
            if (a.isArray()) {
                a.forEach(x -> actions.add(x.asText()));
            } else {
                actions.add(a.asText());
            }
        }
        assertThat(actions).isNotEmpty().doesNotHaveDuplicates().allSatisfy(a -> assertThat(a)
                .as("a read action").matches("[a-z0-9-]+:(Get|List|Describe|Lookup|Head|Search|Query|Filter|BatchGet"
                        + "|Select|StartQuery|AssumeRole)[A-Za-z0-9]*"))
                .noneMatch(a -> a.contains("*"))
                .contains("s3:ListBucket", "logs:StartQuery", "ec2:DescribeNetworkInterfaces", "redshift:DescribeClusters",
                        "sns:GetTopicAttributes", "dynamodb:GetResourcePolicy");
    }

    @Test
    void explainNamesTheCollectorAndTheReasonForEachAction() throws Exception {
        Run r = run("permissions", "aws", "--explain", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode byAction = Json.mapper().readTree(r.out());
        assertThat(byAction.path("logs:StartQuery")).isNotEmpty().allSatisfy(use -> {
            assertThat(use.path("collector").asText()).startsWith("aws.");
            assertThat(use.path("why").asText()).isNotBlank();
        });
    }

    @Test
    void azurePrintsACustomRoleOfReadActionsOnly() throws Exception {
        Run r = run("permissions", "azure");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode role = Json.mapper().readTree(r.out());
        assertThat(role.path("IsCustom").asBoolean()).isTrue();
        List<String> actions = new ArrayList<>();
        role.path("Actions").forEach(a -> actions.add(a.asText()));
        assertThat(actions).isNotEmpty().doesNotHaveDuplicates()
                .allSatisfy(a -> assertThat(a).as("a read action").startsWith("Microsoft.").endsWith("/read"))
                .contains("Microsoft.Insights/metrics/read", "Microsoft.ResourceGraph/resources/read",
                        "Microsoft.Security/assessments/read");
        assertThat(role.path("DataActions")).isEmpty();
    }

    @Test
    void explainNamesThePullSourcesReadsToo() throws Exception {
        JsonNode azure = Json.mapper().readTree(run("permissions", "azure", "--explain", "--json").out());
        assertThat(azure.path("Microsoft.Security/assessments/read")).singleElement()
                .satisfies(use -> assertThat(use.path("collector").asText()).isEqualTo("pull azure-defender"));
        JsonNode gcp = Json.mapper().readTree(run("permissions", "gcp", "--explain", "--json").out());
        assertThat(gcp.path("securitycenter.findings.list")).singleElement()
                .satisfies(use -> assertThat(use.path("collector").asText()).isEqualTo("pull gcp-scc"));
    }

    @Test
    void gcpPrintsACustomRoleOfReadPermissionsOnly() {
        Run r = run("permissions", "gcp");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("title: fixgate evidence reader").contains("includedPermissions:");
        List<String> permissions = r.out().lines().filter(l -> l.startsWith("- ")).map(l -> l.substring(2)).toList();
        assertThat(permissions).isNotEmpty().doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p).matches("[a-z]+(\\.[a-zA-Z]+)+\\.(get|list|getIamPolicy|search[A-Za-z]*)"))
                .contains("cloudasset.assets.searchAllResources", "logging.logEntries.list", "securitycenter.findings.list");
    }

    @Test
    void anUnknownCloudIsAUsageError() {
        Run r = run("permissions", "oracle");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown cloud 'oracle' (expected aws, azure or gcp)");
    }
}
