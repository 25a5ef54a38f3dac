package dev.fixgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Layer 2 never loosens, whatever the model answers, however the call ends. */
class ReasoningPropertiesTest {

    @Property(tries = 500)
    void theModelNeverLoosensTheDecision(@ForAll("decisions") GateDecision current, @ForAll("answers") String answer,
                                         @ForAll("finishes") FinishReason finish, @ForAll boolean throwInstead) {
        ChatModel model = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                if (throwInstead) {
                    throw new IllegalStateException("provider exploded");
                }
                return ChatResponse.builder().aiMessage(AiMessage.from(answer)).finishReason(finish).build();
            }
        };
        LayerResult r = new LlmReasoner(model, "fake", Duration.ofSeconds(5)).review(Inputs.safe(), current);
        assertThat(r.decision().strictness()).isGreaterThanOrEqualTo(current.strictness());
        assertThat(GateDecision.stricter(current, r.decision()).strictness()).isGreaterThanOrEqualTo(current.strictness());
        if (throwInstead || finish != FinishReason.STOP) {
            assertThat(r.decision().strictness()).isGreaterThanOrEqualTo(1);
        }
    }

    @Property(tries = 200)
    void contextRulesNeverAllowDuringAnIncidentOrFreeze(@ForAll boolean resourceIncident, @ForAll boolean accountIncident,
                                                        @ForAll boolean freeze, @ForAll boolean highTraffic) {
        DecisionInput in = Inputs.withIncidents(Inputs.withCalendar(Inputs.safe(), new DecisionInput.Calendar(false, true,
                freeze ? "year-end" : "", highTraffic ? List.of("black friday") : List.of())),
                new DecisionInput.Incidents(resourceIncident, accountIncident));
        GateDecision d = new ContextRules().review(in, new GateDecision.Allow(GateLayer.POLICY, List.of("ok"))).decision();
        int expected = resourceIncident || freeze ? 2 : accountIncident || highTraffic ? 1 : 0;
        assertThat(d.strictness()).isEqualTo(expected);
    }

    @Provide
    Arbitrary<GateDecision> decisions() {
        return Arbitraries.of(
                new GateDecision.Allow(GateLayer.POLICY, List.of("ok")),
                new GateDecision.NeedsApproval(GateLayer.POLICY, List.of("risky"), 1, List.of()),
                new GateDecision.NeedsApproval(GateLayer.POLICY, List.of("risky"), 3, List.of("alice")),
                new GateDecision.Deny(GateLayer.POLICY, List.of("unsafe")));
    }

    @Provide
    Arbitrary<FinishReason> finishes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(FinishReason.STOP)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(FinishReason.values())));
    }

    @Provide
    Arbitrary<String> answers() {
        Arbitrary<String> verdict = Arbitraries.of("keep", "allow", "ALLOW", " allow ", "needs_approval", "deny", "approve",
                "", "merge", "safe");
        Arbitrary<String> reason = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> json = Combinators.combine(verdict, reason.list().ofMaxSize(3))
                .as((v, rs) -> "{\"verdict\":\"" + v + "\",\"reasons\":[" + String.join(",", rs.stream()
                        .map(r -> "\"" + r.replace("\\", "").replace("\"", "") + "\"").toList()) + "]}");
        return Arbitraries.oneOf(json, json.map(j -> "```json\n" + j + "\n```"), json.map(j -> j.substring(0, j.length() / 2)),
                Arbitraries.strings().ofMaxLength(200), Arbitraries.of("null", "[]", "{}", "{\"verdict\": 1}",
                        "{\"verdict\": null}", "{\"verdict\": \"allow\", \"override\": true}"));
    }
}
