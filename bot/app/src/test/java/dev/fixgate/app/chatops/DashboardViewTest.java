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
}
