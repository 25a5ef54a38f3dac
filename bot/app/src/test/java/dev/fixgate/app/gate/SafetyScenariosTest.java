package dev.fixgate.app.gate;

import static dev.fixgate.app.gate.Cases.NOW;
import static dev.fixgate.app.gate.Cases.seen;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.enrich.EvidenceIndex;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.patch.model.IacModel;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.SourceFile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scenarios the issue names, end to end through assess and the three gates (built-in policies, no model). */
class SafetyScenariosTest {

    private final RemediationSafety safety = Gates.builtIn();

    private static List<String> policies(RemediationSafety.ResourceDecision d) {
        return d.gate().layers().stream().flatMap(v -> v.hits().stream()).map(h -> h.policyId()).toList();
    }

    private static List<String> reasons(RemediationSafety.ResourceDecision d) {
        return d.rci().reasons().stream().map(RciReason::message).toList();
    }

    @Test
    void seedThreeBucketsWithTheSameFindingComeOutThreeWays() {
        var empty = Cases.decide(safety, Cases.bucket("empty-unused", List.of(
                seen("arn:aws:s3:::empty-unused", "s3.object_count", 0L)), Cases.autonomous(), NOW));
        var https = Cases.decide(safety, Cases.bucket("all-https", List.of(
                seen("all-https", "s3.http_requests_90d", 0L),
                seen("all-https", "s3.https_requests_90d", 12_840L),
                seen("all-https", "s3.object_count", 5_120L)), Cases.autonomous(), NOW));
        var plain = Cases.decide(safety, Cases.bucket("legacy-http", List.of(
                new dev.fixgate.app.enrich.Observation("arn:aws:s3:::legacy-http", "s3.http_requests_90d", 45L,
                        Cases.OBSERVED, "CloudTrail data events"),
                seen("arn:aws:s3:::legacy-http", "s3.object_count", 310L)), Cases.autonomous(), NOW));

        assertThat(empty.rci().level()).isEqualTo(RciLevel.SAFE);
        assertThat(empty.rci().confidence()).isEqualTo(0.5); // one of the two kinds the playbook names was observed
        assertThat(reasons(empty)).contains("the bucket is empty: no client can depend on it → SAFE",
                "no s3.http_requests_90d evidence was observed");
        assertThat(empty.gate().action()).isEqualTo(Action.AUTOMERGE);

        assertThat(https.rci().level()).isEqualTo(RciLevel.SAFE);
        assertThat(https.rci().confidence()).isEqualTo(1.0);
        assertThat(https.gate().action()).isEqualTo(Action.AUTOMERGE);

        assertThat(plain.rci().level()).isEqualTo(RciLevel.UNSAFE);
        assertThat(reasons(plain)).contains(
                "45 plain-HTTP requests in 90 days would start failing (CloudTrail data events) → UNSAFE");
        assertThat(plain.gate().decision()).isInstanceOf(GateDecision.Deny.class);
        assertThat(plain.gate().action()).isEqualTo(Action.ROUTE_TO_OWNER);

        // One initiative, split by outcome: SAFE resources in one PR, UNSAFE ones to an issue.
        assertThat(RemediationSafety.split(List.of(empty, https, plain)))
                .containsOnlyKeys(Action.AUTOMERGE, Action.ROUTE_TO_OWNER)
                .satisfies(m -> assertThat(m.get(Action.AUTOMERGE)).hasSize(2));
    }

    @Test
    void missingEvidenceKeepsTheDefault() {
        var none = Cases.decide(safety, Cases.bucket("unknown", List.of(), Cases.autonomous(), NOW));
        assertThat(none.rci().level()).isEqualTo(RciLevel.RISKY);
        assertThat(none.rci().confidence()).isZero();
        assertThat(none.gate().decision()).isInstanceOf(GateDecision.NeedsApproval.class);
        assertThat(((GateDecision.NeedsApproval) none.gate().decision()).approvers()).containsExactly("@acme/platform");
        assertThat(none.gate().action()).isEqualTo(Action.AWAIT_APPROVAL);
    }

