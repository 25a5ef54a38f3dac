package dev.fixgate.app.github;

import dev.fixgate.app.github.GitHubRateLimitedException.Limit;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.connector.GitHubConnectorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How fixgate's GitHub clients react when GitHub limits them. github-api asks a {@link GitHubRateLimitHandler}
 * (primary limit: 403/429 with {@code x-ratelimit-remaining: 0}) or a {@link GitHubAbuseLimitHandler} (secondary
 * limit: 403/429 with {@code Retry-After} or {@code gh-limited-by}) and retries the request when the handler
 * returns. Ours wait in place when the limit lifts within {@link #maxWait()} — {@code Retry-After} seconds or
 * HTTP date, else {@code x-ratelimit-reset} measured against the response's {@code Date} — and otherwise throw
 * {@link GitHubRateLimitedException}, so a job worker is not blocked for up to an hour: the job is retried
 * after the reset through its backoff.
 *
 * @param maxWait longest wait in place
 * @param clock   for the wait when the response has no {@code Date}
 * @param sleeper how to wait (tests record instead of sleeping)
 */
public record RateLimitPolicy(Duration maxWait, Clock clock, Sleeper sleeper) {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimitPolicy.class);
    /** GitHub's advice for a secondary limit without Retry-After: wait at least a minute. */
    static final Duration SECONDARY_DEFAULT_WAIT = Duration.ofSeconds(60);
    /** Added to every wait: x-ratelimit-reset has one-second resolution and clocks differ a little. */
    static final Duration MARGIN = Duration.ofSeconds(1);

    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public RateLimitPolicy {
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Waits up to 20 seconds in place. */
    public static RateLimitPolicy defaults(Clock clock) {
        return new RateLimitPolicy(Duration.ofSeconds(20), clock, d -> Thread.sleep(d));
    }

    public GitHubRateLimitHandler primary() {
        return new GitHubRateLimitHandler() {
            @Override
            public void onError(GitHubConnectorResponse response) throws IOException {
                Instant now = now(response);
                Instant until = retryAfter(response, now).or(() -> reset(response))
                        .orElse(now.plus(SECONDARY_DEFAULT_WAIT));
                waitOrThrow(Limit.PRIMARY, response, now, until);
            }
        };
    }

    public GitHubAbuseLimitHandler secondary() {
        return new GitHubAbuseLimitHandler() {
            @Override
            public void onError(GitHubConnectorResponse response) throws IOException {
                Instant now = now(response);
                Optional<Instant> reset = "0".equals(response.header("x-ratelimit-remaining"))
                        ? reset(response) : Optional.empty();
                Instant until = retryAfter(response, now).or(() -> reset).orElse(now.plus(SECONDARY_DEFAULT_WAIT));
                waitOrThrow(Limit.SECONDARY, response, now, until);
            }
        };
    }

    void waitOrThrow(Limit limit, GitHubConnectorResponse response, Instant now, Instant until) throws IOException {
        Duration wait = Duration.between(now, until).plus(MARGIN);
        if (wait.isNegative()) {
            wait = MARGIN;
        }
        String url = String.valueOf(response.request().url());
        if (wait.compareTo(maxWait) > 0) {
            // Measured on GitHub's clock; translated to ours so the job queue (our clock) waits long enough.
            throw new GitHubRateLimitedException(limit, clock.instant().plus(wait), url);
        }
        LOG.atInfo().setMessage("GitHub rate limit; waiting before retrying").addKeyValue("limit", limit)
                .addKeyValue("wait", wait).addKeyValue("status", response.statusCode()).log();
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a GitHub rate limit");
        }
    }

    /** GitHub's time when the response says it (its clock is the one x-ratelimit-reset is on), else ours. */
    private Instant now(GitHubConnectorResponse response) {
        String date = response.header("Date");
        if (date != null) {
            try {
                return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException ignored) {
                // fall through to our clock
            }
        }
        return clock.instant();
    }

    static Optional<Instant> retryAfter(GitHubConnectorResponse response, Instant now) {
        String value = response.header("Retry-After");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(now.plusSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            try {
                return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    static Optional<Instant> reset(GitHubConnectorResponse response) {
        String value = response.header("x-ratelimit-reset");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
