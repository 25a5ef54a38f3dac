package dev.fixgate.app.assess;

import dev.fixgate.app.enrich.Observation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.plan.Planner;
import dev.fixgate.patch.model.IacModel;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.SourceFile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RciAndBlastTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final Playbook.RollbackSpec PLAIN = new Playbook.RollbackSpec("undo", false, false);
    private static final Duration MAX_AGE = Duration.ofDays(30);
    private static final Planner.Status PATCHED = Planner.Status.PATCHED;
    private final RciAssessor assessor = new RciAssessor();

    private static Map<String, Observation> seen(String kind, Object value, Instant at) {
        return Map.of(kind, new Observation("r", kind, value, at, ""));
    }

    private static Playbook.Risk risk(RciLevel dflt, List<String> actions, Playbook.EvidenceRule... rules) {
        return new Playbook.Risk(dflt, actions, false, List.of(rules));
    }

    @Test
    void aRuleThatCannotBeEvaluatedIsRisky() {
        var r = assessor.assess(risk(RciLevel.SAFE, List.of(),
                new Playbook.EvidenceRule("owner", "value > 3", RciLevel.SAFE, "x")), PLAIN, "t",
                seen("owner", "team-a", NOW), PATCHED, "", NOW, MAX_AGE);
        assertThat(r.level()).isEqualTo(RciLevel.RISKY);
        assertThat(r.reasons()).extracting(RciReason::code).contains("evidence.rule-error");
    }

    @Test
    void evidenceOlderThanMaxAgeCountsAsMissingAndCanNeverMakeAFixSafe() {
        var empty = new Playbook.EvidenceRule("s3.object_count", "value == 0", RciLevel.SAFE, "empty");
        var plain = new Playbook.EvidenceRule("s3.http_requests_90d", "value > 0", RciLevel.UNSAFE, "{value} HTTP requests");
        var fresh = assessor.assess(risk(RciLevel.RISKY, List.of(), empty), PLAIN, "t", seen("s3.object_count", 0L, NOW),
                PATCHED, "", NOW, MAX_AGE);
        var yearOld = assessor.assess(risk(RciLevel.RISKY, List.of(), empty), PLAIN, "t",
                seen("s3.object_count", 0L, NOW.minus(Duration.ofDays(365))), PATCHED, "", NOW, MAX_AGE);
        assertThat(fresh.level()).isEqualTo(RciLevel.SAFE);
        assertThat(fresh.confidence()).isEqualTo(1.0);
        assertThat(yearOld.level()).as("a year-old 'empty bucket' never makes the fix SAFE").isEqualTo(RciLevel.RISKY);
        assertThat(yearOld.confidence()).isZero();
        assertThat(yearOld.reasons()).extracting(RciReason::code).contains("evidence.stale", "playbook.default");
        assertThat(yearOld.reasons()).extracting(RciReason::message)
                .anyMatch(m -> m.contains("more than 30 days before the decision (evidence.max_age); it counts as missing"));

        // ...but old evidence of plain-HTTP clients still stops the fix: stale evidence can only make things stricter.
        var oldTraffic = assessor.assess(risk(RciLevel.RISKY, List.of(), plain), PLAIN, "t",
                seen("s3.http_requests_90d", 45L, NOW.minus(Duration.ofDays(200))), PATCHED, "", NOW, MAX_AGE);
        assertThat(oldTraffic.level()).isEqualTo(RciLevel.UNSAFE);

        // The repository's evidence.max_age decides what is old; evidence from after the decision's instant is unknown.
        assertThat(assessor.assess(risk(RciLevel.RISKY, List.of(), empty), PLAIN, "t",
                seen("s3.object_count", 0L, NOW.minus(Duration.ofHours(13))), PATCHED, "", NOW, Duration.ofHours(12))
                .level()).isEqualTo(RciLevel.RISKY);
        assertThat(assessor.assess(risk(RciLevel.RISKY, List.of(), empty), PLAIN, "t",
                seen("s3.object_count", 0L, NOW.plus(Duration.ofMinutes(1))), PATCHED, "", NOW, MAX_AGE)
                .level()).as("replayed before it was observed").isEqualTo(RciLevel.RISKY);
    }

    @Test
    void aPatchThePlanCouldNotWriteIsNeverSafe() {
        var r = assessor.assess(risk(RciLevel.SAFE, List.of()), PLAIN, "t", Map.of(), Planner.Status.CANNOT_PATCH,
                "patch.value-from-variable", NOW, MAX_AGE);
        assertThat(r.level()).isEqualTo(RciLevel.RISKY);
        assertThat(r.reasons()).extracting(RciReason::message)
                .anyMatch(m -> m.contains("cannot be written without guessing (patch.value-from-variable)"));
    }

    @Test
    void hardConstraintsAreNeverSafe() {
        var safeByEvidence = new Playbook.EvidenceRule("s3.object_count", "value == 0", RciLevel.SAFE, "empty");
        var ev = seen("s3.object_count", 0L, NOW);
        for (var c : List.of(
                new Object[] {List.of(), new Playbook.RollbackSpec("", true, false), "constraint.replace"},
                new Object[] {List.of(), new Playbook.RollbackSpec("", false, true), "constraint.data-loss"},
                new Object[] {List.of("iam"), PLAIN, "constraint.iam"},
                new Object[] {List.of("delete"), PLAIN, "constraint.delete"})) {
            @SuppressWarnings("unchecked")
            var r = assessor.assess(risk(RciLevel.SAFE, (List<String>) c[0], safeByEvidence), (Playbook.RollbackSpec) c[1],
                    "t", ev, PATCHED, "", NOW, MAX_AGE);
            assertThat(r.level()).as(c[2].toString()).isEqualTo(RciLevel.RISKY);
            assertThat(r.reasons()).extracting(RciReason::code).contains(c[2].toString());
        }
        // A network change is fine on a staging database, never SAFE on a production one.
        var net = risk(RciLevel.SAFE, List.of("network"));
        assertThat(assessor.assess(net, PLAIN, "aws_db_instance", seen("environment", "staging", NOW), PATCHED, "", NOW, MAX_AGE)
                .level()).isEqualTo(RciLevel.SAFE);
        assertThat(assessor.assess(net, PLAIN, "aws_db_instance", seen("environment", "production", NOW), PATCHED, "", NOW, MAX_AGE)
                .level()).isEqualTo(RciLevel.RISKY);
        assertThat(assessor.assess(net, PLAIN, "aws_db_parameter_group", seen("environment", "production", NOW),
                PATCHED, "", NOW, MAX_AGE).level()).isEqualTo(RciLevel.SAFE);
    }

    @Test
    void theStrictestMatchWinsAndDefaultsApplyOnlyWithoutMatches() {
        var rules = risk(RciLevel.RISKY, List.of(),
                new Playbook.EvidenceRule("s3.object_count", "value == 0", RciLevel.SAFE, "empty"),
                new Playbook.EvidenceRule("s3.http_requests_90d", "value > 0", RciLevel.UNSAFE, "{value} requests"));
        Map<String, Observation> both = Map.of(
                "s3.object_count", new Observation("r", "s3.object_count", 0L, NOW, ""),
                "s3.http_requests_90d", new Observation("r", "s3.http_requests_90d", 7L, NOW, ""));
        var r = assessor.assess(rules, PLAIN, "t", both, PATCHED, "", NOW, MAX_AGE);
        assertThat(r.level()).isEqualTo(RciLevel.UNSAFE);
        assertThat(r.reasons()).extracting(RciReason::message).contains("7 requests → UNSAFE", "empty → SAFE");
        assertThat(assessor.assess(risk(RciLevel.SAFE, List.of()), PLAIN, "t", Map.of(), PATCHED, "", NOW, MAX_AGE).confidence())
                .isEqualTo(1.0);
    }

    @Test
    void multiplicityAndLocalsMakeTheBlastRadiusALowerBound() {
        String tf = """
                variable "n" { default = 2 }
                resource "aws_security_group" "web" { name = "web" }
                resource "aws_instance" "fixed" {
                  count                  = 3
                  vpc_security_group_ids = [aws_security_group.web.id]
                }
                resource "aws_instance" "each" {
                  for_each               = toset(["a", "b"])
                  vpc_security_group_ids = [aws_security_group.web.id]
                }
                resource "aws_instance" "dynamic" {
                  count                  = var.n
                  vpc_security_group_ids = [aws_security_group.web.id]
                }
                locals { sg = aws_security_group.web.id }
                module "app" {
                  source = "./app"
                  sg     = aws_security_group.web.id
                }
                """;
        var module = IacModel.terraform(List.of(new SourceFile("main.tf", tf, IacFormat.TERRAFORM)));
        var b = BlastRadiusCalculator.compute("aws_security_group.web", module, Map.of());
        assertThat(b.resources()).isEqualTo(5); // itself, three instance blocks, the module call
        assertThat(b.instances()).isEqualTo(1 + 3 + 2 + 1);
        assertThat(b.complete()).isFalse();
        assertThat(b.references()).anyMatch(r -> r.contains("count = var.n (instances unknown)"))
                .anyMatch(r -> r.startsWith("a local value references it"))
                .anyMatch(r -> r.startsWith("module.app receives it"));
        var missing = BlastRadiusCalculator.compute("aws_s3_bucket.nope", module,
                Map.of("sg.attached_interfaces", new Observation("x", "sg.attached_interfaces", 12L, NOW, "")));
        assertThat(missing.complete()).isFalse();
        assertThat(missing.instances()).isEqualTo(12);
    }
}
