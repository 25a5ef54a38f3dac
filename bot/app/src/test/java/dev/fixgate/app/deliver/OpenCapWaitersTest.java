package dev.fixgate.app.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.deliver.DeliveryCaps.FixgatePull;
import dev.fixgate.app.github.WebhookEvent;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A delivery held back by {@code caps.max_open_pull_requests} used to wait its whole half hour even when one of the
 * repository's fixgate pull requests merged a minute later (the multi-replica kill benchmark found repositories idle
 * with initiatives still to deliver). Now the pull request's {@code closed} webhook makes that repository's waiting
 * deliveries due at once — and only those: other repositories, other caps and other kinds of job keep their time.
 */
class OpenCapWaitersTest {

    private static final Instant NOW = Instant.parse("2026-12-07T22:00:00Z");

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aClosedFixgatePullRequestMakesItsRepositorysCapWaitsDueNow(TestDb kind) throws Exception {
        try (Database db = kind.fresh()) {
            JobQueue queue = new JobQueue(db);
            RepoConfig capOne = RepoConfigLoader.parse("acme/infra:.github/fixgate.yml",
                    "caps:\n  max_open_pull_requests: 1\n  max_pull_requests_per_hour: 1\n");
            String openCap = DeliveryCaps.check(capOne, List.of(new FixgatePull(7, true, NOW.minusSeconds(3600))), NOW)
                    .orElseThrow().getMessage();
            String hourCap = DeliveryCaps.check(capOne, List.of(new FixgatePull(7, false, NOW.minusSeconds(60))), NOW)
                    .orElseThrow().getMessage();
            assertThat(hourCap).doesNotContain("max_open_pull_requests");

            long infra = waiting(queue, proposal("acme/infra", "i-1"), openCap);
            long infraHour = waiting(queue, proposal("acme/infra", "i-2"), hourCap);
            long other = waiting(queue, proposal("acme/infra-two", "i-3"), openCap);
            AtomicInteger woken = new AtomicInteger();
            OpenCapWaiters waiters = new OpenCapWaiters(queue, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC),
                    woken::incrementAndGet);

            waiters.onPullRequest(closed("acme/infra", "someone/else", true));
            waiters.onPullRequest(new WebhookEvent("d-open", "pull_request", "opened", 1, "acme/infra",
                    payload("fixgate/aws.s3.bucket.versioning/abc", false)));
            assertThat(woken).as("a person's branch or an opened pull request frees nothing").hasValue(0);
            assertThat(queue.claim("w", NOW.plusSeconds(61))).isEmpty();

            waiters.onPullRequest(closed("acme/infra", "fixgate/aws.s3.bucket.versioning/abc", true));

            assertThat(woken).hasValue(1);
            Optional<Job> due = queue.claim("w", NOW.plusSeconds(61));
            assertThat(due).map(Job::id).hasValue(infra);
            assertThat(due.get().attempts()).as("waking used no attempt").isEqualTo(1);
            assertThat(queue.claim("w", NOW.plusSeconds(61))).as("the hour cap and acme/infra-two still wait").isEmpty();
            assertThat(queue.find(infraHour)).map(Job::status).hasValue(JobQueue.Status.QUEUED);
            assertThat(queue.find(other)).map(Job::status).hasValue(JobQueue.Status.QUEUED);

            // closed without merging frees a place as well
            waiters.onPullRequest(closed("acme/infra-two", "fixgate/aws.s3.bucket.versioning/def", false));
            assertThat(queue.claim("w", NOW.plusSeconds(61))).map(Job::id).hasValue(other);
        }
    }

    /** A delivery job for {@code proposal} that ran and was put back to wait with the caps' {@code reason}. */
    private static long waiting(JobQueue queue, FixProposal proposal, String reason) {
        assertThat(proposal.toJson()).contains("\"repository\":\"" + proposal.repository() + "\"");
        long id = DeliveryJobHandler.enqueue(queue, proposal, NOW);
        assertThat(queue.claim("w", NOW)).map(Job::id).hasValue(id);
        assertThat(queue.postpone(id, "w", reason, NOW.plus(DeliveryCaps.OPEN_RETRY), NOW)).isTrue();
        return id;
    }

    private static FixProposal proposal(String repository, String initiative) throws Exception {
        String json = PullRequestContentTest.proposal(new GateDecision.Allow(GateLayer.POLICY, List.of("additive")),
                Rci.initial()).toJson();
        return FixProposal.fromJson(json.replace("\"repository\":\"acme/infra\"", "\"repository\":\"" + repository + "\"")
                .replace("\"initiativeId\":\"init-1\"", "\"initiativeId\":\"" + initiative + "\""));
    }

    private static WebhookEvent closed(String repository, String head, boolean merged) {
        return new WebhookEvent("d-" + head + merged, "pull_request", "closed", 1, repository, payload(head, merged));
    }

    private static ObjectNode payload(String head, boolean merged) {
        ObjectNode p = Json.mapper().createObjectNode();
        ObjectNode pr = p.putObject("pull_request");
        pr.put("number", 7).put("merged", merged).putObject("head").put("ref", head);
        return p;
    }
}
