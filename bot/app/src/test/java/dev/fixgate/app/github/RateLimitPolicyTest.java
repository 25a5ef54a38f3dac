package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.app.jobs.RetryAfter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.github.GHIOException;
import org.kohsuke.github.connector.GitHubConnectorResponse;
import org.junit.jupiter.api.Test;

/**
 * The handlers github-api calls when GitHub limits a request, fed the responses GitHub documents (headers as in
 * "Rate limits for the REST API"): wait in place when short, otherwise a typed exception the job queue honours.
 */
class RateLimitPolicyTest {

    private static final Instant OURS = Instant.parse("2026-11-22T10:00:00Z");

    private final MutableClock clock = new MutableClock(OURS);
    private final List<Duration> slept = new ArrayList<>();
    private final RateLimitPolicy policy = new RateLimitPolicy(Duration.ofSeconds(20), clock, slept::add);

    private static String httpDate(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }

    private static GitHubConnectorResponse response(int status, Map<String, String> headers) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        headers.forEach((k, v) -> all.put(k, List.of(v)));
        return new GitHubConnectorResponse(ConnectorRequests.of("GET", "https://api.github.com/repos/acme/infra/pulls"), status, all) {
            @Override
            public InputStream bodyStream() {
                return new ByteArrayInputStream("{\"message\":\"API rate limit exceeded\"}".getBytes());
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aPrimaryLimitThatResetsSoonIsWaitedOutInPlace() throws Exception {
        policy.primary().onError(response(403, Map.of("x-ratelimit-remaining", "0",
                "x-ratelimit-reset", String.valueOf(OURS.plusSeconds(5).getEpochSecond()), "Date", httpDate(OURS))));

        assertThat(slept).containsExactly(Duration.ofSeconds(6));
    }

    @Test
    void aPrimaryLimitThatResetsLaterBecomesARetryAfterForTheJob() {
        Instant reset = OURS.plus(Duration.ofMinutes(40));

        assertThatThrownBy(() -> policy.primary().onError(response(403, Map.of("x-ratelimit-remaining", "0",
                "x-ratelimit-reset", String.valueOf(reset.getEpochSecond()), "Date", httpDate(OURS)))))
                .isInstanceOfSatisfying(GitHubRateLimitedException.class, e -> {
                    assertThat(e).isInstanceOf(RetryAfter.class).isInstanceOf(GHIOException.class);
                    assertThat(e.limit()).isEqualTo(GitHubRateLimitedException.Limit.PRIMARY);
                    assertThat(e.notBefore()).isEqualTo(reset.plusSeconds(1));
                    assertThat(e.getMessage()).contains("https://api.github.com/repos/acme/infra/pulls");
                });
        assertThat(slept).isEmpty();
    }

    @Test
    void theResetIsMeasuredOnGitHubsClockAndTranslatedToOurs() {
        // Our clock runs ten minutes ahead of GitHub's: the wait is reset - GitHub's Date, counted from our now.
        Instant github = OURS.minus(Duration.ofMinutes(10));

        assertThatThrownBy(() -> policy.primary().onError(response(429, Map.of("x-ratelimit-remaining", "0",
                "x-ratelimit-reset", String.valueOf(github.plusSeconds(300).getEpochSecond()), "Date", httpDate(github)))))
                .isInstanceOfSatisfying(GitHubRateLimitedException.class,
                        e -> assertThat(e.notBefore()).isEqualTo(OURS.plusSeconds(301)));
    }

    @Test
    void aSecondaryLimitHonoursRetryAfterInSecondsOrAsADate() throws Exception {
        policy.secondary().onError(response(403, Map.of("Retry-After", "10", "Date", httpDate(OURS))));
        policy.secondary().onError(response(429, Map.of("Retry-After", httpDate(OURS.plusSeconds(3)), "Date", httpDate(OURS))));

        assertThat(slept).containsExactly(Duration.ofSeconds(11), Duration.ofSeconds(4));
    }

    @Test
    void aSecondaryLimitWithoutRetryAfterWaitsAtLeastAMinuteSoItIsHandedToTheQueue() {
        assertThatThrownBy(() -> policy.secondary().onError(response(403, Map.of("gh-limited-by", "secondary"))))
                .isInstanceOfSatisfying(GitHubRateLimitedException.class, e -> {
                    assertThat(e.limit()).isEqualTo(GitHubRateLimitedException.Limit.SECONDARY);
                    assertThat(e.notBefore()).isEqualTo(OURS.plusSeconds(61));
                });
        assertThatThrownBy(() -> policy.secondary().onError(response(403, Map.of("Retry-After", "120"))))
                .isInstanceOfSatisfying(GitHubRateLimitedException.class,
                        e -> assertThat(e.notBefore()).isEqualTo(OURS.plusSeconds(121)));
    }

    @Test
    void aResetInThePastStillPausesBriefly() throws Exception {
        policy.primary().onError(response(403, Map.of("x-ratelimit-remaining", "0",
                "x-ratelimit-reset", String.valueOf(OURS.minusSeconds(30).getEpochSecond()), "Date", httpDate(OURS))));

        assertThat(slept).containsExactly(Duration.ofSeconds(1));
    }
}
