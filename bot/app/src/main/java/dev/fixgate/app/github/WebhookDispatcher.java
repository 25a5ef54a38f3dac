package dev.fixgate.app.github;

import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.jobs.PermanentJobFailure;
import dev.fixgate.app.redact.Redactor;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.app.store.WebhookDeliveries.Status;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@value WebhookReceiver#JOB_KIND} job handler: runs the event handlers registered for a delivery's event
 * and records the outcome on the delivery (PROCESSED, IGNORED when fixgate does not act on the event, FAILED with
 * the error while the job is retried). Event handlers run at least once per delivery: a retry runs every handler
 * of the event again, so they must be idempotent.
 *
 * <pre>{@code
 * WebhookDispatcher webhooks = WebhookDispatcher.builder(deliveries, clock)
 *         .on("pull_request", merge::onPullRequest)
 *         .on("issue_comment", chatops::onComment)
 *         .build();
 * JobWorkers.builder(queue).register(webhooks) ...
 * }</pre>
 */
public final class WebhookDispatcher implements JobHandler {

    /** Acts on one event; throwing fails the job's attempt (it is retried). */
    @FunctionalInterface
    public interface EventHandler {
        void handle(WebhookEvent event) throws Exception;
    }

    public static final class Builder {
        private final WebhookDeliveries deliveries;
        private final Clock clock;
        private final Map<String, List<EventHandler>> handlers = new LinkedHashMap<>();
        private JobQueue queue;

        private Builder(WebhookDeliveries deliveries, Clock clock) {
            this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Adds a handler for {@code event} (GitHub's {@code X-GitHub-Event}); several run in registration order. */
        public Builder on(String event, EventHandler handler) {
            handlers.computeIfAbsent(event, e -> new ArrayList<>()).add(Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Completes each job in the transaction that records its delivery's outcome (one commit, not two), on
         * {@code queue} — the queue the workers that run these jobs use.
         */
        public Builder completingJobsIn(JobQueue queue) {
            this.queue = Objects.requireNonNull(queue, "queue");
            return this;
        }

        public WebhookDispatcher build() {
            Map<String, List<EventHandler>> copy = new LinkedHashMap<>();
            handlers.forEach((event, list) -> copy.put(event, List.copyOf(list)));
            return new WebhookDispatcher(deliveries, clock, Map.copyOf(copy), Optional.ofNullable(queue));
        }
    }

    public static Builder builder(WebhookDeliveries deliveries, Clock clock) {
        return new Builder(deliveries, clock);
    }

    private final WebhookDeliveries deliveries;
    private final Clock clock;
    private final Map<String, List<EventHandler>> handlers;
    private final Optional<JobQueue> queue;

    private WebhookDispatcher(WebhookDeliveries deliveries, Clock clock, Map<String, List<EventHandler>> handlers,
                              Optional<JobQueue> queue) {
        this.deliveries = deliveries;
        this.clock = clock;
        this.handlers = handlers;
        this.queue = queue;
    }

    @Override
    public String kind() {
        return WebhookReceiver.JOB_KIND;
    }

    /** The events with at least one handler. */
    public Set<String> events() {
        return handlers.keySet();
    }

    @Override
    public void handle(Job job) throws Exception {
        WebhookEvent event;
        try {
            event = WebhookEvent.fromJobPayload(job.payload());
        } catch (IOException | IllegalArgumentException e) {
            throw new PermanentJobFailure("the job payload is not a webhook envelope: " + e.getMessage(), e);
        }
        List<EventHandler> forEvent = handlers.getOrDefault(event.event(), List.of());
        if (forEvent.isEmpty()) {
            finished(job, event, Status.IGNORED, "no handler for event '" + event.event() + "'");
            return;
        }
        try {
            for (EventHandler h : forEvent) {
                h.handle(event);
            }
        } catch (Exception e) {
            deliveries.finish(event.deliveryId(), Status.FAILED, Redactor.redact("attempt " + job.attempts() + " of "
                    + job.maxAttempts() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()), clock.instant());
            throw e;
        }
        finished(job, event, Status.PROCESSED, "");
    }

    /** The last write of a job that succeeded: with the job's completion when there is a queue to complete it in. */
    private void finished(Job job, WebhookEvent event, Status status, String error) {
        if (queue.isPresent()) {
            deliveries.finishAndComplete(event.deliveryId(), status, error, clock.instant(), queue.get(), job);
        } else {
            deliveries.finish(event.deliveryId(), status, error, clock.instant());
        }
    }
}