    @Test
    void changeWindowDefersTheMergeAndOpensAgainInside() {
        var config = Cases.config("""
                mode: autonomous
                change_windows:
                  - {days: [mon, tue, wed, thu], start: "09:00", end: "17:00", timezone: Europe/Berlin}
                """);
        var evidence = List.of(seen("b", "s3.object_count", 0L));
        Instant saturday = Instant.parse("2026-11-21T12:00:00Z");
        Instant wednesdayEvening = Instant.parse("2026-11-18T16:30:00Z"); // 17:30 in Berlin
        var outside = Cases.decide(safety, Cases.bucket("b", evidence, config, saturday));
        assertThat(outside.gate().decision()).isInstanceOf(GateDecision.Deny.class);
        assertThat(policies(outside)).containsExactly("change-window");
        assertThat(outside.gate().action()).isEqualTo(Action.RECORD_ONLY);
        assertThat(Cases.decide(safety, Cases.bucket("b", evidence, config, wednesdayEvening)).gate().action())
                .isEqualTo(Action.RECORD_ONLY);
        assertThat(Cases.decide(safety, Cases.bucket("b", evidence, config, NOW)).gate().action()).isEqualTo(Action.AUTOMERGE);
    }

    @Test
    void exclusionTagLeavesTheResourceAlone() {
        var tagged = Cases.decide(safety, Cases.bucket("b", List.of(seen("b", "s3.object_count", 0L),
                seen("b", "tags", Map.of("fixgate:exclude", "true"))), Cases.autonomous(), NOW));
        assertThat(tagged.gate().decision()).isInstanceOf(GateDecision.Deny.class);
        assertThat(policies(tagged)).containsExactly("excluded-resource");
        assertThat(tagged.gate().action()).isEqualTo(Action.RECORD_ONLY);

        var byConfig = Cases.config("mode: autonomous\nexclusions: {tags: [\"team=legacy\"], resources: [\"arn:aws:s3:::old-*\"]}\n");
        assertThat(Cases.decide(safety, Cases.bucket("b", List.of(seen("b", "s3.object_count", 0L),
                seen("b", "tags", Map.of("team", "legacy"))), byConfig, NOW)).gate().action()).isEqualTo(Action.RECORD_ONLY);
        assertThat(Cases.decide(safety, Cases.bucket("old-logs", List.of(seen("old-logs", "s3.object_count", 0L)), byConfig, NOW))
                .input().resource().excludedBy()).containsExactly("resources: arn:aws:s3:::old-*");
        // Excluded and UNSAFE: still left alone (the quieter action wins).
        assertThat(Cases.decide(safety, Cases.bucket("old-web", List.of(seen("old-web", "s3.http_requests_90d", 3L)), byConfig, NOW))
                .gate().action()).isEqualTo(Action.RECORD_ONLY);
    }

    @Test
    void productionDatabaseSecurityGroupIsNeverSafeAndNeedsApproval() {
        String id = "sg-0db1234567890abcd";
        var sg = new Cases.Case(Cases.INITIATIVE,
                Cases.finding(Cases.SG, "arn:aws:ec2:eu-west-1:111122223333:security-group/" + id, "SG allows 0.0.0.0/0 on 5432"),
                Cases.sgPlaybook(), id, "aws_security_group", "aws_security_group.db", "db.tf",
                List.of(Cases.single("aws_security_group.db")), Planner.Status.PATCHED, "", "diff",
                new EvidenceIndex(List.of(seen(id, "environment", "production"),
                        seen(id, "sg.attached_interfaces", List.of(Map.of("id", "eni-1", "description", "RDSNetworkInterface"),
                                Map.of("id", "eni-2", "description", "RDSNetworkInterface"))))),
                "111122223333", Cases.autonomous(), NOW);
        var d = Cases.decide(safety, sg);
        assertThat(d.rci().level()).isEqualTo(RciLevel.RISKY);
        assertThat(reasons(d)).contains("the change restricts the network of a production database → never SAFE");
        assertThat(d.blastRadius().instances()).isEqualTo(2);
        assertThat(d.gate().decision()).isInstanceOf(GateDecision.NeedsApproval.class);
        assertThat(policies(d)).contains("rci-risky", "production-approval");
        assertThat(d.gate().action()).isEqualTo(Action.AWAIT_APPROVAL);
    }

