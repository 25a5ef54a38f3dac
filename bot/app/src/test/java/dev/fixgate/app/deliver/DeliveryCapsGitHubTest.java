package dev.fixgate.app.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.deliver.DeliveryCaps.FixgatePull;
import dev.fixgate.app.github.MutableClock;
import dev.fixgate.app.jobs.RetryLater;
import dev.fixgate.localgithub.Exchange;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/** The caps count fixgate's pull requests from GitHub's own {@code created_at}, so a restart does not reset them. */
class DeliveryCapsGitHubTest {

    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(NOW.minus(Duration.ofHours(40)));
    private LocalGitHub gh;
    private final List<Exchange> seen = new CopyOnWriteArrayList<>();
    private GitHub alice;

    @BeforeEach
    void start() throws Exception {
        gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")).withClock(clock)
                .withExchangeListener(seen::add));
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "\n"));
        gh.addCollaborator("acme", "infra", "alice", "write");
        alice = new GitHubBuilder().withEndpoint(gh.apiUrl()).withOAuthToken(gh.tokenFor("alice")).build();
    }

    @AfterEach
    void stop() {
        if (gh != null) {
            gh.close();
        }
    }

    /** Opens a pull request from {@code branch} at {@code NOW - ago}; closes it when asked. */
    private int pull(String branch, Duration ago, boolean close) throws Exception {
        clock.set(NOW.minus(ago));
        gh.as("alice").push("acme", "infra", branch, Map.of(branch.replace('/', '-') + ".txt", "x\n"), "Change");
        int number = gh.as("alice").openPullRequest("acme", "infra", branch, "main", "Change " + branch, "");
        if (close) {
            alice.getRepository("acme/infra").getPullRequest(number).close();
        }
        return number;
    }

    @Test
    void countsOpenFixgatePullRequestsOfAnyAgeAndThoseCreatedInTheLastDay() throws Exception {
        int oldOpen = pull("fixgate/aws.s3.a/000000000001", Duration.ofHours(40), false);
        pull("fixgate/aws.s3.b/000000000002", Duration.ofHours(30), true);   // closed, more than a day ago
        int recentClosed = pull("fixgate/aws.s3.c/000000000003", Duration.ofHours(2), true);
        int recentOpen = pull("fixgate/aws.s3.d/000000000004", Duration.ofMinutes(30), false);
        pull("feature/mine", Duration.ofMinutes(10), false);                 // not fixgate's
        pull("fixgatex/lookalike", Duration.ofMinutes(5), true);
        clock.set(NOW);
        GHRepository repo = alice.getRepository("acme/infra");

        assertThat(DeliveryCaps.pulls(repo, NOW)).containsExactlyInAnyOrder(
                new FixgatePull(oldOpen, true, NOW.minus(Duration.ofHours(40))),
                new FixgatePull(recentOpen, true, NOW.minus(Duration.ofMinutes(30))),
                new FixgatePull(recentClosed, false, NOW.minus(Duration.ofHours(2))));
        assertThat(gh.unsupportedRequests()).isEmpty();
    }

    @Test
    void oneListingWhenAPageHoldsEveryPullRequest() throws Exception {
        int open = pull("fixgate/aws.s3.a/000000000001", Duration.ofHours(40), false);
        int closed = pull("fixgate/aws.s3.b/000000000002", Duration.ofHours(2), true);
        clock.set(NOW);
        GHRepository repo = alice.getRepository("acme/infra");
        seen.clear();

        DeliveryCaps.Listing listing = DeliveryCaps.list(repo, NOW);

        assertThat(listing.pulls()).extracting(FixgatePull::number).containsExactlyInAnyOrder(open, closed);
        assertThat(listing.openFor(repo, "fixgate/aws.s3.a/000000000001")).map(GHPullRequest::getNumber).hasValue(open);
        assertThat(listing.openFor(repo, "fixgate/aws.s3.b/000000000002")).as("closed").isEmpty();
        assertThat(seen).extracting(e -> e.method() + " " + e.path() + "?" + e.query())
                .containsExactly("GET /repos/acme/infra/pulls?state=all&sort=created&direction=desc&per_page=100");
    }

    @Test
    void anOldOpenPullRequestBeyondTheFirstPageIsStillCounted() throws Exception {
        int oldOpen = pull("fixgate/aws.s3.a/000000000001", Duration.ofHours(50), false);
        for (int i = 0; i < DeliveryCaps.PAGE; i++) {
            pull("feature/f" + i, Duration.ofHours(30), true); // a full page of other, closed pull requests
        }
        int recent = pull("fixgate/aws.s3.c/000000000003", Duration.ofHours(1), false);
        clock.set(NOW);
        GHRepository repo = alice.getRepository("acme/infra");
        seen.clear();

        DeliveryCaps.Listing listing = DeliveryCaps.list(repo, NOW);

        assertThat(listing.pulls()).containsExactlyInAnyOrder(
                new FixgatePull(oldOpen, true, NOW.minus(Duration.ofHours(50))),
                new FixgatePull(recent, true, NOW.minus(Duration.ofHours(1))));
        assertThat(listing.openFor(repo, "fixgate/aws.s3.a/000000000001")).map(GHPullRequest::getNumber)
                .hasValue(oldOpen);
        assertThat(seen).as("the day ended on the first page: no second page, the open ones instead")
                .extracting(e -> e.method() + " " + e.path() + " " + e.query().contains("state=open"))
                .containsExactly("GET /repos/acme/infra/pulls false", "GET /repos/acme/infra/pulls true");
    }

    @Test
    void admitThrowsRetryLaterWhenTheHourIsFull() throws Exception {
        pull("fixgate/aws.s3.a/000000000001", Duration.ofMinutes(45), true);
        clock.set(NOW);
        GHRepository repo = alice.getRepository("acme/infra");
        var config = RepoConfigLoader.parse("acme/infra:.github/fixgate.yml", "caps: {max_pull_requests_per_hour: 1}\n");

        RetryLater wait = catchThrowableOfType(RetryLater.class, () -> DeliveryCaps.admit(repo, config, NOW));

        assertThat(wait).isNotNull();
        assertThat(wait.notBefore()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(wait.getMessage()).contains("caps.max_pull_requests_per_hour = 1 (acme/infra:.github/fixgate.yml:1:",
                "1 created in the last hour");
    }
}
