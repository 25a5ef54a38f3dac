package dev.fixgate.provider.common.pull;

import dev.fixgate.provider.common.evidence.Failure;
import dev.fixgate.spi.intake.FindingSource;
import dev.fixgate.spi.intake.PullFailedException;

/**
 * The loop of a finding source that pulls what changed since its cursor page by page: ask for a page with the
 * service's continuation token, hand the page on, follow the next token until there is none or {@code maxPages}
 * pages were read (the rest — the newer changes, when the service answers oldest first — comes in the next pull,
 * from the cursor the pages moved). The source says how to ask, how a response becomes a
 * {@link FindingSource.Page} and what a failed call means; the loop is the same for every service.
 *
 * <p>One call per page and no retry here: a call that throws ends the pull with the {@link PullFailedException} the
 * source makes of it (naming the read and the page), and the schedule is the retry.
 *
 * @param <R> the service's answer to one page's call
 */
public final class PagedPull<R> {

    /** One page's call. */
    @FunctionalInterface
    public interface Fetch<R> {
        /** The service's answer for {@code token}: null for the first page, then what {@link NextToken} gave. */
        R page(String token);
    }

    /** The continuation token in an answer: null or empty when it was the last page. */
    @FunctionalInterface
    public interface NextToken<R> {
        String of(R response);
    }

    /** An answer as the page handed on; {@code number} counts from 1. */
    @FunctionalInterface
    public interface ToPage<R> {
        FindingSource.Page page(int number, R response);
    }

    /** What a failed call of page {@code number} means for the pull. */
    @FunctionalInterface
    public interface Failed {
        PullFailedException of(int number, RuntimeException e);
    }

    private final int maxPages;
    private final Fetch<R> fetch;
    private final NextToken<R> next;
    private final ToPage<R> toPage;
    private final Failed failed;

    public PagedPull(int maxPages, Fetch<R> fetch, NextToken<R> next, ToPage<R> toPage, Failed failed) {
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages must be at least 1");
        }
        this.maxPages = maxPages;
        this.fetch = fetch;
        this.next = next;
        this.toPage = toPage;
        this.failed = failed;
    }

    /** Reads the pages into {@code sink}, in order, until the last one or {@code maxPages}. */
    public void into(FindingSource.PageSink sink) throws PullFailedException {
        String token = null;
        for (int page = 1; page <= maxPages; page++) {
            R response;
            try {
                response = fetch.page(token);
            } catch (RuntimeException e) {
                throw failed.of(page, e);
            }
            sink.page(toPage.page(page, response));
            token = next.of(response);
            if (token == null || token.isEmpty()) {
                return;
            }
        }
    }

    /** The reason of a pull that ended with a classified failure (a transient one that was not retried is an error). */
    public static PullFailedException.Reason reason(Failure f) {
        return switch (f.type()) {
            case DENIED -> PullFailedException.Reason.DENIED;
            case THROTTLED -> PullFailedException.Reason.THROTTLED;
            case TIMEOUT -> PullFailedException.Reason.TIMEOUT;
            case NOT_FOUND -> PullFailedException.Reason.NOT_FOUND;
            case TRANSIENT, ERROR -> PullFailedException.Reason.ERROR;
        };
    }
}
