package dev.fixgate.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.ParseLimits;
import dev.fixgate.spi.finding.Severity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Resource Graph rows of microsoft.security/assessments, as the query API and {@code az graph query} return them. */
class DefenderAssessmentParserTest {

    static final String SUB = "20ff7fc3-e762-44dd-bd96-b71116dcdc23";
    static final String STORAGE = "/subscriptions/" + SUB + "/resourceGroups/myRg/providers/Microsoft.Storage/storageAccounts/stlogs";
    static final String KEY = "1c5de8e1-f68d-6a17-e0d2-ec259c42768c";

    private final DefenderAssessmentParser parser = new DefenderAssessmentParser();
    private final ControlResolver controls = (tool, id) -> tool.equals("defender") && id.equals(KEY)
            ? ControlId.canonical("azure.storage.account.https_only") : ControlId.unmapped(tool, id);

    /** A raw securityresources row, as Resource Graph returns it without a projection. */
    static String raw(String resource, String key, String status, String changed) {
        return """
                {"id": "%1$s/providers/Microsoft.Security/assessments/%2$s", "name": "%2$s",
                 "type": "microsoft.security/assessments", "subscriptionId": "%5$s", "resourceGroup": "myrg",
                 "properties": {"resourceDetails": {"Source": "Azure", "Id": "%1$s"},
                   "displayName": "Secure transfer to storage accounts should be enabled",
                   "status": {"code": "%3$s", "firstEvaluationDate": "2026-10-01T00:00:00.1234567Z",
                              "statusChangeDate": "%4$s"},
                   "metadata": {"displayName": "Secure transfer to storage accounts should be enabled",
                                "severity": "High", "assessmentType": "BuiltIn"}}}""".formatted(resource, key, status,
                changed, SUB);
    }

    private Parsed parse(String text) {
        return Parsed.stream(parser, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                Parsed.context("graph.json", controls, ParseLimits.defaults()));
    }

    @Test
    void aQueryResponseOfRawRowsOpensUnhealthyResolvesHealthyAndSaysWhyNotApplicableIsNoFinding() {
        String response = "{\"totalRecords\": 4, \"count\": 4, \"data\": ["
                + raw(STORAGE, KEY, "Unhealthy", "2026-12-01T08:00:00Z") + ","
                + raw(STORAGE.replace("stlogs", "stweb"), KEY, "Healthy", "2026-12-02T08:00:00Z") + ","
                + raw(STORAGE.replace("stlogs", "stold"), KEY, "NotApplicable", "2026-12-02T09:00:00Z") + ","
                + raw(STORAGE.replace("stlogs", "stodd"), KEY, "Pending", "2026-12-02T09:00:00Z")
                + "], \"facets\": [], \"resultTruncated\": \"false\"}";

        assertThat(parser.sniff(response.getBytes(StandardCharsets.UTF_8), "graph.json")).isEqualTo(90);
        Parsed parsed = parse(response);

        assertThat(parsed.findings).hasSize(2);
        Finding open = parsed.findings.get(0);
        assertThat(open.sourceTool()).isEqualTo("defender");
        assertThat(open.control().value()).isEqualTo("azure.storage.account.https_only");
        assertThat(open.sourceControlId()).isEqualTo(KEY);
        assertThat(open.active()).isTrue();
        assertThat(open.severity()).isEqualTo(Severity.HIGH);
        assertThat(open.firstSeen()).isEqualTo(Instant.parse("2026-10-01T00:00:00.1234567Z"));
        assertThat(open.lastSeen()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        CloudResource account = (CloudResource) open.resource();
        assertThat(account.key()).isEqualTo(STORAGE.toLowerCase(java.util.Locale.ROOT)); // ARM ids are case-insensitive
        assertThat(account.account()).isEqualTo(SUB);
        assertThat(account.type()).isEqualTo("Microsoft.Storage/storageAccounts");
        assertThat(open.raw().pointer()).isEqualTo("/data/0");
        assertThat(parsed.findings.get(1).active()).isFalse();

        assertThat(parsed.rejections).extracting(Parsed.Rejection::code)
                .containsExactly(DefenderAssessmentParser.NOT_APPLICABLE, "ingest.status");
        assertThat(parsed.rejections.get(0).reason()).contains("NotApplicable", "stold");
        assertThat(parsed.rejections.get(1).where().pointer()).isEqualTo("/data/3/properties/status/code");
        assertThat(parsed.rejections.get(1).reason()).contains("'Pending'");
    }

    @Test
    void theProjectedRowsOfThePullReadTheSameAndAnUnknownKeyStaysUnmapped() {
        String rows = """
                [{"id": "%s/providers/Microsoft.Security/assessments/bc303248-3d14-44c2-96a0-55f5c326b5fe",
                  "assessmentKey": "bc303248-3d14-44c2-96a0-55f5c326b5fe", "subscriptionId": "%s",
                  "displayName": "Management ports should be closed on your virtual machines", "statusCode": "Unhealthy",
                  "statusChangeDate": "2026-12-01T09:00:00Z", "firstEvaluationDate": "2026-12-03T00:00:00Z",
                  "resourceId": "%s", "severity": "Medium"}]""".formatted(STORAGE, SUB, STORAGE);

        assertThat(parser.sniff(rows.getBytes(StandardCharsets.UTF_8), "rows.json")).isEqualTo(90);
        Parsed parsed = parse(rows);

        assertThat(parsed.rejections).isEmpty();
        assertThat(parsed.findings).singleElement().satisfies(f -> {
            assertThat(f.control().value()).isEqualTo("unmapped:defender:bc303248-3d14-44c2-96a0-55f5c326b5fe");
            assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
            // first evaluated after the last change cannot be: first seen is the change
            assertThat(f.firstSeen()).isEqualTo(f.lastSeen()).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
        });
    }

    @Test
    void otherResourceGraphAnswersAreNotClaimed() {
        String resources = "{\"data\": [{\"id\": \"" + STORAGE + "\", \"type\": \"microsoft.storage/storageaccounts\"}]}";
        assertThat(parser.sniff(resources.getBytes(StandardCharsets.UTF_8), "graph.json")).isZero();
    }
}
