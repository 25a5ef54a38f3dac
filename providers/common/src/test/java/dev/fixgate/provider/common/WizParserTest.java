package dev.fixgate.provider.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Severity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Against fixtures constructed from public API clients' queries (see src/test/resources/wiz/README.md). */
class WizParserTest {

    private final WizParser parser = new WizParser();

    @Test
    void configurationFindings() {
        Parsed parsed = Parsed.file(parser, Parsed.resource("wiz/configuration-findings.json"));
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).hasSize(2);

        Finding s3 = parsed.findings.get(0);
        assertThat(s3.sourceTool()).isEqualTo("wiz");
        assertThat(s3.sourceControlId()).isEqualTo("a4a2b3a4-0c6e-4c53-9b7d-2d1e0f5c6b70");
        assertThat(s3.title()).isEqualTo("S3 Bucket should block public access");
        assertThat(s3.severity()).isEqualTo(Severity.HIGH);
        assertThat(s3.active()).isTrue();
        assertThat(s3.firstSeen()).isEqualTo(Instant.parse("2025-03-02T08:15:00Z"));
        assertThat(s3.lastSeen()).isEqualTo(Instant.parse("2025-03-09T08:15:00Z"));
        CloudResource bucket = (CloudResource) s3.resource();
        assertThat(bucket.key()).isEqualTo("arn:aws:s3:::example");
        assertThat(bucket.account()).isEqualTo("111111111111");
        assertThat(s3.raw().pointer()).isEqualTo("/data/configurationFindings/nodes/0");

        Finding azure = parsed.findings.get(1);
        assertThat(azure.active()).isFalse();
        CloudResource storage = (CloudResource) azure.resource();
        assertThat(storage.cloud()).isEqualTo(Cloud.AZURE);
        assertThat(storage.account()).isEqualTo("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0");
        assertThat(storage.key()).isEqualTo("/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/resourcegroups/"
                + "rg-logs/providers/microsoft.storage/storageaccounts/stlogs01");
    }

    @Test
    void issuesPagesAsJsonLinesWithGraphQlErrors() {
        Parsed parsed = Parsed.file(parser, Parsed.resource("wiz/issues-with-errors.jsonl"));
        assertThat(parsed.findings).hasSize(2);
        Finding vm = parsed.findings.get(0);
        assertThat(vm.sourceControlId()).isEqualTo("wc-id-1234");
        assertThat(vm.severity()).isEqualTo(Severity.CRITICAL);
        CloudResource instance = (CloudResource) vm.resource();
        assertThat(instance.cloud()).isEqualTo(Cloud.GCP);
        assertThat(instance.account()).isEqualTo("shop-prod");
        assertThat(instance.key()).isEqualTo("//compute.googleapis.com/projects/shop-prod/zones/europe-west1-b/instances/web-1");
        assertThat(vm.raw().pointer()).isEqualTo("/data/issuesV2/nodes/0");
        assertThat(vm.raw().line()).isEqualTo(1);

        Finding volume = parsed.findings.get(1);
        assertThat(volume.active()).isFalse();
        assertThat(volume.severity()).isEqualTo(Severity.INFO);
        assertThat(volume.sourceControlId()).isEqualTo("wc-id-99");
        assertThat(volume.raw().line()).isEqualTo(2);

        assertThat(parsed.rejections).extracting(r -> r.code() + " " + r.where().pointer()).containsExactly(
                "ingest.no-control /data/issues/nodes/1/sourceRule",
                "ingest.source-error /errors/0");
    }

    @Test
    void aWebhookPayloadIsOneIssue() throws Exception {
        byte[] head = java.nio.file.Files.readAllBytes(Parsed.resource("wiz/webhook-issue.json"));
        assertThat(parser.sniff(head, "hook.json")).isPositive();
        Finding f = Parsed.file(parser, Parsed.resource("wiz/webhook-issue.json")).only();
        assertThat(f.sourceControlId()).isEqualTo("wc-id-1771");
        assertThat(f.title()).isEqualTo("S3 Bucket should block public access");
        assertThat(f.severity()).isEqualTo(Severity.HIGH);
        assertThat(f.active()).isTrue();
        assertThat(f.sourceId()).isEqualTo("3d1f0e2a-77b1-4d2c-a4a5-2f3e4d5c6b7a");
        assertThat(f.firstSeen()).isEqualTo(Instant.parse("2025-04-01T09:30:00Z"));
        CloudResource bucket = (CloudResource) f.resource();
        assertThat(bucket.key()).isEqualTo("arn:aws:s3:::payments-logs");
        assertThat(bucket.account()).isEqualTo("222222222222");
    }

    @Test
    void singleNodesAsJsonLinesAndAsAnArray() throws Exception {
        byte[] head = java.nio.file.Files.readAllBytes(Parsed.resource("wiz/nodes.jsonl"));
        assertThat(parser.sniff(head, "nodes.jsonl")).isPositive();
        Parsed parsed = Parsed.file(parser, Parsed.resource("wiz/nodes.jsonl"));
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).extracting(Finding::sourceControlId)
                .containsExactly("a1b2c3d4-0000-4000-8000-000000000001", "wc-id-55");
        assertThat(((CloudResource) parsed.findings.get(1).resource()).cloud()).isEqualTo(Cloud.AZURE);
        assertThat(parsed.findings.get(1).raw().line()).isEqualTo(2);

        String array = "[" + String.join(",", new String(head, java.nio.charset.StandardCharsets.UTF_8).strip().split("\n")) + "]";
        assertThat(parser.sniff(array.getBytes(java.nio.charset.StandardCharsets.UTF_8), "a.json")).isPositive();
        Parsed fromArray = Parsed.text(parser, array);
        assertThat(fromArray.rejections).isEmpty();
        assertThat(fromArray.findings).hasSize(2);
        assertThat(fromArray.findings.get(1).raw().pointer()).isEqualTo("/1");
    }

    @Test
    void anObjectOfNoKnownShapeIsRejectedSayingWhatItHas() {
        Parsed parsed = Parsed.text(parser, "{\"hello\": 1, \"world\": {}}");
        assertThat(parsed.findings).isEmpty();
        assertThat(parsed.rejections).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo("ingest.shape");
            assertThat(r.reason()).contains("hello, world");
        });
        Parsed noConnection = Parsed.text(parser, "{\"data\": {\"cloudResources\": {\"nodes\": []}}}");
        assertThat(noConnection.rejections).singleElement().satisfies(r -> assertThat(r.reason())
                .contains("no configurationFindings, issues or issuesV2 connection"));
    }

    @Test
    void ocsfIsNotClaimed() {
        assertThat(parser.sniff("{\"class_uid\": 2003, \"rule\": {\"id\": \"x\"}, \"resource\": {}, \"result\": 1}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "o.json")).isZero();
    }
}
