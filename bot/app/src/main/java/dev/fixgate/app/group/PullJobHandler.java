package dev.fixgate.app.group;

import dev.fixgate.app.ingest.Input;
import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.jobs.PermanentJobFailure;
import dev.fixgate.app.redact.Redactor;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.PullCursors;
import dev.fixgate.spi.intake.FindingSource;
import dev.fixgate.spi.intake.PullFailedException;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduled pull of one {@link FindingSource} ({@code fixgate.pull.<source id>}): for each account it asks for what
 * changed since the account's cursor ({@link PullCursors}), hands every page to {@link Intake} in the source's format —
 * the same ingest, grouping, lifecycle and remediation queueing as a posted or uploaded input — and, once every page
 * of the account is ingested, moves the cursor to the newest change read. A record read twice is unchanged for intake
 * (same fingerprint, same time), so a repeated or overlapping pull changes nothing.
 *
 * <p>One job per period across replicas (the next run is queued under {@code <kind>@<slot>} before this one reads, as
 * {@code ReassessJobHandler} does). A failed read (denied, throttled, timed out) fails that account's pull with the
 * reason, leaves its cursor, lets the other accounts run, and fails the job with every reason — tried again at the next
 * slot, never by the worker in a loop.
 */
public final class PullJobHandler implements JobHandler {

    public static final String PREFIX = "fixgate.pull.";
    private static final Logger LOG = LoggerFactory.getLogger(PullJobHandler.class);

    private final FindingSource source;
    private final Intake intake;
    private final PullCursors cursors;
    private final JobQueue queue;
    private final Duration every;
    private final Clock clock;

    public PullJobHandler(FindingSource source, Intake intake, PullCursors cursors, JobQueue queue, Duration every,
                          Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.intake = Objects.requireNonNull(intake, "intake");
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        this.queue = Objects.requireNonNull(queue, "queue");
        if (every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("the pull period must be positive");
        }
        this.every = every;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The job kind of {@code source}'s pull. */
    public static String kind(FindingSource source) {
        return PREFIX + source.id();
    }

    @Override
    public String kind() {
        return kind(source);
    }

    /** What one account's pull did. */
    public record AccountPull(String account, Instant from, Instant cursor, long records, long notApplicable,
                              Map<String, Long> stored, long rejected, String failure) {
        public boolean failed() {
            return !failure.isEmpty();
        }
    }

    @Override
    public void handle(JobQueue.Job job) throws PermanentJobFailure {
        Instant next = schedule(queue, kind(), every, clock.instant());
        List<AccountPull> pulls = pullNow();
        List<String> failures = pulls.stream().filter(AccountPull::failed).map(AccountPull::failure).toList();
        if (!failures.isEmpty()) {
            throw new PermanentJobFailure("pull " + source.id() + " failed for " + failures.size() + " of "
                    + pulls.size() + " account(s), tried again at " + next + ": " + String.join("; ", failures));
        }
    }

    /** Pulls every account of the source once; one account's failure does not stop the others. */
    public List<AccountPull> pullNow() {
        List<AccountPull> out = new ArrayList<>();
        for (String account : source.accounts()) {
            AccountPull p = pull(account);
            out.add(p);
            (p.failed() ? LOG.atWarn() : LOG.atInfo()).setMessage(p.failed() ? "pull failed" : "pulled findings")
                    .addKeyValue("source", source.id()).addKeyValue("account", account)
                    .addKeyValue("records", p.records()).addKeyValue("not_applicable", p.notApplicable())
                    .addKeyValue("stored", p.stored()).addKeyValue("rejected", p.rejected())
                    .addKeyValue("cursor", p.cursor()).addKeyValue("reason", p.failure()).log();
        }
        return out;
    }

    private AccountPull pull(String account) {
        Instant from = cursors.position(source.id(), account).orElse(Instant.EPOCH);
        long[] counts = new long[3];
        Map<String, Long> stored = new TreeMap<>();
        Instant[] newest = {from};
        String actor = "pull:" + source.id();
        String failure = "";
        try {
            source.pull(account, from, page -> {
                counts[0] += page.records();
                counts[1] += page.skipped();
                if (page.newest().isAfter(newest[0])) {
                    newest[0] = page.newest();
                }
                IngestSummary summary = intake.run(List.of(() -> Input.of(page.name(),
                        new ByteArrayInputStream(page.body()))), Optional.of(source.format()), actor, n -> { });
                counts[2] += summary.rejected();
                summary.stored().forEach((k, v) -> stored.merge(k, v, Long::sum));
            });
        } catch (PullFailedException e) {
            failure = Redactor.redact(e.getMessage());
        } catch (RuntimeException e) {
            // a source's bug costs its account's pull, with the reason, never the worker
            failure = Redactor.redact("pull of " + account + " failed (" + e.getClass().getSimpleName() + "): "
                    + e.getMessage());
        }
        // only a complete pull moves the cursor: a failed one is read again from where the last complete one ended
        Instant cursor = failure.isEmpty() && newest[0].isAfter(from)
                ? cursors.advance(source.id(), account, newest[0], clock.instant()) : from;
        return new AccountPull(account, from, cursor, counts[0], counts[1], Map.copyOf(stored), counts[2], failure);
    }

    /**
     * Queues a run now, under the key of the slot {@code now} is in (a service starting pulls at once instead of waiting
     * for the next slot; replicas starting together queue it once).
     */
    public static void scheduleNow(JobQueue queue, String kind, Duration every, Instant now) {
        long period = Math.max(60, every.toSeconds());
        long slot = Math.floorDiv(now.getEpochSecond(), period) * period;
        queue.enqueue(kind, "{}", Optional.of(kind + "@" + slot), 1, now);
    }

    /** Queues the run of the next slot after {@code now} unless it is queued already; returns when it runs. */
    public static Instant schedule(JobQueue queue, String kind, Duration every, Instant now) {
        long period = Math.max(60, every.toSeconds());
        long slot = (Math.floorDiv(now.getEpochSecond(), period) + 1) * period;
        Instant at = Instant.ofEpochSecond(slot);
        queue.enqueue(kind, "{}", Optional.of(kind + "@" + slot), 1, at);
        return at;
    }
}
