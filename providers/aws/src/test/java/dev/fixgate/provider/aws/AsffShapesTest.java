package dev.fixgate.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.fixgate.playbooks.controls.ControlCatalog;
import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The containers ASFF arrives in — batch, bare array, EventBridge events, JSON lines — built around real corpus
 * findings, and the control ids of other standards and of the finding lifecycle.
 */
class AsffShapesTest {

    private final AsffParser parser = new AsffParser();
    private final ControlCatalog catalog = ControlCatalog.builtIn();

    private static String sample(String name) throws IOException {
        return Files.readString(Parsed.resource("corpus/asff-securityhub/afsbp/" + name));
    }

    private static String event(String... findings) {
        return """
                {"version": "0", "id": "5c7f9c4a-0000-4d2e-9b5e-000000000000",
                 "detail-type": "Security Hub Findings - Imported", "source": "aws.securityhub",
                 "account": "111111111111", "time": "2022-02-21T09:49:15Z", "region": "us-east-1",
                 "resources": ["arn:aws:securityhub:us-east-1::product/aws/securityhub"],
                 "detail": {"findings": [%s]}}""".formatted(String.join(",", findings));
    }

    @Test
    void batchBareArrayEventAndJsonLines() throws IOException {
        String s38 = sample("afsbp-s3.8.json");
        String ec26 = sample("afsbp-ec2.6.json");

        Parsed batch = Parsed.text(parser, "{\"Findings\": [" + s38 + "," + ec26 + "], \"NextToken\": \"abc\"}");
        assertThat(batch.rejections).isEmpty();
        assertThat(batch.findings).extracting(f -> f.raw().pointer()).containsExactly("/Findings/0", "/Findings/1");
        assertThat(batch.findings).extracting(Finding::sourceControlId).containsExactly("S3.8", "EC2.6");

        Parsed array = Parsed.text(parser, "[" + s38 + "," + ec26 + "]");
        assertThat(array.findings).extracting(f -> f.raw().pointer()).containsExactly("/0", "/1");

        Parsed one = Parsed.text(parser, event(s38, ec26));
        assertThat(one.rejections).isEmpty();
        assertThat(one.findings).extracting(f -> f.raw().pointer())
                .containsExactly("/detail/findings/0", "/detail/findings/1");
        assertThat(one.findings.get(0).raw().line()).isEqualTo(5);

        Parsed events = Parsed.text(parser, "[" + event(s38) + ",\n" + event(ec26) + "]");
        assertThat(events.findings).extracting(f -> f.raw().pointer())
                .containsExactly("/0/detail/findings/0", "/1/detail/findings/0");

        String lines = event(s38).replace('\n', ' ') + "\n" + event(ec26).replace('\n', ' ') + "\n";
        Parsed jsonLines = Parsed.text(parser, lines);
        assertThat(jsonLines.findings).extracting(f -> f.raw().line()).containsExactly(1L, 2L);
        assertThat(jsonLines.findings).extracting(f -> f.raw().pointer())
                .containsExactly("/detail/findings/0", "/detail/findings/0");
    }

