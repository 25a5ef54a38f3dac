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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fixgate check` and `fixgate plan` over a small repository with the real catalog, parsers and patchers. */
class CheckAndPlanCommandTest {

    @TempDir
    Path dir;
    Path repo;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.mapper().readTree(out);
        }
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", dir.resolve("home").toString()),
                dir, Clock.systemUTC());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final String BUCKET = """
            resource "aws_s3_bucket" "data" {
              bucket = "acme-data"
            }
            """;
    static final String COMPLIANT = """
            resource "aws_s3_bucket" "ok" {
              bucket = "acme-ok"
            }

            resource "aws_s3_bucket_versioning" "ok" {
              bucket = aws_s3_bucket.ok.id
              versioning_configuration {
                status = "Enabled"
              }
            }
            """;
    static final String TEMPLATE = """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Logs:
                Type: AWS::S3::Bucket
                Properties:
                  BucketName: acme-cfn-logs
            """;

    @BeforeEach
    void repository() throws Exception {
        repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve("infra"));
        Files.createDirectories(repo.resolve("stacks"));
        Files.writeString(repo.resolve("infra/s3.tf"), BUCKET);
        Files.writeString(repo.resolve("infra/ok.tf"), COMPLIANT);
        Files.writeString(repo.resolve("stacks/logs.yaml"), TEMPLATE);
        Files.writeString(repo.resolve("README.md"), "not IaC\n");
    }

    private static List<String> results(JsonNode json, String status) {
        List<String> out = new ArrayList<>();
        json.path("results").forEach(r -> {
            if (r.path("status").asText().equals(status)) {
                out.add(r.path("playbook").asText() + " " + r.path("file").asText() + " " + r.path("resource").asText());
            }
        });
        return out;
    }

    @Test
    void playbooksListJsonHasTheDocumentedShape() throws Exception {
        Run r = run("playbooks", "list", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode list = r.json();
        assertThat(list.size()).isGreaterThanOrEqualTo(40);
        List<String> clouds = new ArrayList<>();
        list.forEach(p -> {
            clouds.add(p.path("cloud").asText());
            assertThat(p.path("id").asText()).matches("[a-z][a-z0-9_]+");
            assertThat(p.path("formats")).isNotEmpty();
            assertThat(p.path("controls")).isNotEmpty();
            assertThat(p.path("risk").asText()).isIn("SAFE", "RISKY", "UNSAFE");
            for (String tool : List.of("securityhub", "prowler", "checkov", "kics", "trivy")) {
                assertThat(p.path("toolIds").path(tool).isArray()).as("%s toolIds.%s", p.path("id"), tool).isTrue();
            }
        });
        assertThat(clouds).contains("aws", "azure", "gcp");
        JsonNode https = null;
        for (JsonNode p : list) {
            if (p.path("id").asText().equals("s3_bucket_https_only")) {
                https = p;
            }
        }
        assertThat(https).isNotNull();
        assertThat(https.path("formats").toString()).isEqualTo("[\"terraform\",\"cloudformation\"]");
        assertThat(https.path("toolIds").path("securityhub").toString()).contains("S3.5");
    }

    @Test
    void playbooksShowPrintsDeclaredParamsFixturesAndRisk() throws Exception {
        Run r = run("playbooks", "show", "s3_bucket_access_logging");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("target_bucket (tf_value)", "default: {\"expr\":\"var.access_logs_bucket\"}",
                "    playbooks:", "      s3_bucket_access_logging:", "terraform.declare_variable",
                "terraform/fail_no_logging  after.tf, before.tf", "Risk: SAFE by default");
        Run fixture = run("playbooks", "show", "s3_bucket_access_logging", "--fixture", "terraform/fail_no_logging");
        assertThat(fixture.out()).contains("--- terraform/fail_no_logging/after.tf", "aws_s3_bucket_logging");
        JsonNode j = run("playbooks", "show", "azure_nsg_no_public_ssh", "--json").json();
        assertThat(j.path("params").get(0).path("name").asText()).isEqualTo("allowed_source");
        assertThat(j.path("params").get(0).path("description").asText()).isNotBlank();
        assertThat(run("playbooks", "show", "nope").exit()).isNotZero();
    }

    @Test
    void aRepositorysPlaybookParamsReachCheckAndPlan() throws Exception {
        Files.delete(repo.resolve("infra/ok.tf"));
        Files.delete(repo.resolve("stacks/logs.yaml"));
        Files.createDirectories(repo.resolve(".github"));
        Run before = run("plan", "--repo", "repo", "--json");
        JsonNode logging = null;
        for (JsonNode x : before.json().path("results")) {
            if (x.path("playbook").asText().equals("s3_bucket_access_logging")) {
                logging = x;
            }
        }
        assertThat(logging).as(before.out()).isNotNull();
        // the default target is a variable the module lacks: declared, and so the fix is not SAFE
        assertThat(logging.path("code").asText()).isEqualTo("plan.declares-input");
        assertThat(logging.path("rci").asText()).isNotEqualTo("SAFE");

        Files.writeString(repo.resolve(".github/fixgate.yml"), """
                playbooks:
                  s3_bucket_access_logging:
                    params:
                      target_bucket: central-access-logs
                """);
        Run r = run("plan", "--repo", "repo", "--out", "fixed", "--json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        for (JsonNode x : r.json().path("results")) {
            if (x.path("playbook").asText().equals("s3_bucket_access_logging")) {
                assertThat(x.path("status").asText()).isEqualTo("patched");
                assertThat(x.path("code").asText()).isEmpty();
            }
        }
        assertThat(Files.readString(dir.resolve("fixed/infra/s3.tf"))).contains("target_bucket = \"central-access-logs\"")
                .doesNotContain("variable \"access_logs_bucket\"");

        Files.writeString(repo.resolve(".github/fixgate.yml"), """
                playbooks:
                  s3_bucket_access_logging:
                    params:
                      target_bucket_typo: central
                """);
        for (JsonNode x : run("plan", "--repo", "repo", "--json").json().path("results")) {
            if (x.path("playbook").asText().equals("s3_bucket_access_logging")) {
                assertThat(x.path("code").asText()).isEqualTo("playbook.param-invalid");
                assertThat(x.path("reason").asText()).contains("target_bucket_typo is not a parameter");
            }
        }
    }

    @Test
    void checkReportsEachResourceAndFailsOnNonCompliance() throws Exception {
        Run r = run("check", "--repo", "repo", "--json", "--sarif", "out.sarif");

        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode j = r.json();
        assertThat(results(j, "fail")).contains("s3_bucket_versioning infra/s3.tf aws_s3_bucket.data",
                "s3_bucket_versioning stacks/logs.yaml Logs");
        assertThat(results(j, "pass")).contains("s3_bucket_versioning infra/ok.tf aws_s3_bucket.ok");
        assertThat(results(j, "fail")).noneMatch(s -> s.startsWith("s3_bucket_versioning") && s.contains("aws_s3_bucket.ok"));
        assertThat(j.path("errors")).isEmpty();
        j.path("results").forEach(x -> assertThat(x.path("line").asInt()).isPositive());

        JsonNode sarif = Json.mapper().readTree(dir.resolve("out.sarif").toFile());
        assertThat(sarif.path("version").asText()).isEqualTo("2.1.0");
        JsonNode run = sarif.path("runs").get(0);
        assertThat(run.path("tool").path("driver").path("name").asText()).isEqualTo("fixgate");
        List<String> ruleIds = new ArrayList<>();
        run.path("tool").path("driver").path("rules").forEach(rule -> {
            ruleIds.add(rule.path("id").asText());
            assertThat(Double.parseDouble(rule.path("properties").path("security-severity").asText())).isBetween(0.0, 10.0);
        });
        assertThat(run.path("results")).hasSize(results(j, "fail").size()).allSatisfy(res -> {
            assertThat(ruleIds).contains(res.path("ruleId").asText());
            JsonNode loc = res.path("locations").get(0).path("physicalLocation");
            assertThat(loc.path("artifactLocation").path("uri").asText()).doesNotStartWith("/");
            assertThat(loc.path("region").path("startLine").asInt()).isPositive();
        });
    }

    @Test
    void fixgatesOwnSarifIsReadBackByTheSarifIngest() throws Exception {
        int failures = results(run("check", "--repo", "repo", "--json", "--sarif", "out.sarif").json(), "fail").size();
        Run r = run("ingest", "--json", "out.sarif");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.json().path("findings").asInt()).isEqualTo(failures).isGreaterThan(2);
    }

    @Test
    void checkPassesACompliantRepository() throws Exception {
        Files.delete(repo.resolve("infra/s3.tf"));
        Files.delete(repo.resolve("infra/ok.tf"));
        Files.delete(repo.resolve("stacks/logs.yaml"));
        Files.writeString(repo.resolve("infra/ecr.tf"), """
                resource "aws_ecr_repository" "app" {
                  name                 = "app"
                  image_tag_mutability = "IMMUTABLE"
                  image_scanning_configuration {
                    scan_on_push = true
                  }
                  tags = {
                    Owner       = "platform"
                    Environment = "prod"
                    CostCenter  = "1234"
                  }
                }
                """);
        Run r = run("check", "--repo", "repo");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("0 failed");
    }

    @Test
    void planWithoutFindingsFixesEveryCheckFailureIntoACopyAndADiff() throws Exception {
        Run r = run("plan", "--repo", "repo", "--out", "fixed", "--json");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode j = r.json();
        assertThat(results(j, "patched")).contains("s3_bucket_versioning infra/s3.tf aws_s3_bucket.data",
                "s3_bucket_versioning stacks/logs.yaml Logs", "s3_bucket_https_only infra/s3.tf aws_s3_bucket.data")
                .doesNotContain("s3_bucket_versioning infra/ok.tf aws_s3_bucket.ok");
        j.path("results").forEach(x -> assertThat(x.path("diff").path("added").asInt()).isPositive());
        assertThat(Files.readString(repo.resolve("infra/s3.tf"))).as("the repository itself is untouched").isEqualTo(BUCKET);
        Path fixed = dir.resolve("fixed");
        assertThat(Files.readString(fixed.resolve("infra/s3.tf"))).startsWith("resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"acme-data\"\n")
                .contains("resource \"aws_s3_bucket_versioning\" \"data\"", "bucket = aws_s3_bucket.data.id");
        assertThat(Files.readString(fixed.resolve("infra/ok.tf"))).contains("resource \"aws_s3_bucket_versioning\" \"ok\" {\n  bucket = aws_s3_bucket.ok.id");
        assertThat(Files.readString(fixed.resolve("README.md"))).isEqualTo("not IaC\n");
        assertThat(Files.readString(fixed.resolve("fixgate.diff"))).contains("--- a/infra/s3.tf", "+++ b/stacks/logs.yaml",
                "+      VersioningConfiguration:");
        // and the fixed copy now passes the check
        Files.delete(fixed.resolve("fixgate.diff"));
        assertThat(run("check", "--repo", "fixed").exit()).isZero();
    }

    @Test
    void planFromFindingsLocatesByCloudNameAndReportsWhatItCannotPlan() throws Exception {
        Files.writeString(dir.resolve("findings.json"), asff("acme-data") .replace("]", "," + asff("acme-missing").substring(1)));
        Files.writeString(dir.resolve("broken.json"), "{\"Findings\": [ {\"SchemaVersion\": ");

        Run r = run("plan", "--repo", "repo", "--findings", "findings.json", "broken.json", "--json");

        assertThat(r.exit()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode j = r.json();
        assertThat(results(j, "patched")).containsExactly("s3_bucket_versioning infra/s3.tf aws_s3_bucket.data");
        assertThat(j.path("results")).noneMatch(x -> x.path("resource").asText().equals("aws_s3_bucket.ok"));
        assertThat(j.path("results")).anySatisfy(x -> {
            assertThat(x.path("status").asText()).isEqualTo("cannot-patch");
            assertThat(x.path("code").asText()).isEqualTo("locate.not-in-code");
            assertThat(x.path("resource").asText()).contains("acme-missing");
        });
        assertThat(j.path("errors").toString()).contains("broken.json");
    }

    /** A Security Hub S3.14 finding (ASFF) for a bucket, as a one-element JSON array. */
    static String asff(String bucket) {
        return """
                [{"SchemaVersion": "2018-10-08",
                  "Id": "arn:aws:securityhub:us-east-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.14/finding/%s",
                  "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub",
                  "GeneratorId": "aws-foundational-security-best-practices/v/1.0.0/S3.14",
                  "AwsAccountId": "111111111111",
                  "Types": ["Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices"],
                  "CreatedAt": "2026-11-20T10:00:00.000Z", "UpdatedAt": "2026-11-20T10:00:00.000Z",
                  "Severity": {"Label": "MEDIUM"},
                  "Title": "S3.14 S3 general purpose buckets should have versioning enabled",
                  "Description": "versioning",
                  "ProductFields": {"ControlId": "S3.14"},
                  "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::%s", "Partition": "aws", "Region": "us-east-1"}],
                  "Compliance": {"Status": "FAILED"},
                  "RecordState": "ACTIVE", "Workflow": {"Status": "NEW"}}]
                """.formatted(bucket, bucket);
    }
}
