package dev.fixgate.app.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.assess.RciReason;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PullRequestContentTest {

    private static final String KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String TOKEN = "ghp_Zx8Qw2Lp5Rt7Yu1Io3Pa6Sd9Fg4Hj0Kl2Mn7";

    static FixProposal proposal(GateDecision decision, Rci rci) {
        return new FixProposal("acme/infra", 1, "init-1", "aws.s3.bucket.versioning", "high",
                List.of(new FixProposal.FindingSummary("0123456789abcdef0123", "prowler",
                        "Bucket exposes key " + KEY + " and <script>alert(1)</script>", 3, Instant.parse("2026-01-01T00:00:00Z"))),
                List.of("main.tf:aws_s3_bucket.data"), Map.of("main.tf", "new\n"),
                "--- a/main.tf\n+++ b/main.tf\n@@ -1 +1 @@\n-token = \"" + TOKEN + "\"\n+new\n", rci,
                new FixProposal.Blast("resource", List.of("aws_s3_bucket.data"), List.of("one bucket")),
                List.of(FixProposal.LayerDecision.of(decision)), "Suspend versioning.",
                Map.of("cis-aws", List.of("2.1.3")), List.of("password=hunter2hunter2"), List.of(41L),
                List.of(new FixProposal.EngineVerdict(GateLayer.POLICY, "cel", "needs_approval", List.of("acme.no-friday"),
                        List.of("no merges on Fridays " + KEY))));
    }

    @Test
    void aProposalSurvivesTheDeliveryJobsJson() throws Exception {
        FixProposal p = proposal(new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("risky"), 2, List.of("@acme/ops")),
                Rci.initial());
        assertThat(FixProposal.fromJson(p.toJson())).isEqualTo(p);
        assertThat(FixProposal.fromJson(p.toJson()).planHash()).isEqualTo(p.planHash());
    }

    @Test
    void secretsFromFindingsNeverReachTheBodyTitleOrIssue() {
        FixProposal p = proposal(new GateDecision.Allow(GateLayer.POLICY, List.of("ok")), Rci.initial());
        PullRequestContent c = PullRequestContent.of(p);
        String issue = PullRequestContent.issueBody(p, List.of());

        for (String text : List.of(c.body(), c.title(), c.commitMessage(), issue)) {
            assertThat(text).doesNotContain(KEY, TOKEN, "hunter2hunter2", "<script>");
        }
        assertThat(c.body()).contains("[REDACTED:aws-access-key-id]", "-token = \"[REDACTED:");
    }

    @Test
    void branchLabelsTrailersAndSections() {
        Rci rci = Rci.initial().with(new RciReason("assess", "in-use", "served traffic", RciLevel.RISKY), 0.7);
        FixProposal p = proposal(new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("in use"), 1, List.of("bob")), rci);
        PullRequestContent c = PullRequestContent.of(p);

        assertThat(c.branch()).isEqualTo("fixgate/aws.s3.bucket.versioning/0123456789ab");
        assertThat(c.labels()).containsExactly("fixgate", "rci:risky", "severity:high");
        assertThat(c.commitMessage()).contains("Fixgate-Initiative: init-1", "Fixgate-Control: aws.s3.bucket.versioning",
                "Fixgate-RCI: RISKY", "Fixgate-Findings: 0123456789abcdef0123");
        assertThat(c.body()).contains("## What was found", "1 finding(s), 3 sighting(s) from prowler, first seen 2026-01-01",
                "## Resources", "+1 −1", "<details><summary>Diff</summary>", "## Risk of change: RISKY", "served traffic",
                "## Blast radius", "## Gate decision: needs approval", "| approval |", "## Rollback", "Suspend versioning.",
                "cis-aws: 2.1.3", "<details><summary>Evidence</summary>");
        assertThat(PullRequestContent.checkOutput(p)[1]).contains("bob");
    }

    @Test
    void theDecisionRoundTripsThroughTheJobPayloadAndTheCheckRun() throws Exception {
        GateDecision d = new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("x"), 2, List.of("a", "b"));
        FixProposal p = proposal(d, Rci.initial());
        assertThat(FixProposal.fromJson(p.toJson())).isEqualTo(p);
        assertThat(SafetyCheck.decision(SafetyCheck.externalId(d))).hasValueSatisfying(back ->
                assertThat(back).isInstanceOfSatisfying(GateDecision.NeedsApproval.class, n -> {
                    assertThat(n.approvals()).isEqualTo(2);
                    assertThat(n.approvers()).containsExactly("a", "b");
                }));
        assertThat(SafetyCheck.decision("something else")).isEmpty();
    }

    @Test
    void codeownersLastMatchWins() {
        CodeownersFile co = CodeownersFile.parse("# owners\n* @everyone\n*.tf @alice @acme/infra\n/modules/ @bob\n");
        assertThat(co.userOwners("main.tf")).containsExactly("alice");
        assertThat(co.userOwners("modules/s3/main.tf")).containsExactly("bob");
        assertThat(co.userOwners("README.md")).containsExactly("everyone");
    }

    @Test
    void theRciHistoryShowsEachChangeAndSurvivesTheJobsJson() throws Exception {
        FixProposal p = proposal(new GateDecision.Deny(GateLayer.POLICY, List.of("RCI is UNSAFE")), Rci.initial())
                .withRciHistory(List.of(
                        new FixProposal.RciStep(Instant.parse("2026-12-01T10:00:00Z"), dev.fixgate.spi.assess.RciLevel.SAFE,
                                1.0, "resource (1)", List.of("arn:aws:s3:::data: s3.http_requests_90d = 0")),
                        new FixProposal.RciStep(Instant.parse("2026-12-02T10:00:00Z"),
                                dev.fixgate.spi.assess.RciLevel.UNSAFE, 1.0, "resource (1)",
                                List.of("arn:aws:s3:::data: s3.http_requests_90d = 45 | " + KEY))));
        assertThat(FixProposal.fromJson(p.toJson())).isEqualTo(p);
        String body = PullRequestContent.of(p).body();
        assertThat(body).contains("### RCI history")
                .contains("| 2026-12-01T10:00:00Z | **SAFE** | 1.0 | resource (1) | arn:aws:s3:::data: s3.http_requests_90d = 0 |")
                .contains("| 2026-12-02T10:00:00Z | **UNSAFE** |")
                .contains("s3.http_requests_90d = 45 \\| ")
                .doesNotContain(KEY);
        // one assessment is no history
        assertThat(PullRequestContent.of(p.withRciHistory(p.rciHistory().subList(0, 1))).body())
                .doesNotContain("RCI history");
        assertThat(PullRequestContent.superseded(p, true, "#12")).contains("no longer proposes this fix automatically")
                .contains("owners are asked to decide in #12").contains("- RCI is UNSAFE")
                .endsWith("Closing this pull request.\n");
    }
}
