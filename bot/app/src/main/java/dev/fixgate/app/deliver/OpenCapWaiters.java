package dev.fixgate.app.deliver;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fixgate.app.github.WebhookDispatcher;
import dev.fixgate.app.github.WebhookEvent;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.JobQueue;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pull_request} closed (merged or not) on a fixgate branch frees a place under
 * {@code caps.max_open_pull_requests}: the repository's deliveries that wait for that cap are due now instead of at
 * the end of their wait ({@link DeliveryCaps#OPEN_RETRY}, half an hour). They check the caps again when they run —
 * on any replica — so waking too many opens nothing more than the cap allows.
 */
public final class OpenCapWaiters {

    private static final Logger LOG = LoggerFactory.getLogger(OpenCapWaiters.class);

    private final JobQueue queue;
    private final Clock clock;
    private final Runnable woken;

    /** @param woken told when deliveries were made due (the service wakes its workers) */
    public OpenCapWaiters(JobQueue queue, Clock clock, Runnable woken) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.woken = Objects.requireNonNull(woken, "woken");
    }

    public void register(WebhookDispatcher.Builder events) {
        events.on("pull_request", this::onPullRequest);
    }

    public void onPullRequest(WebhookEvent event) throws JsonProcessingException {
        if (!"closed".equals(event.action()) || event.repository().isEmpty() || !event.payload().path("pull_request")
                .path("head").path("ref").asText("").startsWith(DeliveryCaps.BRANCH_PREFIX)) {
            return;
        }
        // the proposal's JSON names its repository as "repository":"owner/name" (FixProposal.toJson)
        String repository = "\"repository\":" + Json.mapper().writeValueAsString(event.repository());
        int due = queue.wakeWaiting(DeliveryJobHandler.KIND, repository, DeliveryCaps.OPEN_KEY + " = ",
                clock.instant());
        if (due > 0) {
            LOG.atInfo().setMessage("deliveries waiting for the open pull request cap are due")
                    .addKeyValue("repository", event.repository()).addKeyValue("deliveries", due).log();
            woken.run();
        }
    }
}
