package dev.fixgate.app.prevent.guardrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fixgate.app.json.Json;
import java.util.List;
import java.util.Objects;

/**
 * A request to propose one playbook's guardrail: the payload of a {@value GuardrailJobHandler#KIND} job. Made when a
 * problem fixgate fixed comes back (recurrence), or by hand.
 *
 * @param installationId the App installation that can write to the guardrails repository
 * @param repository     {@code owner/name} where the problem came back: its configuration (over its organisation's
 *                       defaults) names the guardrails repository and the targets
 * @param playbook       the playbook whose guardrail is proposed (its id in the catalog)
 * @param targets        where to attach it; empty: {@code guardrails.targets.<cloud>}, else the repository's
 *                       {@code accounts} of the playbook's cloud
 * @param findings       fingerprints of the findings that came back, for the pull request
 * @param reason         one sentence for the pull request: why now ("the finding reopened after a verified fix")
 */
public record GuardrailRequest(long installationId, String repository, String playbook, List<String> targets,
                               List<String> findings, String reason) {

    public GuardrailRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(playbook, "playbook");
        targets = targets == null ? List.of() : List.copyOf(targets);
        findings = findings == null ? List.of() : List.copyOf(findings);
        reason = reason == null ? "" : reason;
    }

    public String toJson() {
        return Json.write(this);
    }

    public static GuardrailRequest fromJson(String json) throws JsonProcessingException {
        return Json.mapper().readValue(json, GuardrailRequest.class);
    }
}
