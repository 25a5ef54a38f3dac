package dev.fixgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.gate.GateDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CelPolicyEngineTest {

    private final CelPolicyEngine builtIn = new CelPolicyEngine(PolicySet.builtIn());

    private static List<String> firing(LayerResult r) {
        return r.hits().stream().map(PolicyHit::policyId).toList();
    }

    @Test
    void anUnremarkableSafeFixPassesEveryBuiltIn() {
        LayerResult r = builtIn.evaluate(Inputs.safe());
        assertThat(r.hits()).isEmpty();
        assertThat(r.decision()).isInstanceOf(GateDecision.Allow.class);
    }

    @Test
    void rciLevelsMapToApprovalAndDenial() {
        assertThat(builtIn.evaluate(Inputs.withRci(Inputs.safe(), RciLevel.RISKY)).decision())
                .isInstanceOf(GateDecision.NeedsApproval.class);
        LayerResult unsafe = builtIn.evaluate(Inputs.withRci(Inputs.safe(), RciLevel.UNSAFE));
        assertThat(unsafe.decision()).isInstanceOf(GateDecision.Deny.class);
        assertThat(firing(unsafe)).containsExactly("rci-unsafe");
    }

    @Test
    void exclusionTagDeniesAndOnlyRecords() {
        DecisionInput.Resource tagged = new DecisionInput.Resource("arn:aws:s3:::logs", "aws_s3_bucket", "", "main.tf",
                Map.of("fixgate:exclude", "true"), List.of());
        LayerResult r = builtIn.evaluate(Inputs.withResource(Inputs.safe(), tagged));
        assertThat(firing(r)).containsExactly("excluded-resource");
        assertThat(r.hits().getFirst().onDeny()).isEqualTo(Policy.OnDeny.RECORD_ONLY);
        assertThat(r.decision()).isInstanceOf(GateDecision.Deny.class);
    }

    @Test
    void configuredExclusionTagsMatchKeysOrPairs() {
        DecisionInput base = Inputs.safe();
        DecisionInput.Settings settings = new DecisionInput.Settings("autonomous", 10, 25, List.of("team=platform"), true);
        DecisionInput in = new DecisionInput(base.now(), base.resource(), base.finding(), base.playbook(), base.actions(),
                base.environment(), base.rci(), base.blastRadius(), base.calendar(), base.incidents(), base.patch(),
                base.diff(), base.evidence(), settings);
        assertThat(firing(builtIn.evaluate(in))).containsExactly("excluded-resource");
    }

    @Test
    void changeWindowAndBlackout() {
        assertThat(firing(builtIn.evaluate(Inputs.withCalendar(Inputs.safe(),
                new DecisionInput.Calendar(true, false, "", List.of()))))).containsExactly("change-window");
        assertThat(firing(builtIn.evaluate(Inputs.withCalendar(Inputs.safe(),
                new DecisionInput.Calendar(true, true, "", List.of()))))).isEmpty();
        assertThat(firing(builtIn.evaluate(Inputs.withCalendar(Inputs.safe(),
                new DecisionInput.Calendar(false, true, "year-end freeze", List.of()))))).containsExactly("blackout");
    }

    @Test
    void blastRadiusHumanActionsProductionAndPatch() {
        DecisionInput s = Inputs.safe();
        assertThat(firing(builtIn.evaluate(Inputs.with(s, s.actions(), s.environment(),
                new DecisionInput.Blast(11, 11, List.of(), true), s.patch(), s.playbook())))).containsExactly("blast-radius-limit");
        assertThat(firing(builtIn.evaluate(Inputs.with(s, List.of("iam"), s.environment(), s.blastRadius(), s.patch(),
                s.playbook())))).containsExactly("human-action");
        assertThat(firing(builtIn.evaluate(Inputs.with(s, s.actions(), "production", s.blastRadius(), s.patch(),
                s.playbook())))).containsExactly("production-approval");
        assertThat(firing(builtIn.evaluate(Inputs.with(s, s.actions(), "production", s.blastRadius(), s.patch(),
                new DecisionInput.PlaybookInfo("p", true))))).isEmpty();
        LayerResult refused = builtIn.evaluate(Inputs.with(s, s.actions(), s.environment(), s.blastRadius(),
                new DecisionInput.Patch("cannot_patch", "patch.value-from-variable"), s.playbook()));
        assertThat(firing(refused)).containsExactly("patch-not-written");
        assertThat(refused.decision()).isInstanceOf(GateDecision.Deny.class);
    }

    @Test
    void aPolicyThatFailsToEvaluateDenies() {
        Policy broken = new Policy("user.broken", "reads a tag that is not there", "input.resource.tags['owner'] == 'x'",
                Policy.Effect.NEEDS_APPROVAL, "m", Policy.OnDeny.ROUTE_TO_OWNER, "test");
        LayerResult r = new CelPolicyEngine(PolicySet.of(List.of(broken))).evaluate(Inputs.safe());
        assertThat(r.decision()).isInstanceOf(GateDecision.Deny.class);
        assertThat(r.decision().reasons().getFirst()).contains("user.broken").contains("could not be evaluated");
    }

    @Test
    void userPoliciesAreSchemaCheckedAndCompiled() {
        assertThatThrownBy(() -> PolicySet.parse("u.yaml", "policies:\n  - {id: x, description: d, condition: 'true', effect: allow, message: m}\n"))
                .hasMessageContaining("u.yaml").isInstanceOf(PolicyException.class);
        assertThatThrownBy(() -> PolicySet.parse("u.yaml", "policies:\n  - {id: x, description: d, condition: 'input.(', effect: deny, message: m}\n"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("policy 'x'");
        assertThatThrownBy(() -> PolicySet.parse("u.yaml", "policies:\n  - {id: x, description: d, condition: '1 + 1', effect: deny, message: m}\n"))
                .isInstanceOf(PolicyException.class);
        List<Policy> ok = PolicySet.parse("u.yaml", """
                policies:
                  - id: acme.no-fridays
                    description: no merges on Fridays
                    condition: 'timestamp(input.now).getDayOfWeek("Europe/Berlin") == 5'
                    effect: deny
                    on_deny: record_only
                    message: no merges on Fridays
                """);
        // 2026-11-20 is a Friday.
        DecisionInput friday = new DecisionInput(java.time.Instant.parse("2026-11-20T10:00:00Z"), Inputs.safe().resource(),
                Inputs.safe().finding(), Inputs.safe().playbook(), Inputs.safe().actions(), "development",
                Inputs.safe().rci(), Inputs.safe().blastRadius(), Inputs.safe().calendar(), Inputs.safe().incidents(),
                Inputs.safe().patch(), "", List.of(), Inputs.safe().config());
        CelPolicyEngine engine = new CelPolicyEngine(PolicySet.builtIn().plus(ok));
        assertThat(firing(engine.evaluate(friday))).containsExactly("acme.no-fridays");
        assertThat(firing(engine.evaluate(Inputs.safe()))).isEmpty();
    }

    @Test
    void aUserPolicyCannotReplaceABuiltIn() {
        List<Policy> shadow = PolicySet.parse("u.yaml",
                "policies:\n  - {id: rci-unsafe, description: d, condition: 'false', effect: deny, message: m}\n");
        assertThatThrownBy(() -> PolicySet.builtIn().plus(shadow)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("already defined");
    }
}