    @Test
    void cisAndPciFindingsMapToTheSameControlAsTheSecurityControl() throws IOException {
        String ec26 = sample("afsbp-ec2.6.json");
        // The same VPC finding as the CIS 1.2.0 standard writes it (ruleset generator, RuleId, guide ARN).
        String cis = ec26.replaceAll("\"GeneratorId\": \"[^\"]*\"",
                        "\"GeneratorId\": \"arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/2.9\"")
                .replaceAll("\"StandardsControlArn\": \"[^\"]*\"", "\"RuleId\": \"2.9\"")
                .replaceAll("\"ControlId\": \"[^\"]*\",", "");
        // And as PCI DSS 3.2.1 writes it.
        String pci = ec26.replaceAll("\"GeneratorId\": \"[^\"]*\"", "\"GeneratorId\": \"pci-dss/v/3.2.1/PCI.EC2.6\"")
                .replaceAll("\"StandardsControlArn\": \"[^\"]*\"",
                        "\"StandardsControlArn\": \"arn:aws:securityhub:us-east-1:111111111111:control/pci-dss/v/3.2.1/PCI.EC2.6\"")
                .replaceAll("\"ControlId\": \"[^\"]*\"", "\"ControlId\": \"PCI.EC2.6\"");
        Parsed parsed = Parsed.stream(parser, new java.io.ByteArrayInputStream(("[" + ec26 + "," + cis + "," + pci + "]")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), Parsed.context("x", catalog,
                dev.fixgate.spi.finding.ParseLimits.defaults()));
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).extracting(Finding::sourceControlId).containsExactly(
                "EC2.6", "cis-aws-foundations-benchmark/v/1.2.0/2.9", "pci-dss/v/3.2.1/PCI.EC2.6");
        assertThat(parsed.findings).extracting(Finding::control).containsOnly(ControlId.canonical("aws.ec2.vpc.flow_logs"));
        assertThat(parsed.findings).extracting(Finding::fingerprint).containsOnly(parsed.findings.get(0).fingerprint());
    }

    @Test
    void lifecycleAndTimestampFallbacks() throws IOException {
        String s38 = sample("afsbp-s3.8.json");
        String archived = s38.replace("\"RecordState\": \"ACTIVE\"", "\"RecordState\": \"ARCHIVED\"");
        String suppressed = s38.replace("\"Status\": \"NEW\"", "\"Status\": \"SUPPRESSED\"");
        String noObserved = s38.replaceAll("\"(First|Last)ObservedAt\": \"[^\"]*\",", "");
        Parsed parsed = Parsed.text(parser, "[" + s38 + "," + archived + "," + suppressed + "," + noObserved + "]");
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).extracting(Finding::active).containsExactly(true, false, false, true);
        Finding fallback = parsed.findings.get(3);
        assertThat(fallback.firstSeen()).isEqualTo(Instant.parse("2021-07-14T17:06:07.284Z")); // CreatedAt
        assertThat(fallback.lastSeen()).isEqualTo(Instant.parse("2022-02-21T09:49:08.504Z"));  // UpdatedAt
    }

    @Test
    void malformedFindingsAreRejectedAndTheOthersKept() throws IOException {
        String s38 = sample("afsbp-s3.8.json");
        String[] bad = {
            s38.replaceAll("\"Id\": \"arn:aws:securityhub[^\"]*\",", ""),
            s38.replaceAll("(?s)\"Resources\": \\[.*?\\],\\s*\"Compliance\"", "\"Resources\": [], \"Compliance\""),
            s38.replace("\"Label\": \"HIGH\",\n      \"Normalized\"", "\"Label\": \"SEVERE\",\n      \"Normalized\""),
            s38.replace("\"Region\": \"us-east-1\",", "\"Region\": {\"name\": \"us-east-1\"},"),
            s38.replace("\"LastObservedAt\": \"2022-02-21T09:49:14.792Z\"", "\"LastObservedAt\": \"2020-01-01T00:00:00Z\""),
            "42",
        };
        Parsed parsed = Parsed.text(parser, "{\"Findings\": [" + String.join(",", bad) + "," + s38 + "]}");
        assertThat(parsed.rejections).extracting(r -> r.code() + " " + r.where().pointer()).containsExactly(
                "ingest.missing-field /Findings/0/Id",
                "ingest.no-resource /Findings/1/Resources",
                "ingest.severity /Findings/2/Severity/Label",
                "ingest.wrong-type /Findings/3/Region",
                "ingest.timestamp /Findings/4",
                "ingest.wrong-type /Findings/5");
        assertThat(parsed.findings).singleElement().satisfies(f -> assertThat(f.raw().pointer()).isEqualTo("/Findings/6"));
    }

    @Test
    void theResourcesTagsAreKeptForLocateWithinAwsLimits() throws IOException {
        String ec28 = sample("afsbp-ec2.8.json");
        String tagged = ec28.replaceFirst("\"Type\": \"AwsEc2Instance\",",
                "\"Type\": \"AwsEc2Instance\", \"Tags\": {\"yor_trace\": \"347af3cd-4f70-4632-aca3-4d5e30ffc0b6\","
                        + " \"aws:cloudformation:stack-name\": \"web\", \"" + "k".repeat(129) + "\": \"too long a key\"},");
        StringBuilder many = new StringBuilder("\"Tags\": {");
        for (int i = 0; i < 100; i++) {
            many.append(i == 0 ? "" : ", ").append("\"t").append(i).append("\": \"v\"");
        }
        String crowded = ec28.replaceFirst("\"Type\": \"AwsEc2Instance\",", "\"Type\": \"AwsEc2Instance\", " + many + "},");
        String wrong = ec28.replaceFirst("\"Type\": \"AwsEc2Instance\",", "\"Type\": \"AwsEc2Instance\", \"Tags\": [\"x\"],");

        Parsed parsed = Parsed.text(parser, "[" + tagged + "," + crowded + "," + ec28 + "," + wrong + "]");

        assertThat(tagged).isNotEqualTo(ec28);
        assertThat(parsed.findings).hasSize(3);
        CloudResource first = (CloudResource) parsed.findings.get(0).resource();
        assertThat(first.tags()).containsExactly(entry("aws:cloudformation:stack-name", "web"),
                entry("yor_trace", "347af3cd-4f70-4632-aca3-4d5e30ffc0b6"));
        assertThat(((CloudResource) parsed.findings.get(1).resource()).tags()).hasSize(CloudResource.MAX_TAGS);
        // no tags, and tags never change the identity
        CloudResource untagged = (CloudResource) parsed.findings.get(2).resource();
        assertThat(untagged.tags()).isEmpty();
        assertThat(parsed.findings.get(0).fingerprint()).isEqualTo(parsed.findings.get(2).fingerprint());
        assertThat(parsed.rejections).extracting(r -> r.code() + " " + r.where().pointer())
                .containsExactly("ingest.wrong-type /3/Resources/0/Tags");
    }

    @Test
    void everyResourceOfAMultiResourceFindingIsAFinding() throws IOException {
        String s38 = sample("afsbp-s3.8.json");
        String two = s38.replaceFirst("\"Resources\"\\s*:\\s*\\[",
                "\"Resources\": [{\"Type\": \"AwsS3Bucket\", \"Id\": \"arn:aws:s3:::second-bucket\", \"Region\": \"eu-west-1\","
                        + " \"Tags\": {\"owner\": \"data\"}},"
                        + " {\"Type\": \"Other\"},");
        Parsed parsed = Parsed.text(parser, two);
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).hasSize(2);
        assertThat(parsed.findings.get(0).resource().key()).isEqualTo("arn:aws:s3:::second-bucket");
        assertThat(parsed.findings).extracting(Finding::sourceControlId).containsOnly("S3.8");
        assertThat(parsed.findings.get(0).fingerprint()).isNotEqualTo(parsed.findings.get(1).fingerprint());
        // each resource keeps its own tags
        assertThat(((CloudResource) parsed.findings.get(0).resource()).tags()).containsExactly(entry("owner", "data"));
        assertThat(((CloudResource) parsed.findings.get(1).resource()).tags()).doesNotContainKey("owner");
    }
}
