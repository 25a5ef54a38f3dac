package dev.fixgate.app.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.RepoConfigs;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.WebhookDispatcher;
import dev.fixgate.app.github.WebhookEvent;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerifyStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kohsuke.github.GHCompare;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verify stage's webhooks. {@code pull_request} closed and merged, on a fixgate branch: the fix's verification
 * starts (merged by fixgate or by a person; its deadline is {@code verify.deadline} after the merge).
 * {@code deployment_status} success (of the configured environment, when one is set) and {@code workflow_run}
 * completed successfully on the default branch (of the configured workflow, when one is set): with the matching
 * {@code verify.deploy.signal}, the fixes not verified yet whose merge commit is the deployed commit or one of its
 * ancestors count as deployed, and are verified again now.
 */
public final class VerifyHandler {

    private static final Logger LOG = LoggerFactory.getLogger(VerifyHandler.class);
    public static final List<String> EVENTS = List.of("pull_request", "deployment_status", "workflow_run");

    private final GitHubClients clients;
    private final RemediationStore remediations;
    private final VerifyStore store;
    private final JobQueue queue;
    private final Clock clock;
    private final Runnable queued;

    /** @param queued told after a verification run was queued (the service wakes its workers) */
    public VerifyHandler(GitHubClients clients, RemediationStore remediations, VerifyStore store, JobQueue queue,
                         Clock clock, Runnable queued) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.remediations = Objects.requireNonNull(remediations, "remediations");
        this.store = Objects.requireNonNull(store, "store");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queued = Objects.requireNonNull(queued, "queued");
    }

    public void register(WebhookDispatcher.Builder events) {
        EVENTS.forEach(e -> events.on(e, this::onEvent));
    }

    public void onEvent(WebhookEvent event) throws IOException {
        if (event.installationId() == 0 || event.repository().isEmpty()) {
            return;
        }
        JsonNode p = event.payload();
        switch (event.event()) {
            case "pull_request" -> merged(event, p.path("pull_request"));
            case "deployment_status" -> {
                JsonNode status = p.path("deployment_status");
                JsonNode deployment = p.path("deployment");
                if (!"success".equals(status.path("state").asText())) {
                    return;
                }
                String environment = status.path("environment").asText(deployment.path("environment").asText(""));
                deployed(event, RepoConfig.Verify.Signal.DEPLOYMENT, deployment.path("sha").asText(""),
                        instant(status.path("created_at").asText("")),
                        "deployment " + deployment.path("id").asLong() + " to " + environment + " (success)",
                        d -> d.environment().isEmpty() || d.environment().equals(environment));
            }
            case "workflow_run" -> {
                JsonNode run = p.path("workflow_run");
                String defaultBranch = p.path("repository").path("default_branch").asText("");
                if (!"completed".equals(event.action()) || !"success".equals(run.path("conclusion").asText())
                        || defaultBranch.isEmpty() || !defaultBranch.equals(run.path("head_branch").asText())) {
                    return;
                }
                String name = run.path("name").asText("");
                String path = run.path("path").asText("");
                deployed(event, RepoConfig.Verify.Signal.WORKFLOW, run.path("head_sha").asText(""),
                        instant(run.path("updated_at").asText("")), "workflow run " + run.path("id").asLong() + " ("
                                + name + ") succeeded", d -> d.workflow().isEmpty() || d.workflow().equals(name)
                                || d.workflow().equals(path));
            }
            default -> {
            }
        }
    }

    private void merged(WebhookEvent event, JsonNode pr) throws IOException {
        if (!"closed".equals(event.action()) || !pr.path("merged").asBoolean(false)
                || !pr.path("head").path("ref").asText("").startsWith("fixgate/")) {
            return;
        }
        int number = pr.path("number").asInt();
        Optional<RemediationStore.Remediation> r = remediations.findByPull(event.repository(), number);
        if (r.isEmpty()) {
            return; // not a pull request of a recorded remediation (a revert, or from before the store)
        }
        String sha = pr.path("merge_commit_sha").asText("");
        if (sha.isEmpty()) {
            sha = r.get().mergedSha().orElse(pr.path("head").path("sha").asText(""));
        }
        Instant mergedAt = instant(pr.path("merged_at").asText(""));
        Instant now = clock.instant();
        RepoConfig config = config(event);
        remediations.merged(r.get().id(), sha, mergedAt); // a person's merge is a merge too
        VerifyStore.Track t = store.start(r.get().id(), event.repository(), event.installationId(), number, sha,
                mergedAt, mergedAt.plus(config.verify().deadline()), now);
        LOG.atInfo().setMessage("verification started").addKeyValue("repository", event.repository())
                .addKeyValue("pull_request", number).addKeyValue("deadline", t.deadline()).log();
        VerifyJobHandler.enqueue(queue, t.remediationId(), now, "merged");
        queued.run();
    }

    private void deployed(WebhookEvent event, RepoConfig.Verify.Signal signal, String sha, Instant at, String what,
                          java.util.function.Predicate<RepoConfig.Verify.Deploy> matches) throws IOException {
        List<VerifyStore.Track> waiting = store.unverifiedIn(event.repository()).stream()
                .filter(t -> t.deployedAt().isEmpty()).toList();
        if (waiting.isEmpty() || sha.isEmpty()) {
            return;
        }
        RepoConfig config = config(event);
        RepoConfig.Verify.Deploy deploy = config.verify().deploy();
        if (deploy.signal() != signal || !matches.test(deploy)) {
            return;
        }
        GitHub github = clients.installation(event.installationId());
        GHRepository repo = github.getRepository(event.repository());
        Instant now = clock.instant();
        boolean any = false;
        for (VerifyStore.Track t : waiting) {
            if (!contains(repo, sha, t.mergeSha())) {
                continue;
            }
            if (store.deployed(t.remediationId(), at, what + " of " + sha.substring(0, Math.min(7, sha.length())), now)) {
                VerifyJobHandler.enqueue(queue, t.remediationId(), now, "deployed");
                any = true;
            }
        }
        if (any) {
            queued.run();
        }
    }

    /** Whether commit {@code deployed} is {@code merge} or comes after it. */
    private static boolean contains(GHRepository repo, String deployed, String merge) throws IOException {
        if (deployed.equals(merge)) {
            return true;
        }
        GHCompare.Status s = repo.getCompare(merge, deployed).getStatus();
        return s == GHCompare.Status.ahead || s == GHCompare.Status.identical;
    }

    /** The repository's configuration; an invalid one counts as the defaults (the deadline still applies). */
    private RepoConfig config(WebhookEvent event) throws IOException {
        GitHub github = clients.installation(event.installationId());
        try {
            return RepoConfigs.read(github, github.getRepository(event.repository()));
        } catch (ConfigException e) {
            LOG.atWarn().setMessage("invalid fixgate configuration; verification uses the defaults")
                    .addKeyValue("repository", event.repository()).log();
            return RepoConfig.defaults();
        }
    }

    private Instant instant(String text) {
        try {
            return text.isEmpty() ? clock.instant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }
}
