package dev.fixgate.app.chatops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.deliver.RepoConfigs;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.jobs.PermanentJobFailure;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerifyStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each repository's Remediation Dashboard issue up to date: {@link #refresh} queues a {@value #KIND} job
 * (one pending per repository, so a burst of changes rewrites the page once), and the job renders
 * {@link DashboardView} from the store and writes it to the issue — found again by its marker, or opened when the
 * repository has none. A repository whose configuration turns the dashboard off gets none.
 */
public final class Dashboards implements JobHandler {

    public static final String KIND = "fixgate.dashboard";
    private static final Logger LOG = LoggerFactory.getLogger(Dashboards.class);

    private final GitHubClients clients;
    private final ChatOpsStore store;
    private final RemediationStore remediations;
    private final JobQueue queue;
    private final Clock clock;
    private volatile Runnable wake = () -> { };
    private volatile Optional<VerifyStore> verification = Optional.empty();

    public Dashboards(GitHubClients clients, ChatOpsStore store, RemediationStore remediations, JobQueue queue,
                      Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.store = Objects.requireNonNull(store, "store");
        this.remediations = Objects.requireNonNull(remediations, "remediations");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Shows the merged fixes' verification: escalated and drifted ones in their own section, the others' state. */
    public Dashboards withVerification(VerifyStore store) {
        this.verification = Optional.of(store);
        return this;
    }

    /** Called after a refresh is queued (the service wakes its workers). */
    public void onQueued(Runnable wake) {
        this.wake = Objects.requireNonNull(wake, "wake");
    }

    /** Queues a rewrite of {@code repo}'s dashboard. */
    public void refresh(String repo, long installationId) {
        queue.enqueue(KIND, Json.write(Map.of("repo", repo, "installation", installationId)),
                Optional.of(KIND + ":" + repo), 5, clock.instant());
        wake.run();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void handle(JobQueue.Job job) throws Exception {
        JsonNode p = Json.mapper().readTree(job.payload());
        if (!p.path("repo").isTextual() || !p.path("installation").canConvertToLong()) {
            throw new PermanentJobFailure("not a dashboard job (needs /repo and /installation): " + job.payload());
        }
        sync(p.get("repo").asText(), p.get("installation").asLong());
    }

    /** Renders and writes the dashboard; returns its issue number, or empty when the repository turned it off. */
    public Optional<Integer> sync(String repoName, long installationId) throws IOException, PermanentJobFailure {
        GitHub github = clients.installation(installationId);
        GHRepository repo;
        try {
            repo = github.getRepository(repoName);
        } catch (FileNotFoundException e) {
            throw new PermanentJobFailure("repository " + repoName + " is gone or no longer visible to the App", e);
        }
        RepoConfig.Dashboard settings;
        try {
            settings = RepoConfigs.read(github, repo).dashboard();
        } catch (ConfigException e) {
            settings = RepoConfig.defaults().dashboard(); // the page also tells people what fixgate is not doing
        }
        if (!settings.enabled()) {
            return Optional.empty();
        }
        String body = render(repoName, settings.maxLength());
        GHIssue issue = find(repo).orElse(null);
        if (issue == null) {
            issue = repo.createIssue(settings.title()).body(body).label(PullRequestContent.LABEL).create();
            LOG.atInfo().setMessage("dashboard opened").addKeyValue("repository", repoName)
                    .addKeyValue("issue", issue.getNumber()).log();
        } else {
            if (!body.equals(issue.getBody())) {
                issue.setBody(body);
            }
            if (!settings.title().equals(issue.getTitle())) {
                issue.setTitle(settings.title());
            }
        }
        store.saveDashboard(repoName, installationId, issue.getNumber(), clock.instant());
        return Optional.of(issue.getNumber());
    }

    /** The page for {@code repo} from the store, as the issue shows it. */
    public String render(String repo, int maxLength) {
        Map<Long, VerifyStore.Track> tracks = new java.util.HashMap<>();
        verification.ifPresent(v -> v.inRepo(repo).forEach(t -> tracks.put(t.remediationId(), t)));
        return DashboardView.render(new DashboardView.Data(repo, remediations.inRepo(repo),
                store.holdsInForce(repo, clock.instant()), store.notes(repo), clock.instant(), tracks), maxLength,
                "fixgate dashboard --repo " + repo);
    }

    /** The dashboard issue: the one recorded, else an open fixgate issue carrying the marker. */
    private Optional<GHIssue> find(GHRepository repo) throws IOException {
        Optional<ChatOpsStore.Dashboard> known = store.dashboard(repo.getFullName());
        if (known.isPresent()) {
            try {
                GHIssue issue = repo.getIssue(known.get().issueNumber());
                if (issue.getBody() != null && issue.getBody().startsWith(DashboardView.MARKER)) {
                    return Optional.of(issue);
                }
            } catch (FileNotFoundException e) {
                // deleted: look for another, or open a new one
            }
        }
        for (GHIssue issue : repo.getIssues(GHIssueState.OPEN)) {
            if (!issue.isPullRequest() && issue.getBody() != null && issue.getBody().startsWith(DashboardView.MARKER)) {
                return Optional.of(issue);
            }
        }
        return Optional.empty();
    }
}
