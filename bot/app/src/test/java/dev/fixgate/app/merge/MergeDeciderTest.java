package dev.fixgate.app.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.merge.MergeDecider.Decision;
import dev.fixgate.app.merge.MergeDecider.Review;
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

    private static MergeDecider.Input input(GateDecision d, RepoConfig config, List<Review> reviews,
                                            Optional<List<String>> required, Map<String, String> checks) {
        return new MergeDecider.Input(Optional.ofNullable(d), config, true, 7, "fixgate: x", "fixgate[bot]",
                "fixgate[bot]", reviews, required, checks, HEAD);
    }

    @Test
    void allowMergesWhenEveryRequiredCheckIsGreenKeepingTrailers() {
        Decision d = MergeDecider.decide(input(ALLOW, AUTONOMOUS, List.of(), Optional.of(List.of("ci")), Map.of("ci", "success")));
        assertThat(d).isInstanceOfSatisfying(Decision.Merge.class, m -> {
            assertThat(m.method()).isEqualTo(RepoConfig.MergeMethod.SQUASH);
            assertThat(m.title()).isEqualTo("fixgate: x (#7)");
            assertThat(m.message()).contains("Fixgate-Initiative: i", "Fixgate-RCI: SAFE", "Fixgate-Approved-By: fixgate[bot]");
        });
    }

    @Test
    void neverMergesOnNoChecksOrUnreadableProtection() {
        assertThat(MergeDecider.decide(input(ALLOW, AUTONOMOUS, List.of(), Optional.of(List.of()), Map.of())))
                .isInstanceOfSatisfying(Decision.Refuse.class, r -> assertThat(r.reason()).contains("no checks"));
        assertThat(MergeDecider.decide(input(ALLOW, AUTONOMOUS, List.of(), Optional.empty(), Map.of("ci", "success"))))
                .isInstanceOfSatisfying(Decision.Refuse.class, r -> assertThat(r.reason()).contains("could not be read"));
    }

    @Test
    void waitsForRedPendingOrMissingChecks() {
        for (Map<String, String> checks : List.of(Map.of("ci", "failure"), Map.of("ci", "pending"), Map.<String, String>of())) {
            assertThat(MergeDecider.decide(input(ALLOW, AUTONOMOUS, List.of(), Optional.of(List.of("ci")), checks)))
                    .isInstanceOf(Decision.Wait.class);
        }
    }

    @Test
    void approvalsByTheAuthorTheBotReadersOrOthersThanTheNamedApproverDoNotCount() {
        GateDecision needs = new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("risky"), 1, List.of("carol"));
        List<Review> notEnough = List.of(new Review("fixgate[bot]", "APPROVED", true), new Review("dave", "APPROVED", true),
                new Review("carol", "APPROVED", false));
        Optional<List<String>> ci = Optional.of(List.of("ci"));
        assertThat(MergeDecider.decide(input(needs, AUTONOMOUS, notEnough, ci, Map.of("ci", "success"))))
                .isInstanceOf(Decision.Wait.class);
        assertThat(MergeDecider.decide(input(needs, AUTONOMOUS, List.of(new Review("carol", "APPROVED", true)), ci,
                Map.of("ci", "success")))).isInstanceOfSatisfying(Decision.Merge.class,
                m -> assertThat(m.message()).contains("Fixgate-Approved-By: carol"));
        assertThat(MergeDecider.decide(input(needs, AUTONOMOUS, List.of(new Review("carol", "APPROVED", true),
                new Review("carol", "CHANGES_REQUESTED", true)), ci, Map.of("ci", "success")))).isInstanceOf(Decision.Wait.class);
    }

    @Test
    void denyAssistAndAMissingDecisionNeverMerge() {
        Optional<List<String>> ci = Optional.of(List.of("ci"));
        Map<String, String> green = Map.of("ci", "success");
        assertThat(MergeDecider.decide(input(new GateDecision.Deny(GateLayer.POLICY, List.of("no")), AUTONOMOUS, List.of(), ci, green)))
                .isInstanceOf(Decision.Refuse.class);
        assertThat(MergeDecider.decide(input(ALLOW, RepoConfigLoader.parse("t", "mode: assist\n"), List.of(), ci, green)))
                .isInstanceOf(Decision.Refuse.class);
        assertThat(MergeDecider.decide(input(null, AUTONOMOUS, List.of(), ci, green))).isInstanceOf(Decision.Refuse.class);
    }
}
