package dev.fixgate.provider.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParseException;
import dev.fixgate.spi.finding.ParseLimits;
import dev.fixgate.spi.finding.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProwlerCsvParserTest {

    private final ProwlerCsvParser parser = new ProwlerCsvParser();

    private static final String HEADER = "PROVIDER;ACCOUNT_UID;REGION;FINDING_UID;CHECK_ID;CHECK_TITLE;STATUS;MUTED;"
            + "SEVERITY;RESOURCE_TYPE;RESOURCE_UID;RESOURCE_NAME;TIMESTAMP\n";

    @Test
    void prowlerExampleCsvOutput() {
        Parsed parsed = Parsed.file(parser, Parsed.resource("corpus/prowler/examples/example_output_aws.csv"));

        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).extracting(Finding::sourceControlId).containsExactly(
                "accessanalyzer_enabled", "account_maintain_current_contact_details",
                "account_maintain_different_contact_details_to_security_billing_and_operations",
                "account_security_contact_information_is_registered");
        Finding first = parsed.findings.get(0);
        assertThat(first.sourceTool()).isEqualTo("prowler");
        assertThat(first.severity()).isEqualTo(Severity.LOW);
        assertThat(first.title()).isEqualTo("Check if IAM Access Analyzer is enabled");
        assertThat(first.firstSeen()).isEqualTo(Instant.parse("2025-02-14T14:27:03.913874Z"));
        assertThat(first.raw().line()).isEqualTo(2);
        assertThat(parsed.findings.get(3).raw().line()).isEqualTo(5);
        assertThat(parsed.findings.get(3).resource().key()).isEqualTo("aws:<account_uid>:<resource_uid>:root");
    }

    @Test
    void quotedFieldsWithSeparatorsAndLineBreaks() {
        String csv = HEADER
                + "aws;123456789012;eu-west-1;f1;s3_bucket_default_encryption;\"Title; with \"\"quotes\"\"\nand a break\";"
                + "FAIL;False;medium;AwsS3Bucket;logs;logs;2025-02-14 14:27:03\n"
                + "aws;123456789012;eu-west-1;f2;s3_bucket_default_encryption;t;PASS;False;medium;AwsS3Bucket;"
                + "arn:aws:s3:::data;data;2025-02-14 14:27:03\n";
        Parsed parsed = Parsed.text(parser, csv);
        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings.get(0).title()).isEqualTo("Title; with \"quotes\"\nand a break");
        assertThat(parsed.findings.get(0).resource().key()).isEqualTo("arn:aws:s3:::logs");
        assertThat(parsed.findings.get(1).raw().line()).isEqualTo(4);
        assertThat(parsed.findings.get(1).active()).isFalse();
    }

    @Test
    void badRowsAreRejectedWithTheirLineAndTheRestKept() {
        String csv = HEADER
                + "aws;1;r;f1;c1;t;FAIL;False;medium;T;arn:aws:s3:::a;a\n"
                + "aws;1;r;f2;;t;FAIL;False;medium;T;arn:aws:s3:::a;a;2025-01-01 00:00:00\n"
                + "aws;1;r;f3;c3;t;FAIL;False;extreme;T;arn:aws:s3:::a;a;2025-01-01 00:00:00\n"
                + "\n"
                + "aws;1;r;f4;c4;t;FAIL;True;high;T;arn:aws:s3:::a;a;2025-01-01 00:00:00\n";
        Parsed parsed = Parsed.text(parser, csv);
        assertThat(parsed.rejections).extracting(r -> r.code() + "@" + r.where().line()).containsExactly(
                "ingest.csv-columns@2", "ingest.no-control@3", "ingest.severity@4");
        assertThat(parsed.findings).singleElement().satisfies(f -> {
            assertThat(f.sourceControlId()).isEqualTo("c4");
            assertThat(f.active()).isFalse(); // muted
            assertThat(f.raw().line()).isEqualTo(6);
        });
    }

    @Test
    void wholeInputFailures() {
        assertThatThrownBy(() -> Parsed.text(parser, HEADER + "aws;\"unterminated"))
                .isInstanceOfSatisfying(FindingParseException.class, e -> assertThat(e.code()).isEqualTo("ingest.truncated"));
        byte[] latin1 = (HEADER + "aws;1;r;f;c;Caf\u00e9;FAIL;False;low;T;x;x;\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> Parsed.bytes(parser, latin1, ParseLimits.defaults()))
                .isInstanceOfSatisfying(FindingParseException.class, e -> {
                    assertThat(e.code()).isEqualTo("ingest.encoding");
                    assertThat(e.location().orElseThrow().line()).isEqualTo(2);
                });
        assertThatThrownBy(() -> Parsed.bytes(parser, (HEADER + "aws;" + "x".repeat(200) + "\n").getBytes(StandardCharsets.UTF_8),
                new ParseLimits(100, 64, 10_000)))
                .isInstanceOfSatisfying(FindingParseException.class, e -> assertThat(e.code()).isEqualTo("ingest.limit"));
        assertThatThrownBy(() -> Parsed.bytes(parser, (HEADER + "x;".repeat(600)).getBytes(StandardCharsets.UTF_8),
                new ParseLimits(100, 64, 1_000)))
                .isInstanceOfSatisfying(FindingParseException.class, e -> assertThat(e.code()).isEqualTo("ingest.limit"));
        assertThatThrownBy(() -> Parsed.text(parser, "A;B\n1;2\n"))
                .isInstanceOfSatisfying(FindingParseException.class, e -> assertThat(e.code()).isEqualTo("ingest.shape"));
        assertThatThrownBy(() -> Parsed.text(parser, ""))
                .isInstanceOfSatisfying(FindingParseException.class, e -> assertThat(e.code()).isEqualTo("ingest.empty"));
    }
}
