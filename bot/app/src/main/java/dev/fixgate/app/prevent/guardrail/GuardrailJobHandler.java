package dev.fixgate.app.prevent.guardrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.jobs.PermanentJobFailure;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.spi.audit.AuditEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #KIND} job: proposes one playbook's guardrail ({@link GuardrailRequest} is the payload) through
 * {@link GuardrailDelivery}. The entry point for whatever decides a guardrail is due — recurrence detection after a
 * verified fix — is {@link #enqueue}. At least once, and the delivery is idempotent, so a retry opens no second pull
 * request. Each target's outcome is an audit event ({@code guardrail.proposed}).
 */
public final class GuardrailJobHandler implements JobHandler {

    public static final String KIND = "fixgate.guardrail";
    private static final Logger LOG = LoggerFactory.getLogger(GuardrailJobHandler.class);

    private final GitHubClients clients;
    private final GuardrailDelivery delivery;
    private final AuditLog audit;
    private final Clock clock;

    public GuardrailJobHandler(GitHubClients clients, GuardrailDelivery delivery, AuditLog audit, Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Queues the proposal of {@code request}'s guardrail: one job per repository, playbook and targets while it is
     * queued (a second enqueue of the same request is a no-op).
     */
    public static long enqueue(JobQueue queue, GuardrailRequest request, Instant now) {
        String dedupe = KIND + ":" + request.repository() + ":" + request.playbook() + ":"
                + String.join(",", request.targets());
        return queue.enqueue(KIND, request.toJson(), Optional.of(dedupe), 5, now);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(Job job) throws Exception {
        GuardrailRequest request;
        try {
            request = GuardrailRequest.fromJson(job.payload());
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new PermanentJobFailure("not a guardrail request: " + e.getMessage(), e);
        }
        List<GuardrailDelivery.Outcome> outcomes;
        try {
            outcomes = delivery.deliver(clients.installation(request.installationId()), request);
        } catch (GuardrailException e) {
            throw new PermanentJobFailure(e.getMessage(), e);
        }
        for (GuardrailDelivery.Outcome o : outcomes) {
            LOG.atInfo().setMessage("guardrail").addKeyValue("repository", request.repository())
                    .addKeyValue("playbook", request.playbook()).addKeyValue("outcome", o).log();
            switch (o) {
                case GuardrailDelivery.Outcome.Proposed p -> audit.append(new AuditEvent.GuardrailProposed(clock.instant(),
                        "fixgate", p.repository(), request.playbook(), p.target().id(), p.delivery().auditKind(),
                        p.delivery().number()));
                case GuardrailDelivery.Outcome.Refused r -> audit.append(new AuditEvent.GuardrailProposed(clock.instant(),
                        "fixgate", request.repository(), request.playbook(), r.target().id(), "refused", 0));
                case GuardrailDelivery.Outcome.NotConfigured n -> { }
                case GuardrailDelivery.Outcome.NoGuardrail n -> { }
            }
        }
    }
}
