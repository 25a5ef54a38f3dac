package dev.fixgate.app.github;

import dev.fixgate.app.jobs.RetryAfter;
import java.time.Instant;
import org.kohsuke.github.GHIOException;

/**
 * GitHub limited us (primary rate limit or secondary "abuse" limit) for longer than a worker should wait in
 * place. Thrown out of the github-api client (it passes {@link GHIOException}s through unwrapped); the job that
 * made the call fails this attempt and, as a {@link RetryAfter}, is queued again no earlier than the reset.
 */
public final class GitHubRateLimitedException extends GHIOException implements RetryAfter {

    private static final long serialVersionUID = 1L;

    /** Which of GitHub's limits answered. */
    public enum Limit { PRIMARY, SECONDARY }

    private final Limit limit;
    private final Instant notBefore;

    public GitHubRateLimitedException(Limit limit, Instant notBefore, String url) {
        super("GitHub " + (limit == Limit.PRIMARY ? "rate limit" : "secondary rate limit") + " reached for " + url
                + "; retry after " + notBefore);
        this.limit = limit;
        this.notBefore = notBefore;
    }

    public Limit limit() {
        return limit;
    }

    @Override
    public Instant notBefore() {
        return notBefore;
    }
}
