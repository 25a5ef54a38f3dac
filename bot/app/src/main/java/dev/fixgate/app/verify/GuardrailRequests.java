package dev.fixgate.app.verify;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.spi.audit.AuditEvent;
import java.util.Objects;

/**
 * Where a recurrence's guardrail request goes. The verify stage only asks; delivering a guardrail (an SCP, an Azure
 * Policy, a GCP org policy as a pull request into the organisation's guardrails repository) is the prevent stage's,
 * which implements this and is handed to the service in the wiring. Called at least once per recurrence (jobs run at
 * least once): an implementation must be idempotent per repository and control.
 */
@FunctionalInterface
public interface GuardrailRequests {

    void request(GuardrailRequest request) throws java.io.IOException;

    /**
     * The default until a delivery is wired: the request is recorded in the audit log ({@code guardrail.requested}),
     * so it is visible ({@code fixgate audit log}) and nothing is lost; nothing is opened on GitHub.
     */
    static GuardrailRequests recorded(AuditLog audit, String actor) {
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(actor, "actor");
        return r -> audit.append(new AuditEvent.GuardrailRequested(r.at(), actor, r.repo(), r.control(), r.playbookId(),
                "after #" + r.pullNumber() + ": " + r.reason() + (r.targets().isEmpty() ? "; the playbook carries no"
                        + " guardrail" : "; guardrails: " + String.join(", ", r.targets()))));
    }
}