    @Test
    void blastRadiusOverTheLimitNeedsApproval() {
        String tf = """
                resource "aws_s3_bucket" "shared" {
                  bucket = "shared-assets"
                }
                resource "aws_s3_bucket_policy" "shared" {
                  bucket = aws_s3_bucket.shared.id
                  policy = "{}"
                }
                resource "aws_cloudfront_distribution" "cdn" {
                  count = 12
                  origin { domain_name = aws_s3_bucket.shared.bucket_regional_domain_name }
                }
                output "bucket" { value = aws_s3_bucket.shared.arn }
                """;
        List<ModelResource> module = IacModel.terraform(List.of(new SourceFile("main.tf", tf, IacFormat.TERRAFORM)));
        var config = Cases.config("mode: autonomous\nblast_radius: {max_resources: 10, max_instances: 10}\n");
        var c = new Cases.Case(Cases.INITIATIVE, Cases.finding(Cases.TLS, "arn:aws:s3:::shared-assets", "t"),
                Cases.tlsPlaybook(), "arn:aws:s3:::shared-assets", "aws_s3_bucket", "aws_s3_bucket.shared", "main.tf",
                module, Planner.Status.PATCHED, "", "diff", new EvidenceIndex(List.of(seen("shared-assets", "s3.object_count", 0L))),
                "111122223333", config, NOW);
        var d = Cases.decide(safety, c);
        assertThat(d.rci().level()).isEqualTo(RciLevel.SAFE);
        assertThat(d.blastRadius().resources()).isEqualTo(3);
        assertThat(d.blastRadius().instances()).isEqualTo(14);
        assertThat(d.blastRadius().references()).anyMatch(r -> r.startsWith("aws_cloudfront_distribution.cdn references it"))
                .anyMatch(r -> r.startsWith("output.bucket exposes it"));
        assertThat(policies(d)).containsExactly("blast-radius-limit");
        assertThat(d.gate().action()).isEqualTo(Action.AWAIT_APPROVAL);
    }

    @Test
    void aValueFromAnUnresolvedVariableIsNeverSafeAndGoesToTheOwners() {
        var c = Cases.bucket("b", List.of(seen("b", "s3.object_count", 0L)), Cases.autonomous(), NOW);
        var refused = c.withPatch(Planner.Status.CANNOT_PATCH, "patch.value-from-variable");
        var d = Cases.decide(safety, refused);
        assertThat(d.rci().level()).isEqualTo(RciLevel.RISKY);
        assertThat(policies(d)).contains("patch-not-written");
        assertThat(d.gate().action()).isEqualTo(Action.ROUTE_TO_OWNER);
    }

    @Test
    void incidentsAndFreezesFromContext() {
        var config = Cases.config("""
                mode: autonomous
                blackouts: [{name: year-end freeze, from: 2026-12-20T00:00:00Z, to: 2027-01-04T00:00:00Z}]
                high_traffic_events: [{name: black friday, from: "2026-11-27T00:00:00Z", to: "2026-11-30T00:00:00Z"}]
                """);
        var ev = List.of(seen("b", "s3.object_count", 0L));
        assertThat(Cases.decide(safety, Cases.bucket("b", ev, config, Instant.parse("2026-12-24T12:00:00Z"))).gate().action())
                .isEqualTo(Action.RECORD_ONLY);
        assertThat(Cases.decide(safety, Cases.bucket("b", ev, config, Instant.parse("2026-11-28T12:00:00Z"))).gate().action())
                .isEqualTo(Action.AWAIT_APPROVAL);
        var accountIncident = List.of(seen("b", "s3.object_count", 0L), seen("111122223333", "incident.active", true));
        assertThat(Cases.decide(safety, Cases.bucket("b", accountIncident, config, NOW)).gate().action())
                .isEqualTo(Action.AWAIT_APPROVAL);
        var resourceIncident = List.of(seen("b", "s3.object_count", 0L), seen("b", "incident.active", true));
        assertThat(Cases.decide(safety, Cases.bucket("b", resourceIncident, config, NOW)).gate().action())
                .isEqualTo(Action.RECORD_ONLY);
    }

    @Test
    void modesShapeTheAction() {
        var ev = List.of(seen("b", "s3.object_count", 0L));
        assertThat(Cases.decide(safety, Cases.bucket("b", ev, Cases.config("mode: detect\n"), NOW)).gate().action())
                .isEqualTo(Action.RECORD_ONLY);
        assertThat(Cases.decide(safety, Cases.bucket("b", ev, Cases.config("mode: assist\n"), NOW)).gate().action())
                .isEqualTo(Action.AWAIT_APPROVAL);
        var supervised = Cases.decide(safety, Cases.bucket("b", ev, Cases.config("mode: supervised\n"), NOW));
        assertThat(supervised.gate().decision()).isInstanceOf(GateDecision.NeedsApproval.class);
        assertThat(Cases.decide(safety, Cases.bucket("b", ev, Cases.config("mode: autonomous\nautomerge: {enabled: false}\n"), NOW))
                .gate().action()).isEqualTo(Action.AWAIT_APPROVAL);
    }
}
