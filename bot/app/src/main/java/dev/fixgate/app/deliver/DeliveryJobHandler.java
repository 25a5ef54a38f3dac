package dev.fixgate.app.deliver;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.spi.audit.AuditEvent;
import dev.fixgate.spi.finding.InitiativeId;
import java.time.Clock;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.jobs.PermanentJobFailure;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import dev.fixgate.app.store.RemediationStore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@value #KIND} job: delivers one {@link FixProposal} (the payload is a {@link DeliveryJob}: the proposal and
 * what its remediation job read from GitHub to plan it). At least once, and
 * {@link PullRequestDelivery} is idempotent, so a retry or a restart mid-job never opens a second pull request.
 */
public final class DeliveryJobHandler implements JobHandler {

    public static final String KIND = "fixgate.deliver";
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryJobHandler.class);

    private final AuditLog audit;
    private final Clock clock;
    private final GitHubClients clients;
    private final PullRequestDelivery delivery;
    private final Consumer<PullRequestDelivery.Outcome> listener;
    private final Optional<RemediationStore> remediations;
    private Consumer<FixProposal> afterDelivery = p -> { };

    public DeliveryJobHandler(GitHubClients clients, PullRequestDelivery delivery, AuditLog audit, Clock clock,
                              Consumer<PullRequestDelivery.Outcome> listener) {
        this(clients, delivery, audit, clock, listener, Optional.empty());
    }

    /** @param remediations where the remediation job recorded the fix; its row is marked delivered */
    public DeliveryJobHandler(GitHubClients clients, PullRequestDelivery delivery, AuditLog audit, Clock clock,
                              Consumer<PullRequestDelivery.Outcome> listener, Optional<RemediationStore> remediations) {
        this.remediations = Objects.requireNonNull(remediations, "remediations");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Told about every proposal delivered (the service refreshes the repository's dashboard). */
    public DeliveryJobHandler afterDelivery(Consumer<FixProposal> hook) {
        this.afterDelivery = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /**
     * Queues the delivery of {@code proposal}, one job per initiative and plan (a duplicate enqueue is a no-op). The
     * ids of the recorded decisions are left out of the key: a run that decides the same again records new
     * decisions but is the same delivery.
     */
    public static long enqueue(JobQueue queue, FixProposal proposal, Instant now) {
        return enqueue(queue, proposal, DeliveryJob.Planned.NOTHING, now);
    }

    /**
     * {@link #enqueue(JobQueue, FixProposal, Instant)} with what the plan was made from, which the delivery uses
     * instead of reading it again. It is not part of the key: the same plan read again is the same delivery.
     */
    public static long enqueue(JobQueue queue, FixProposal proposal, DeliveryJob.Planned planned, Instant now) {
        String dedupe = KIND + ":" + proposal.initiativeId() + ":"
                + Integer.toHexString(proposal.withDecisionIds(List.of()).toJson().hashCode());
        return queue.enqueue(KIND, new DeliveryJob(proposal, planned).toJson(), Optional.of(dedupe), 5, now);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(Job job) throws Exception {
        DeliveryJob payload;
        try {
            payload = DeliveryJob.fromJson(job.payload());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PermanentJobFailure("not a fix proposal: " + e.getMessage(), e);
        }
        FixProposal proposal = payload.proposal();
        PullRequestDelivery.Outcome outcome = delivery.deliver(clients.installation(proposal.installationId()), proposal,
                payload.planned(), job.attempts() > 1);
        LOG.atInfo().setMessage("delivered").addKeyValue("repository", proposal.repository())
                .addKeyValue("initiative", proposal.initiativeId()).addKeyValue("outcome", outcome).log();
        record(proposal, outcome);
        remediations.ifPresent(store -> mark(store, proposal, outcome));
        listener.accept(outcome);
        afterDelivery.accept(proposal);
    }

    private void mark(RemediationStore store, FixProposal proposal, PullRequestDelivery.Outcome outcome) {
        String branch = PullRequestContent.branch(proposal);
        switch (outcome) {
            case PullRequestDelivery.Outcome.PullRequestOpened pr -> store.deliveredOn(proposal.repository(), branch,
                    OptionalInt.of(pr.number()), OptionalInt.empty(), clock.instant());
            case PullRequestDelivery.Outcome.IssueOpened issue -> store.deliveredOn(proposal.repository(), branch,
                    OptionalInt.empty(), OptionalInt.of(issue.number()), clock.instant());
            case PullRequestDelivery.Outcome.HumanPushed h -> { }
        }
    }

    /** {@code remediation.delivered}: which pull request or issue carries the initiative now. */
    private void record(FixProposal proposal, PullRequestDelivery.Outcome outcome) {
        audit.append(new AuditEvent.Delivered(clock.instant(), "fixgate", new InitiativeId(proposal.initiativeId()),
                proposal.repository(), outcome.auditKind(), outcome.number()));
    }
}
