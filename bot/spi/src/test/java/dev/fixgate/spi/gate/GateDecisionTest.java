package dev.fixgate.spi.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.spi.gate.GateDecision.Allow;
import dev.fixgate.spi.gate.GateDecision.Deny;
import dev.fixgate.spi.gate.GateDecision.NeedsApproval;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateDecisionTest {

    private final Allow allow = new Allow(GateLayer.POLICY, List.of("all policies passed"));
    private final NeedsApproval one = new NeedsApproval(GateLayer.POLICY, List.of("prod"), 1, List.of());
    private final NeedsApproval two = new NeedsApproval(GateLayer.REASONING, List.of("shared bucket"), 2, List.of("@acme/sec"));
    private final Deny deny = new Deny(GateLayer.REASONING, List.of("deletes data"));

    @Test
    void aLaterLayerCanTightenButNeverLoosen() {
        assertThat(GateDecision.stricter(allow, deny)).isSameAs(deny);
        assertThat(GateDecision.stricter(deny, allow)).isSameAs(deny);
        assertThat(GateDecision.stricter(one, allow)).isSameAs(one);
        assertThat(GateDecision.stricter(allow, one)).isSameAs(one);
    }

    @Test
    void twoApprovalRequirementsKeepTheLargerNumberAndAllReasons() {
        GateDecision merged = GateDecision.stricter(one, two);
        assertThat(merged).isInstanceOfSatisfying(NeedsApproval.class, n -> {
            assertThat(n.approvals()).isEqualTo(2);
            assertThat(n.approvers()).containsExactly("@acme/sec");
            assertThat(n.reasons()).containsExactly("prod", "shared bucket");
        });
        assertThat(GateDecision.stricter(two, one)).isSameAs(two);
    }

    @Test
    void aDenialMustSayWhy() {
        assertThatThrownBy(() -> new Deny(GateLayer.POLICY, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NeedsApproval(GateLayer.APPROVAL, List.of(), 0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
