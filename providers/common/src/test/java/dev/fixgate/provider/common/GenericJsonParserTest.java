package dev.fixgate.provider.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParseException;
import dev.fixgate.spi.finding.ParseLimits;
import dev.fixgate.spi.finding.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GenericJsonParserTest {

    private static final Path DOCS = Path.of("../../docs");
    private final GenericJsonParser parser = new GenericJsonParser();

    private static Schema schema() throws IOException {
        String text = Files.readString(DOCS.resolve("schema/findings.schema.json"));
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
    }

    @Test
    void theDocumentedExampleIsValidAndParses() throws IOException {
        String example = Files.readString(Parsed.resource("generic/example.json"));
        assertThat(Files.readString(DOCS.resolve("findings-format.md"))).contains(example.strip());
        assertThat(schema().validate(example, InputFormat.JSON)).isEmpty();

        Parsed parsed = Parsed.text(parser, example);
        assertThat(parsed.rejections).isEmpty();
        Finding cloud = parsed.findings.get(0);
        assertThat(cloud.sourceTool()).isEqualTo("acme-scanner");
        assertThat(cloud.control()).isEqualTo(ControlId.unmapped("acme-scanner", "S3-PUBLIC-ACCESS"));
        assertThat(cloud.severity()).isEqualTo(Severity.HIGH);
        assertThat(cloud.resource().key()).isEqualTo("arn:aws:s3:::example");
        assertThat(((CloudResource) cloud.resource()).region()).isEqualTo("us-east-1");
        assertThat(cloud.lastSeen()).isEqualTo(Instant.parse("2025-03-08T10:00:00Z"));
        Finding code = parsed.findings.get(1);
        assertThat(code.resource()).isEqualTo(new CodeResource("acme/infra", "aws/s3.tf", "aws_s3_bucket.data",
                "aws_s3_bucket", 12));
        assertThat(code.firstSeen()).isEqualTo(Parsed.OBSERVED);
        assertThat(code.raw().pointer()).isEqualTo("/findings/1");
    }

    @Test
    void invalidRecordsAreRejectedWithThePointerOfTheMemberAndTheSchemaAgrees() throws IOException {
        String[] bad = {
            "{\"severity\": \"high\", \"resource\": {\"cloud\": \"aws\", \"id\": \"arn:aws:s3:::b\"}}",
            "{\"control\": \"c\", \"severity\": \"severe\", \"resource\": {\"cloud\": \"aws\", \"id\": \"arn:aws:s3:::b\"}}",
            "{\"control\": \"c\", \"severity\": \"low\"}",
            "{\"control\": \"c\", \"severity\": \"low\", \"resource\": {\"cloud\": \"mars\", \"id\": \"x\"}}",
            "{\"control\": \"c\", \"severity\": \"low\", \"code\": {\"path\": \"a.tf\", \"line\": \"3\"}}",
            "{\"control\": \"c\", \"severity\": \"low\", \"code\": {\"path\": \"a.tf\"}, \"colour\": \"red\"}",
            "{\"control\": \"c\", \"severity\": \"low\", \"code\": {\"path\": \"a.tf\"}, \"first_seen\": \"soon\"}",
            "{\"control\": 7, \"severity\": \"low\", \"code\": {\"path\": \"a.tf\"}}",
            "{\"control\": \"c\", \"severity\": \"low\", \"status\": \"fixed\", \"code\": {\"path\": \"a.tf\"}}",
        };
        String good = "{\"control\": \"c\", \"severity\": \"low\", \"code\": {\"path\": \"./a.tf\", \"line\": 3}}";
        Schema schema = schema();
        for (String record : bad) {
            String doc = "{\"schema\": \"fixgate/findings/v1\", \"tool\": \"t\", \"findings\": [" + record + "]}";
            assertThat(schema.validate(doc, InputFormat.JSON)).as(record).isNotEmpty();
        }
        String all = "{\"schema\": \"fixgate/findings/v1\", \"tool\": \"t\", \"findings\": ["
                + String.join(",\n", bad) + ",\n" + good + "]}";
        Parsed parsed = Parsed.text(parser, all);
        assertThat(parsed.rejections).extracting(r -> r.code() + " " + r.where().pointer()).containsExactly(
                "ingest.missing-field /findings/0/control",
                "ingest.severity /findings/1/severity",
                "ingest.no-resource /findings/2",
                "ingest.invalid /findings/3/resource/cloud",
                "ingest.wrong-type /findings/4/code/line",
                "ingest.unknown-member /findings/5/colour",
                "ingest.timestamp /findings/6",
                "ingest.wrong-type /findings/7/control",
                "ingest.invalid /findings/8/status");
        assertThat(parsed.rejections.get(3).where().line()).isEqualTo(4);
        assertThat(parsed.findings).singleElement().satisfies(f -> {
            assertThat(f.resource().key()).isEqualTo("code::a.tf:L3");
            assertThat(f.raw().line()).isEqualTo(10);
        });
    }

    @Test
    void documentLevelErrorsRefuseTheWholeInput() {
        assertThatThrownBy(() -> Parsed.text(parser, "{\"schema\": \"fixgate/findings/v2\", \"tool\": \"t\", \"findings\": []}"))
                .isInstanceOfSatisfying(FindingParseException.class, e -> assertThat(e.code()).isEqualTo("ingest.shape"));
        assertThatThrownBy(() -> Parsed.text(parser, "{\"findings\": [], \"schema\": \"fixgate/findings/v1\", \"tool\": \"t\"}"))
                .isInstanceOfSatisfying(FindingParseException.class, e -> assertThat(e.getMessage()).contains("before findings"));
        assertThatThrownBy(() -> Parsed.text(parser, "{\"schema\": \"fixgate/findings/v1\", \"tool\": \"Bad Tool\", \"findings\": []}"))
                .isInstanceOfSatisfying(FindingParseException.class, e -> assertThat(e.code()).isEqualTo("ingest.shape"));
        assertThatThrownBy(() -> Parsed.bytes(parser,
                "[1]".getBytes(StandardCharsets.UTF_8), ParseLimits.defaults()))
                .isInstanceOfSatisfying(FindingParseException.class, e -> assertThat(e.code()).isEqualTo("ingest.shape"));
    }
}
