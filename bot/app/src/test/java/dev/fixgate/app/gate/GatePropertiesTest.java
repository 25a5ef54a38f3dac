package dev.fixgate.app.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.enrich.EvidenceIndex;
import dev.fixgate.app.enrich.Observation;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.policy.CelPolicyEngine;
import dev.fixgate.policy.ContextRules;
import dev.fixgate.policy.DecisionInput;
import dev.fixgate.policy.LayerResult;
import dev.fixgate.policy.PolicyLayer;
import dev.fixgate.policy.PolicySet;
import dev.fixgate.policy.ReasoningLayer;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The gate's guarantees over generated cases: evidence (each kind present or not, with any value), plans (patch
 * written or refused), configurations (every mode, windows, blackouts, exclusions, limits) and instants.
 */
class GatePropertiesTest {

    private static final CelPolicyEngine CEL = new CelPolicyEngine(PolicySet.builtIn());
    private static RemediationSafety builtIn;

    @BeforeContainer
    static void engines() {
        builtIn = new RemediationSafety(new Gatekeeper(List.of(CEL), List.of(new ContextRules())));
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void riskyAndUnsafeNeverAutomerge(@ForAll("cases") Cases.Case c) {
        var d = Cases.decide(builtIn, c);
        Statistics.label("action").collect(d.gate().action());
        Statistics.label("rci").collect(d.rci().level());
        Statistics.label("record-only because").collect(d.gate().action() != Action.RECORD_ONLY ? "-"
                : c.config().mode() == RepoConfig.Mode.DETECT ? "detect" : d.gate().layers().stream()
                        .flatMap(v -> v.hits().stream()).filter(h -> h.onDeny() == dev.fixgate.policy.Policy.OnDeny.RECORD_ONLY
                                && h.effect() == dev.fixgate.policy.Policy.Effect.DENY)
                        .map(h -> h.policyId()).findFirst().orElse("?"));
        if (d.rci().level() != RciLevel.SAFE) {
            assertThat(d.gate().action()).isNotEqualTo(Action.AUTOMERGE);
        }
        if (d.gate().action() == Action.AUTOMERGE) {
            assertThat(d.rci().level()).isEqualTo(RciLevel.SAFE);
            assertThat(d.gate().decision()).isInstanceOf(GateDecision.Allow.class);
            assertThat(d.gate().layers()).allSatisfy(v -> assertThat(v.verdict()).isInstanceOf(GateDecision.Allow.class));
        }
        if (d.rci().level() == RciLevel.UNSAFE) {
            assertThat(d.gate().decision()).isInstanceOf(GateDecision.Deny.class);
        }
        if (c.patch() == Planner.Status.CANNOT_PATCH) {
            assertThat(d.rci().level()).isNotEqualTo(RciLevel.SAFE);
        }
        if (c.patch() != Planner.Status.PATCHED) {
            // No written patch (refused, or nothing to change): nothing may merge.
            assertThat(d.gate().decision()).isInstanceOf(GateDecision.Deny.class);
        }
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void aDenyFromAnyLayerAlwaysWins(@ForAll("cases") Cases.Case c, @ForAll boolean inPolicyLayer,
                                     @ForAll("positions") int position) {
        GateDecision deny = new GateDecision.Deny(inPolicyLayer ? GateLayer.POLICY : GateLayer.REASONING, List.of("no"));
        List<PolicyLayer> policies = new ArrayList<>(List.of(CEL));
        List<ReasoningLayer> reasoners = new ArrayList<>(List.of(new ContextRules()));
        if (inPolicyLayer) {
            policies.add(Math.min(position, policies.size()), fixedPolicy(deny));
        } else {
            reasoners.add(Math.min(position, reasoners.size()), fixedReasoner(deny));
        }
        var d = Cases.decide(new RemediationSafety(new Gatekeeper(policies, reasoners)), c);
        assertThat(d.gate().decision()).isInstanceOf(GateDecision.Deny.class);
        assertThat(d.gate().action()).isIn(Action.ROUTE_TO_OWNER, Action.RECORD_ONLY);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void theReasoningLayerNeverLoosens(@ForAll("cases") Cases.Case c,
                                       @ForAll("anyDecision") GateDecision proposal) {
        var without = Cases.decide(builtIn, c);
        // A reasoner that proposes whatever it likes, ignoring the decision it was given (the worst model).
        var with = Cases.decide(new RemediationSafety(new Gatekeeper(List.of(CEL), List.of(new ContextRules(),
                fixedReasoner(proposal)))), c);
        assertThat(with.gate().decision().strictness()).isGreaterThanOrEqualTo(without.gate().decision().strictness());
        if (without.gate().action() != Action.AUTOMERGE) {
            assertThat(with.gate().action()).isNotEqualTo(Action.AUTOMERGE);
        }
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void anyThrownErrorYieldsDeny(@ForAll("cases") Cases.Case c, @ForAll("where") int where) {
        RuntimeException boom = new IllegalStateException("boom");
        List<PolicyLayer> policies = new ArrayList<>(List.of(CEL));
        List<ReasoningLayer> reasoners = new ArrayList<>(List.of(new ContextRules()));
        switch (where) {
            case 0 -> policies.add(0, throwingPolicy(boom));
            case 1 -> policies.add(throwingPolicy(boom));
            case 2 -> reasoners.add(0, throwingReasoner(boom));
            case 3 -> reasoners.add(throwingReasoner(boom));
            case 4 -> policies.add(nullPolicy());
            default -> reasoners.add(throwingReasoner(new ArithmeticException("/ by zero")));
        }
        var d = Cases.decide(new RemediationSafety(new Gatekeeper(policies, reasoners)), c);
        assertThat(d.gate().decision()).isInstanceOf(GateDecision.Deny.class);
        assertThat(d.gate().action()).isNotEqualTo(Action.AUTOMERGE).isNotEqualTo(Action.AWAIT_APPROVAL);
    }

    private static PolicyLayer fixedPolicy(GateDecision d) {
        return new PolicyLayer() {
            public String id() {
                return "fixed";
            }

            public LayerResult evaluate(DecisionInput input) {
                return new LayerResult("fixed", d, List.of());
            }
        };
    }

    private static ReasoningLayer fixedReasoner(GateDecision d) {
        return new ReasoningLayer() {
            public String id() {
                return "fixed";
            }

            public LayerResult review(DecisionInput input, GateDecision current) {
                return new LayerResult("fixed", d, List.of());
            }
        };
    }

    private static PolicyLayer throwingPolicy(RuntimeException e) {
        return new PolicyLayer() {
            public String id() {
                return "throws";
            }

            public LayerResult evaluate(DecisionInput input) {
                throw e;
            }
        };
    }

    private static PolicyLayer nullPolicy() {
        return new PolicyLayer() {
            public String id() {
                return "null";
            }

            public LayerResult evaluate(DecisionInput input) {
                return null;
            }
        };
    }

    private static ReasoningLayer throwingReasoner(RuntimeException e) {
        return new ReasoningLayer() {
            public String id() {
                return "throws";
            }

            public LayerResult review(DecisionInput input, GateDecision current) {
                throw e;
            }
        };
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 2);
    }

    @Provide
    Arbitrary<Integer> where() {
        return Arbitraries.integers().between(0, 5);
    }

    @Provide
    Arbitrary<GateDecision> anyDecision() {
        return Arbitraries.of(
                new GateDecision.Allow(GateLayer.REASONING, List.of("looks fine")),
                new GateDecision.Allow(GateLayer.POLICY, List.of("pretend to be policy")),
                new GateDecision.NeedsApproval(GateLayer.REASONING, List.of("ask"), 1, List.of()),
                new GateDecision.Deny(GateLayer.REASONING, List.of("no")));
    }

    @Provide
    Arbitrary<Cases.Case> cases() {
        Arbitrary<List<Observation>> evidence = Combinators.combine(
                optional("s3.object_count", Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(0L)),
                        Tuple.of(1, Arbitraries.longs().between(1, 5)))),
                optional("s3.http_requests_90d", Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0L)),
                        Tuple.of(1, Arbitraries.longs().between(1, 50)))),
                optional("environment", Arbitraries.of("production", "staging", "development", "test")),
                optional("tags", weighted(List.of(Map.of(), Map.of("fixgate:exclude", "yes"), Map.of("team", "legacy"),
                        Map.of("Environment", "prod")), 6, 1, 1, 2)),
                optional("incident.active", weighted(List.of(false, true), 5, 1)),
                optional("sg.attached_interfaces", Arbitraries.of(0L, 3L, 40L)),
                Arbitraries.integers().between(0, 60))
                .as((a, b, e, t, i, s, ageDays) -> {
                    List<Observation> out = new ArrayList<>();
                    for (var o : List.of(a, b, e, t, i, s)) {
                        o.ifPresent(x -> out.add(new Observation("arn:aws:s3:::b", x.getKey(), x.getValue(),
                                Cases.NOW.minus(Duration.ofDays(ageDays)), "")));
                    }
                    return out;
                });
        Arbitrary<Planner.Status> patch = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(Planner.Status.PATCHED)),
                Tuple.of(1, Arbitraries.just(Planner.Status.CANNOT_PATCH)),
                Tuple.of(1, Arbitraries.just(Planner.Status.ALREADY_COMPLIANT)));
        Arbitrary<RepoConfig> config = Combinators.combine(
                weighted(List.of("autonomous", "supervised", "assist", "detect"), 6, 1, 1, 1),
                weighted(List.of("", "change_windows: [{days: [mon, tue, wed, thu, fri], start: \"09:00\", end: \"17:00\"}]\n",
                        "change_windows: [{days: [sat], start: \"22:00\", end: \"02:00\", timezone: Asia/Tokyo}]\n"), 6, 2, 1),
                weighted(List.of("", "blackouts: [{name: freeze, from: \"2026-11-10T00:00:00Z\", to: \"2026-11-12T00:00:00Z\"}]\n"), 8, 1),
                weighted(List.of("", "exclusions: {tags: [team=legacy]}\n", "exclusions: {resources: [\"arn:aws:s3:::*\"]}\n"), 8, 1, 1),
                weighted(List.of("", "blast_radius: {max_resources: 1, max_instances: 1}\n", "production: {require_approval: false}\n"), 4, 1, 1),
                Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(true)), Tuple.of(1, Arbitraries.just(false))))
                .as((mode, windows, blackouts, exclusions, limits, automerge) -> Cases.config("mode: " + mode + "\n"
                        + windows + blackouts + exclusions + limits + "automerge: {enabled: " + automerge + "}\n"));
        Arbitrary<Instant> now = Arbitraries.longs().between(0, 24 * 14).map(h -> Cases.NOW.plus(Duration.ofHours(h - 24 * 7)));
        Arbitrary<Boolean> networkPlaybook = Arbitraries.of(true, false);
        return Combinators.combine(evidence, patch, config, now, networkPlaybook).as((ev, p, cfg, at, network) -> {
            return Cases.bucket("b", ev, cfg, at).withPlaybook(network ? Cases.sgPlaybook() : Cases.tlsPlaybook())
                    .withPatch(p, p == Planner.Status.CANNOT_PATCH ? "patch.value-from-variable" : "");
        });
    }

    private static <T> Arbitrary<T> weighted(List<T> values, int... weights) {
        List<Tuple.Tuple2<Integer, T>> pairs = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            pairs.add(Tuple.of(weights[i], values.get(i)));
        }
        return Arbitraries.frequency(pairs);
    }

    private static <T> Arbitrary<java.util.Optional<Map.Entry<String, Object>>> optional(String kind, Arbitrary<T> values) {
        return values.map(v -> Map.<String, Object>entry(kind, v)).optional(0.6);
    }
}
