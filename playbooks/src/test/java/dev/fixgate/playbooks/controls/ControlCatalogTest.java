package dev.fixgate.playbooks.controls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.spi.finding.ControlId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ControlCatalogTest {

    private static final Pattern CANONICAL = Pattern.compile("[a-z0-9]+(\\.[a-z0-9_]+)+");
    private final ControlCatalog catalog = ControlCatalog.builtIn();

    @Test
    void canonicalIdsAreUniqueAndFitThePattern() {
        Set<String> seen = new HashSet<>();
        assertThat(catalog.controls()).isNotEmpty().allSatisfy(c -> {
            assertThat(c.id().value()).matches(CANONICAL);
            assertThat(seen.add(c.id().value())).as("duplicate " + c.id()).isTrue();
            assertThat(c.title()).isNotBlank();
            assertThat(c.toolIds()).isNotEmpty();
        });
    }

    @Test
    void everyToolIdResolvesToItsOwnControlAndOnlyThat() {
        for (CanonicalControl c : catalog.controls()) {
            c.toolIds().forEach((tool, ids) -> ids.forEach(id -> {
                assertThat(catalog.resolve(tool, id)).as(tool + ":" + id).isEqualTo(c.id());
                assertThat(catalog.resolve(tool, id.toLowerCase(java.util.Locale.ROOT))).isEqualTo(c.id());
            }));
        }
    }

    @Test
    void unknownIdsStayUnmappedAndCanonicalIdsPassThrough() {
        assertThat(catalog.resolve("securityhub", "S3.999")).isEqualTo(ControlId.unmapped("securityhub", "S3.999"));
        assertThat(catalog.resolve("nosuchtool", "S3.8")).isEqualTo(ControlId.unmapped("nosuchtool", "S3.8"));
        assertThat(catalog.resolve("prowler", "S3.8").isMapped()).isFalse(); // ids are per tool
        assertThat(catalog.resolve("acme", "aws.s3.bucket.versioning")).isEqualTo(ControlId.canonical("aws.s3.bucket.versioning"));
    }

    @Test
    void securityHubProwlerCheckovAndKicsMeetOnTheSameControl() {
        ControlId pab = ControlId.canonical("aws.s3.bucket.public_access_block");
        assertThat(catalog.resolve("securityhub", "S3.8")).isEqualTo(pab);
        assertThat(catalog.resolve("prowler", "s3_bucket_level_public_access_block")).isEqualTo(pab);
        assertThat(catalog.resolve("checkov", "CKV_AWS_53")).isEqualTo(pab);
        assertThat(catalog.resolve("kics", "d0cc8694-fcad-43ff-ac86-32331d7e867f")).isEqualTo(pab);
        ControlId flowLogs = ControlId.canonical("aws.ec2.vpc.flow_logs");
        assertThat(catalog.resolve("securityhub", "EC2.6")).isEqualTo(flowLogs);
        assertThat(catalog.resolve("securityhub", "cis-aws-foundations-benchmark/v/1.2.0/2.9")).isEqualTo(flowLogs);
        assertThat(catalog.resolve("securityhub", "pci-dss/v/3.2.1/PCI.EC2.6")).isEqualTo(flowLogs);
    }

    /** The 52 KICS queries of the corpus (15 misconfiguration types, Terraform and CloudFormation) are all mapped. */
    @Test
    void everyKicsQueryOfTheCorpusIsMapped() throws IOException {
        Pattern idPattern = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
        List<Path> metadata;
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/kics-queries"))) {
            metadata = files.filter(f -> f.getFileName().toString().equals("metadata.json")).toList();
        }
        assertThat(metadata).hasSize(52);
        for (Path m : metadata) {
            Matcher id = idPattern.matcher(Files.readString(m));
            assertThat(id.find()).as(m.toString()).isTrue();
            assertThat(catalog.resolve("kics", id.group(1)).isMapped()).as(m + " " + id.group(1)).isTrue();
        }
    }

    @Test
    void contradictionsAreRefusedWhenLoading() {
        String twice = """
                controls:
                  - {id: aws.a.b.c, title: t, severity: low, tools: {kics: [x]}}
                  - {id: aws.a.b.d, title: t, severity: low, tools: {kics: [X]}}
                """;
        assertThatThrownBy(() -> load(twice)).isInstanceOf(CatalogException.class).hasMessageContaining("maps to both");
        String duplicate = """
                controls:
                  - {id: aws.a.b.c, title: t, severity: low, tools: {kics: [x]}}
                  - {id: aws.a.b.c, title: t, severity: low, tools: {kics: [y]}}
                """;
        assertThatThrownBy(() -> load(duplicate)).hasMessageContaining("defined twice");
        assertThatThrownBy(() -> load("controls:\n  - {id: Bad.Id, title: t, severity: low, tools: {kics: [x]}}\n"))
                .isInstanceOf(CatalogException.class);
        assertThatThrownBy(() -> load("controls:\n  - {id: aws.a.b, title: t, severity: extreme, tools: {kics: [x]}}\n"))
                .hasMessageContaining("severity");
        assertThatThrownBy(() -> load("controls:\n  - {id: aws.a.b, title: t, severity: low, tools: {securityhub: [2.9]}}\n"))
                .hasMessageContaining("quote");
        assertThatThrownBy(() -> load("controls:\n  - {id: aws.a.b, title: t, severity: low, tool: {kics: [x]}}\n"))
                .hasMessageContaining("unknown key");
        assertThatThrownBy(() -> load("controls:\n  - !!java.io.File {path: x}\n"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("YAML");
    }

    private static ControlCatalog load(String yaml) {
        return ControlCatalog.load(List.of(new ControlCatalog.Source("test.yaml",
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))));
    }
}
