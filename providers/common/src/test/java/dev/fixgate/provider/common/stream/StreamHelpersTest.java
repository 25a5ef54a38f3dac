package dev.fixgate.provider.common.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.finding.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamHelpersTest {

    @ParameterizedTest
    @CsvSource({
        "2021-07-14T17:06:07.284Z, 2021-07-14T17:06:07.284Z",
        "2021-07-14T19:06:07+02:00, 2021-07-14T17:06:07Z",
        "2025-01-27T17:36:46.855898, 2025-01-27T17:36:46.855898Z",
        "2025-02-14 14:27:03.913874, 2025-02-14T14:27:03.913874Z",
        "2024-02-14T10:28:03.7510399Z, 2024-02-14T10:28:03.7510399Z",
        "1739539623, 2025-02-14T13:27:03Z",
        "1739539623000, 2025-02-14T13:27:03Z"})
    void timestamps(String text, String expected) {
        assertThat(Timestamps.parse(text)).contains(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"yesterday", "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z", "2025-02-01T24:00:00Z", "'   '"})
    void notTimestamps(String text) {
        assertThat(Timestamps.parse(text)).isEmpty();
    }

    @Test
    void severityScales() {
        assertThat(Severities.asffNormalized("70")).contains(Severity.HIGH);
        assertThat(Severities.asffNormalized("0")).contains(Severity.INFO);
        assertThat(Severities.asffNormalized("101")).isEmpty();
        assertThat(Severities.ocsfId("5")).contains(Severity.CRITICAL);
        assertThat(Severities.ocsfId("99")).isEmpty();
        assertThat(Severities.securitySeverity("9.8")).contains(Severity.CRITICAL);
        assertThat(Severities.securitySeverity("4.0")).contains(Severity.MEDIUM);
        assertThat(Severities.securitySeverity("high")).isEmpty();
        assertThat(Severities.label("INFORMATIONAL")).contains(Severity.INFO);
    }

    @Test
    void shapeSeesStructureNotText() {
        JsonShape schema = JsonShape.of("{\"type\": \"object\", \"required\": [\"kics_version\"], \"properties\": {\"kics_version\": {\"type\": \"string\"}}}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(schema.has("kics_version")).isFalse();
        assertThat(schema.has("properties.kics_version")).isTrue();
        JsonShape cut = JsonShape.of("[{\"class_uid\": 2004, \"finding_info\": {\"uid\": \"abc".getBytes(StandardCharsets.UTF_8));
        assertThat(cut.rootIsArray()).isTrue();
        assertThat(cut.value("[].class_uid")).contains("2004");
        assertThat(cut.has("[].finding_info")).isTrue();
        assertThat(JsonShape.of("not json".getBytes(StandardCharsets.UTF_8)).rootIsObject()).isFalse();
    }

    @Test
    void codePaths() {
        assertThat(CodePaths.normalise("file:///C:/work/repo/main.tf")).isEqualTo("C:/work/repo/main.tf");
        assertThat(CodePaths.normalise("./././a/b.tf")).isEqualTo("a/b.tf");
        assertThat(CodePaths.normalise("assets\\queries\\x.yaml")).isEqualTo("assets/queries/x.yaml");
        assertThat(CodePaths.normalise("dir%20name/100%.tf")).isEqualTo("dir%20name/100%.tf");
        assertThat(CodePaths.normalise("dir%20name/a.tf")).isEqualTo("dir name/a.tf");
    }
}
