package dev.fixgate.app.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.merge.MergeDecider.Decision;
import dev.fixgate.app.gate.ApprovalCheck;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MergeDeciderTest {

    private static final RepoConfig AUTONOMOUS = RepoConfigLoader.parse("t", "mode: autonomous\n");
    private static final GateDecision ALLOW = new GateDecision.Allow(GateLayer.POLICY, List.of("ok"));
    private static final String HEAD = "fixgate: x\n\nbody\n\nFixgate-Initiative: i\nFixgate-RCI: SAFE\n";

    private static final ApprovalCheck.Status NONE = new ApprovalCheck.Status(false, List.of(), List.of("0 of 1 required approvals"));

    private static MergeDecider.Input input(GateDecision d, RepoConfig config, ApprovalCheck.Status approval,
                                            Optional<List<String>> required, Map<String, String> checks) {
        return new MergeDecider.Input(Optional.ofNullable(d), config, true, 7, "fixgate: x", "fixgate[bot]",
                approval, required, checks, HEAD);
    }

    @Test
    void allowMergesWhenEveryRequiredCheckIsGreenKeepingTrailers() {
        Decision d = MergeDecider.decide(input(ALLOW, AUTONOMOUS, NONE, Optional.of(List.of("ci")), Map.of("ci", "success")));
        assertThat(d).isInstanceOfSatisfying(Decision.Merge.class, m -> {
            assertThat(m.method()).isEqualTo(RepoConfig.MergeMethod.SQUASH);
            assertThat(m.title()).isEqualTo("fixgate: x (#7)");
            assertThat(m.message()).contains("Fixgate-Initiative: i", "Fixgate-RCI: SAFE", "Fixgate-Approved-By: fixgate[bot]");
        });
    }

    @Test
    void neverMergesOnNoChecksOrUnreadableProtection() {
        assertThat(MergeDecider.decide(input(ALLOW, AUTONOMOUS, NONE, Optional.of(List.of()), Map.of())))
                .isInstanceOfSatisfying(Decision.Refuse.class, r -> assertThat(r.reason()).contains("no checks"));
        assertThat(MergeDecider.decide(input(ALLOW, AUTONOMOUS, NONE, Optional.empty(), Map.of("ci", "success"))))
                .isInstanceOfSatisfying(Decision.Refuse.class, r -> assertThat(r.reason()).contains("could not be read"));
    }

    @Test
    void waitsForRedPendingOrMissingChecks() {
        for (Map<String, String> checks : List.of(Map.of("ci", "failure"), Map.of("ci", "pending"), Map.<String, String>of())) {
            assertThat(MergeDecider.decide(input(ALLOW, AUTONOMOUS, NONE, Optional.of(List.of("ci")), checks)))
                    .isInstanceOf(Decision.Wait.class);
        }
    }

    @Test
    void needsApprovalMergesOnlyOnceTheApprovalCheckIsSatisfied() {
        GateDecision needs = new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("risky"), 1, List.of("carol"));
        Optional<List<String>> ci = Optional.of(List.of("ci"));
        assertThat(MergeDecider.decide(input(needs, AUTONOMOUS, NONE, ci, Map.of("ci", "success"))))
                .isInstanceOfSatisfying(Decision.Wait.class, w -> assertThat(w.reason()).contains("0 of 1 required approvals"));
        var carol = new ApprovalCheck.Status(true, List.of("carol"), List.of());
        assertThat(MergeDecider.decide(input(needs, AUTONOMOUS, carol, ci, Map.of("ci", "success"))))
                .isInstanceOfSatisfying(Decision.Merge.class, m -> assertThat(m.message()).contains("Fixgate-Approved-By: carol"));
        assertThat(MergeDecider.decide(input(needs, AUTONOMOUS, carol, ci, Map.of("ci", "pending"))))
                .as("approved but CI pending").isInstanceOf(Decision.Wait.class);
    }

    @Test
    void supervisedModeTurnsAnAllowIntoAnApprovalRequirement() {
        RepoConfig supervised = RepoConfigLoader.parse("t", "mode: supervised\nreviewers: {required_approvals: 2}\n");
        assertThat(MergeDecider.effective(ALLOW, supervised)).isInstanceOfSatisfying(GateDecision.NeedsApproval.class,
                n -> assertThat(n.approvals()).isEqualTo(2));
        assertThat(MergeDecider.effective(ALLOW, AUTONOMOUS)).isSameAs(ALLOW);
        assertThat(MergeDecider.decide(input(ALLOW, supervised, NONE, Optional.of(List.of("ci")), Map.of("ci", "success"))))
                .isInstanceOf(Decision.Wait.class);
    }

    @Test
    void denyAssistAndAMissingDecisionNeverMerge() {
        Optional<List<String>> ci = Optional.of(List.of("ci"));
        Map<String, String> green = Map.of("ci", "success");
        assertThat(MergeDecider.decide(input(new GateDecision.Deny(GateLayer.POLICY, List.of("no")), AUTONOMOUS, NONE, ci, green)))
                .isInstanceOf(Decision.Refuse.class);
        assertThat(MergeDecider.decide(input(ALLOW, RepoConfigLoader.parse("t", "mode: assist\n"), NONE, ci, green)))
                .isInstanceOf(Decision.Refuse.class);
        assertThat(MergeDecider.decide(input(null, AUTONOMOUS, NONE, ci, green))).isInstanceOf(Decision.Refuse.class);
    }
}
