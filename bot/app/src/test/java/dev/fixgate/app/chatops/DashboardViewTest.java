package dev.fixgate.app.chatops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DashboardViewTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static RemediationStore.Remediation pr(int n, String control, GateDecision d) {
        FixProposal p = new FixProposal("acme/infra", 1, "init" + n, control, "high", List.of(), List.of("main.tf:aws_s3_bucket.b" + n),
                Map.of("main.tf", "x"), "", Rci.initial(), null, List.of(FixProposal.LayerDecision.of(d)), "", Map.of(),
                List.of(), List.of(), List.of());
        return new RemediationStore.Remediation(n, new InitiativeId("init" + n), RemediationStore.Status.DELIVERED, "pb",
                RciLevel.RISKY, 0.5, "acme/infra", "fixgate/x/" + n, OptionalInt.of(n), OptionalInt.empty(), Optional.empty(),
                p.toJson(), NOW, NOW, Optional.of(NOW), Optional.empty());
    }

    @Test
    void sectionsBoxesAndWhatATickAsksFor() {
        var needs = new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("risky"), 1, List.of());
        var hold = new ChatOpsStore.Hold(7, "acme/infra", new InitiativeId("init9"), ChatOpsStore.HoldKind.IGNORE, "",
                "legacy @team", "alice", NOW, Optional.empty(), Optional.empty());
        String body = DashboardView.render(new DashboardView.Data("acme/infra", List.of(pr(12, "aws.s3.bucket.versioning", needs),
                pr(13, "aws.s3.bucket.versioning", new GateDecision.Allow(GateLayer.POLICY, List.of()))), List.of(hold),
                List.of(new ChatOpsStore.Note("acme/infra", new InitiativeId("init5"), ChatOpsStore.NoteKind.PROBLEM, "boom", NOW)),
                NOW), 20_000, "fixgate dashboard --repo acme/infra");

        assertThat(body).startsWith(DashboardView.MARKER).contains("## Awaiting approval (1)", "## Awaiting checks (1)",
                "## Snoozed or ignored (1)", "## Errors (1)", "- [ ] <!-- fixgate:approve:12 --> #12", "<!-- fixgate:lift:7 -->",
                "<!-- fixgate:retry:init5 -->");
        assertThat(body).doesNotContain("@team").as("no mentions from stored text");

        String ticked = body.replace("- [ ] <!-- fixgate:approve:12 -->", "- [x] <!-- fixgate:approve:12 -->")
                .replace("- [ ] <!-- fixgate:lift:7 -->", "- [X] <!-- fixgate:lift:7 -->");
        assertThat(DashboardView.ticked(body, ticked)).containsExactly(new DashboardView.Action("approve", "12"),
                new DashboardView.Action("lift", "7"));
        assertThat(DashboardView.ticked(ticked, ticked)).as("a box already ticked asks for nothing new").isEmpty();
        assertThat(DashboardView.ticked(ticked, body)).as("unticking asks for nothing").isEmpty();
    }

    @Test
    void pastItsLengthItSummarisesByControlAndNeverPassesGitHubsLimit() {
        var needs = new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("risky"), 1, List.of());
        List<RemediationStore.Remediation> many = new ArrayList<>();
        for (int i = 1; i <= 3000; i++) {
            many.add(pr(i, i % 2 == 0 ? "aws.s3.bucket.versioning" : "aws.ec2.instance.imdsv2", needs));
        }
        var data = new DashboardView.Data("acme/infra", many, List.of(), List.of(), NOW);
        String body = DashboardView.render(data, 20_000, "fixgate dashboard --repo acme/infra");
        assertThat(body.length()).isLessThanOrEqualTo(20_000);
        assertThat(body).contains("summarised by control", "`fixgate dashboard --repo acme/infra` prints everything",
                "- aws.s3.bucket.versioning: 1500 — #2, #4", "and 1450 more");
        assertThat(DashboardView.renderFull(data, "x").length()).isGreaterThan(DashboardView.GITHUB_BODY_LIMIT);
    }
    private static RemediationStore.Remediation merged(int n, RemediationStore.Status status) {
        RemediationStore.Remediation r = pr(n, "aws.s3.bucket.versioning", new GateDecision.Allow(GateLayer.POLICY, List.of()));
        return new RemediationStore.Remediation(n, r.initiative(), status, "pb", RciLevel.SAFE, 0.9, "acme/infra", r.branch(),
                OptionalInt.of(n), OptionalInt.empty(), Optional.of("0123456789abcdef0123"), r.planJson(), NOW, NOW,
                Optional.of(NOW), Optional.of(NOW));
    }

    private static dev.fixgate.app.store.VerifyStore.Track track(int n, Optional<Instant> escalated, Optional<Instant> drift) {
        return new dev.fixgate.app.store.VerifyStore.Track(n, "acme/infra", 1, n, "0".repeat(40), NOW,
                NOW.plus(java.time.Duration.ofDays(7)), escalated.isPresent() ? dev.fixgate.app.store.VerifyStore.State.ESCALATED
                : dev.fixgate.app.store.VerifyStore.State.VERIFYING, Optional.empty(), "", java.util.OptionalLong.empty(), "",
                Optional.empty(), escalated, escalated.isPresent() ? OptionalInt.of(40) : OptionalInt.empty(), drift,
                drift.isPresent() ? "arn:aws:s3:::b: s3.versioning_enabled = false\nmore" : "", NOW, NOW);
    }

    @Test
    void mergedFixesShowTheirVerification() {
        String body = DashboardView.render(new DashboardView.Data("acme/infra", List.of(
                merged(21, RemediationStore.Status.MERGED), merged(22, RemediationStore.Status.MERGED),
                merged(23, RemediationStore.Status.MERGED), merged(24, RemediationStore.Status.VERIFIED)), List.of(),
                List.of(), NOW, Map.of(21L, track(21, Optional.of(NOW), Optional.empty()),
                        22L, track(22, Optional.empty(), Optional.of(NOW)), 23L, track(23, Optional.empty(), Optional.empty()))),
                20_000, "fixgate dashboard --repo acme/infra");
        assertThat(body).contains("## Not verified after merge (2)", "## Recently merged (2)")
                .contains("#21 aws.s3.bucket.versioning").contains("not verified by its deadline").contains("asked in #40")
                .contains("#22 ").contains("the fix is in code but not applied — arn:aws:s3:::b: s3.versioning_enabled = false")
                .contains("verifying until 2026-12-08T10:00:00Z").contains("verified after merge")
                .doesNotContain("not built yet");
    }
}
