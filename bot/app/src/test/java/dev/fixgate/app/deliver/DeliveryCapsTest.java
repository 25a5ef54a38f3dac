package dev.fixgate.app.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.deliver.DeliveryCaps.FixgatePull;
import dev.fixgate.app.jobs.RetryLater;
import dev.fixgate.app.jobs.WaitUntil;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The caps' arithmetic, without GitHub (see {@code DeliveryCapsGitHubTest} for the counting on GitHub). */
class DeliveryCapsTest {

    private static final String FILE = "acme/infra:.github/fixgate.yml";
    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");

    private static RepoConfig caps(String yaml) {
        return RepoConfigLoader.parse(FILE, "caps:\n" + yaml);
    }

    private static FixgatePull open(int n, Duration ago) {
        return new FixgatePull(n, true, NOW.minus(ago));
    }

    private static FixgatePull closed(int n, Duration ago) {
        return new FixgatePull(n, false, NOW.minus(ago));
    }

    private static Duration min(long m) {
        return Duration.ofMinutes(m);
    }

    @Test
    void belowEveryCapANewPullRequestIsAdmitted() {
        RepoConfig config = caps("  max_open_pull_requests: 2\n  max_pull_requests_per_hour: 2\n  max_pull_requests_per_day: 3\n");
        assertThat(DeliveryCaps.check(config, List.of(), NOW)).isEmpty();
        assertThat(DeliveryCaps.check(config, List.of(open(1, min(30)), closed(2, min(90)), closed(3, Duration.ofHours(30))),
                NOW)).isEmpty();
    }

    @Test
    void atTheOpenCapTheDeliveryWaitsHalfAnHourAndSaysWhichCapAndWhere() {
        RepoConfig config = caps("  max_open_pull_requests: 1\n");

        Optional<WaitUntil> wait = DeliveryCaps.check(config, List.of(open(7, Duration.ofDays(3))), NOW);

        assertThat(wait).hasValueSatisfying(r -> {
            assertThat(r.notBefore()).isEqualTo(NOW.plus(DeliveryCaps.OPEN_RETRY));
            assertThat(r.getMessage()).contains("caps.max_open_pull_requests = 1 (" + FILE + ":2:3) reached: 1 open")
                    .contains("trying again at " + NOW.plus(Duration.ofMinutes(30)));
        });
        assertThat(DeliveryCaps.check(config, List.of(closed(7, Duration.ofDays(3))), NOW))
                .as("a closed pull request is not open").isEmpty();
    }

    @Test
    void atTheHourlyCapTheDeliveryWaitsUntilEnoughHaveLeftTheHour() {
        RepoConfig config = caps("  max_pull_requests_per_hour: 2\n");
        List<FixgatePull> pulls = List.of(closed(1, min(50)), open(2, min(10)), closed(3, min(40)), closed(4, min(70)));

        Optional<WaitUntil> wait = DeliveryCaps.check(config, pulls, NOW);

        // three in the last hour (50, 40 and 10 minutes ago): with two allowed, the one from 40 minutes ago must
        // leave the hour too, in 20 minutes
        assertThat(wait).hasValueSatisfying(r -> {
            assertThat(r.notBefore()).isEqualTo(NOW.plus(min(20)));
            assertThat(r.getMessage()).contains("caps.max_pull_requests_per_hour = 2 (" + FILE + ":2:3) reached: "
                    + "3 created in the last hour");
        });
        assertThat(DeliveryCaps.check(config, pulls, NOW.plus(min(20)))).as("then one more fits").isEmpty();
    }

    @Test
    void aPullRequestCreatedExactlyAnHourAgoHasLeftTheHour() {
        RepoConfig config = caps("  max_pull_requests_per_hour: 1\n");
        assertThat(DeliveryCaps.check(config, List.of(closed(1, min(60))), NOW)).isEmpty();
        assertThat(DeliveryCaps.check(config, List.of(closed(1, min(59))), NOW)).hasValueSatisfying(
                r -> assertThat(r.notBefore()).isEqualTo(NOW.plus(min(1))));
    }

    @Test
    void atTheDailyCapTheDeliveryWaitsForTheDayWindowAndTheDefaultIsNamedAsSuch() {
        RepoConfig config = caps("  max_pull_requests_per_hour: 10\n");
        List<FixgatePull> pulls = java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> closed(i, Duration.ofHours(23 - i))).toList();

        Optional<WaitUntil> wait = DeliveryCaps.check(config, pulls, NOW);

        assertThat(wait).hasValueSatisfying(r -> {
            assertThat(r.notBefore()).isEqualTo(NOW.plus(Duration.ofHours(1)));
            assertThat(r.getMessage()).contains("caps.max_pull_requests_per_day = 10 (default; not set in " + FILE
                    + ") reached: 10 created in the last 24 hours");
        });
    }

    @Test
    void whenSeveralCapsAreReachedTheDeliveryWaitsForTheLastOneToFree() {
        RepoConfig config = caps("  max_open_pull_requests: 1\n  max_pull_requests_per_hour: 1\n  max_pull_requests_per_day: 2\n");
        List<FixgatePull> pulls = List.of(open(1, min(5)), closed(2, Duration.ofHours(20)));

        Optional<WaitUntil> wait = DeliveryCaps.check(config, pulls, NOW);

        assertThat(wait).hasValueSatisfying(r -> {
            assertThat(r.notBefore()).as("the day window frees in 4 hours").isEqualTo(NOW.plus(Duration.ofHours(4)));
            assertThat(r.getMessage()).contains("caps.max_open_pull_requests = 1", "caps.max_pull_requests_per_hour = 1",
                    "caps.max_pull_requests_per_day = 2");
        });
    }

    @Test
    void aCapOfZeroMeansNoNewPullRequestsAtAll() {
        for (String key : List.of("max_open_pull_requests", "max_pull_requests_per_hour", "max_pull_requests_per_day")) {
            RepoConfig config = caps("  " + key + ": 0\n");
            assertThat(DeliveryCaps.check(config, List.of(), NOW)).as(key).hasValueSatisfying(r -> {
                assertThat(r.notBefore()).isEqualTo(NOW.plus(DeliveryCaps.OPEN_RETRY));
                assertThat(r.getMessage()).contains("caps." + key + " = 0 (" + FILE + ":2:3): no new pull requests");
            });
        }
    }

    @Test
    void aFixWithMoreFilesThanTheCapIsRefusedWithTheReason() {
        RepoConfig config = caps("  max_files_per_pull_request: 2\n");
        assertThat(DeliveryCaps.tooManyFiles(config, 2)).isEmpty();
        assertThat(DeliveryCaps.tooManyFiles(config, 3)).hasValue("the fix changes 3 files and "
                + "caps.max_files_per_pull_request is 2 (" + FILE + ":2:3), so fixgate does not open a pull request for it");
    }
}
