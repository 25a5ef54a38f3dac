package dev.fixgate.app.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.spi.error.FixgateException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvidenceFileTest {

    @Test
    void valuesKeepTheirJsonTypes() {
        var c = EvidenceFile.parse("e.json", """
                {"evidence": [
                  {"resource": "arn:aws:s3:::b", "kind": "s3.object_count", "value": 0, "observedAt": "2026-11-20T08:00:00Z"},
                  {"resource": "b", "kind": "incident.active", "value": true, "observedAt": "2026-11-20T08:00:00Z"},
                  {"resource": "b", "kind": "tags", "value": {"team": "x"}, "observedAt": "2026-11-20T08:00:00Z"},
                  {"resource": "sg-1", "kind": "sg.attached_interfaces", "value": [{"id": "eni-1"}], "observedAt": "2026-11-20T08:00:00Z"},
                  {"resource": "b", "kind": "environment", "value": "production", "observedAt": "2026-11-20T08:00:00Z", "source": "tag"}
                ]}""", Set.of());
        assertThat(c.problems()).isEmpty();
        assertThat(c.observations()).extracting(Observation::value)
                .containsExactly(0L, true, Map.of("team", "x"), List.of(Map.of("id", "eni-1")), "production");
        assertThat(c.observations().getLast().source()).isEqualTo("tag");
    }

    @Test
    void badEntriesAreReportedAndLeftOut() {
        var c = EvidenceFile.parse("e.json", """
                {"evidence": [
                  {"resource": "b", "kind": "s3.object_count", "value": -1, "observedAt": "2026-11-20T08:00:00Z"},
                  {"resource": "b", "kind": "s3.object_count", "value": 1.5, "observedAt": "2026-11-20T08:00:00Z"},
                  {"resource": "b", "kind": "environment", "value": "prod", "observedAt": "2026-11-20T08:00:00Z"},
                  {"resource": "b", "kind": "no.such_kind", "value": 1, "observedAt": "2026-11-20T08:00:00Z"},
                  {"resource": "b", "kind": "s3.public_requests_30d", "value": 3, "observedAt": "2026-11-20T08:00:00Z"},
                  {"resource": "b", "kind": "s3.object_count", "value": 3, "observedAt": "yesterday"},
                  {"resource": "b", "kind": "s3.object_count", "value": null, "observedAt": "2026-11-20T08:00:00Z"},
                  {"kind": "s3.object_count", "value": 3}
                ]}""", Set.of("s3.public_requests_30d"));
        assertThat(c.observations()).extracting(Observation::kind).containsExactly("s3.public_requests_30d");
        assertThat(c.problems()).hasSize(7).allMatch(p -> p.startsWith("e.json#/evidence/"));
        assertThat(c.problems().get(3)).contains("unknown kind 'no.such_kind'");
    }

    @Test
    void notTheRightShapeIsAnError() {
        assertThatThrownBy(() -> EvidenceFile.parse("e.json", "[]", Set.of())).isInstanceOf(FixgateException.class)
                .hasMessageContaining("expected {\"evidence\": [...]}");
        assertThatThrownBy(() -> EvidenceFile.parse("e.json", "{", Set.of())).isInstanceOf(FixgateException.class);
    }

    @Test
    void aBucketIsFoundByArnAndByName() {
        var index = new EvidenceIndex(EvidenceFile.parse("e.json", """
                {"evidence": [
                  {"resource": "logs", "kind": "s3.object_count", "value": 4, "observedAt": "2026-11-19T08:00:00Z"},
                  {"resource": "arn:aws:s3:::logs", "kind": "s3.object_count", "value": 0, "observedAt": "2026-11-20T08:00:00Z"}
                ]}""", Set.of()).observations());
        assertThat(index.latest(Set.of("arn:aws:s3:::logs"), "s3.object_count")).map(Observation::value).contains(0L);
        assertThat(index.latest(Set.of("logs"), "s3.object_count")).map(Observation::value).contains(0L);
        assertThat(index.latest(Set.of("other"), "s3.object_count")).isEmpty();
    }
}
