package dev.fixgate.app.deliver;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.jobs.RetryLater;
import dev.fixgate.app.jobs.WaitUntil;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.kohsuke.github.GHDirection;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHPullRequestQueryBuilder;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.PagedIterator;

/**
 * The {@code caps} of {@code .github/fixgate.yml} for deliveries. The counts come from GitHub — fixgate's pull
 * requests are those whose head branch, in the repository itself, starts with {@value #BRANCH_PREFIX} — so a
 * restart does not reset them. Only a <em>new</em> pull request is capped: updating fixgate's open pull request
 * for the same initiative is always allowed (the caller checks that first).
 *
 * <p>A reached cap is a {@link WaitUntil} for the delivery job (an attempt that is not counted, so a capped job
 * waits as long as it has to): no slot, no pull request, try again when one frees — when the oldest pull request in the hour or day window leaves it, or after {@link #OPEN_RETRY} for the
 * open cap (a merge or a close frees that one, and fixgate cannot know when). A cap of 0 never frees; the job is
 * tried again after {@link #OPEN_RETRY} in case the configuration changed.
 */
final class DeliveryCaps {

    static final String BRANCH_PREFIX = "fixgate/";
    static final Duration OPEN_RETRY = Duration.ofMinutes(30);
    static final Duration HOUR = Duration.ofHours(1);
    static final Duration DAY = Duration.ofDays(1);
    /** Pull requests per listing page (GitHub's maximum). */
    static final int PAGE = 100;

    private static final String OPEN = "/caps/max_open_pull_requests";
    /** How a wait for the open cap names it in its reason ({@link OpenCapWaiters} finds those waits by it). */
    static final String OPEN_KEY = key(OPEN);
    private static final String PER_HOUR = "/caps/max_pull_requests_per_hour";
    private static final String PER_DAY = "/caps/max_pull_requests_per_day";
    private static final String FILES = "/caps/max_files_per_pull_request";

    private DeliveryCaps() {
    }

    /** One of fixgate's pull requests, as the caps count it. */
    record FixgatePull(int number, boolean open, Instant createdAt) {
        FixgatePull {
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }

    /**
     * Throws when a new pull request in {@code repo} would exceed a cap.
     *
     * @throws RetryLater naming every reached cap and where it is set, no earlier than the time all of them free
     */
    static void admit(GHRepository repo, RepoConfig config, Instant now) throws IOException, RetryLater {
        admit(config, list(repo, now), now);
    }

    /** {@link #admit(GHRepository, RepoConfig, Instant)} on a listing already made. */
    static void admit(RepoConfig config, Listing listing, Instant now) throws RetryLater {
        Optional<WaitUntil> wait = check(config, listing.pulls(), now);
        if (wait.isPresent()) {
            throw wait.get();
        }
    }

    /**
     * Pure: whether one more pull request fits. Empty: it does; else the {@link RetryLater} to throw, whose
     * message names each reached cap (as {@code caps.<key>}), its value, where it is set, the count and when it
     * frees.
     */
    static Optional<WaitUntil> check(RepoConfig config, List<FixgatePull> pulls, Instant now) {
        RepoConfig.Caps caps = config.caps();
        List<String> reasons = new ArrayList<>();
        Instant notBefore = now;

        long open = pulls.stream().filter(FixgatePull::open).count();
        if (open >= caps.maxOpenPullRequests()) {
            reasons.add(reason(config, OPEN, caps.maxOpenPullRequests(), open + " open"));
            notBefore = later(notBefore, now.plus(OPEN_RETRY));
        }
        for (Window w : List.of(new Window(PER_HOUR, caps.maxPullRequestsPerHour(), HOUR),
                new Window(PER_DAY, caps.maxPullRequestsPerDay(), DAY))) {
            List<Instant> created = pulls.stream().map(FixgatePull::createdAt)
                    .filter(t -> t.isAfter(now.minus(w.length())) && !t.isAfter(now))
                    .sorted(Comparator.naturalOrder()).toList();
            if (created.size() >= w.cap()) {
                // room for one more once all but cap - 1 of them have left the window
                Instant frees = w.cap() == 0 ? now.plus(OPEN_RETRY)
                        : created.get(created.size() - w.cap()).plus(w.length());
                reasons.add(reason(config, w.pointer(), w.cap(), created.size() + " created in the last "
                        + (w.length().equals(HOUR) ? "hour" : "24 hours")));
                notBefore = later(notBefore, frees);
            }
        }
        if (reasons.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new WaitUntil("not opening a pull request now: " + String.join("; ", reasons)
                + "; trying again at " + notBefore, notBefore));
    }

    /** Empty when {@code files} changed files fit one pull request, else why they do not. */
    static Optional<String> tooManyFiles(RepoConfig config, int files) {
        int cap = config.caps().maxFilesPerPullRequest();
        if (files <= cap) {
            return Optional.empty();
        }
        return Optional.of("the fix changes " + files + " files and " + key(FILES) + " is " + cap + " ("
                + config.origin().describe(FILES) + "), so fixgate does not open a pull request for it");
    }

    /**
     * Fixgate's open pull requests, and its pull requests (any state) created in the last 24 hours: the open ones
     * in full, the rest newest first until one is older than a day.
     */
    static List<FixgatePull> pulls(GHRepository repo, Instant now) throws IOException {
        return list(repo, now).pulls();
    }

    /**
     * What the caps count ({@link #pulls}) and the open pull requests seen, from as few listings as GitHub allows:
     * the pull requests of any state, newest first, a page of {@value #PAGE} at a time, until one is older than a
     * day — which, in a repository with fewer pull requests than a page, is every pull request in one request. Only
     * when a day's pull requests fill a page and more may follow are the open ones listed as well, so an open pull
     * request of any age is always counted.
     */
    static Listing list(GHRepository repo, Instant now) throws IOException {
        Map<Integer, GHPullRequest> open = new LinkedHashMap<>();
        List<GHPullRequest> merged = new ArrayList<>();
        List<FixgatePull> out = new ArrayList<>();
        Instant dayAgo = now.minus(DAY);
        PagedIterator<GHPullRequest> pages = repo.queryPullRequests().state(GHIssueState.ALL)
                .sort(GHPullRequestQueryBuilder.Sort.CREATED).direction(GHDirection.DESC).list().withPageSize(PAGE)
                .iterator();
        boolean seenAll = true;
        while (pages.hasNext()) {
            List<GHPullRequest> page = pages.nextPage();
            boolean pastTheDay = false;
            for (GHPullRequest pr : page) {
                Instant created = pr.getCreatedAt().toInstant();
                boolean isOpen = pr.getState() == GHIssueState.OPEN;
                pastTheDay |= !created.isAfter(dayAgo);
                if (isOpen) {
                    open.put(pr.getNumber(), pr);
                } else if (pr.getMergedAt() != null) {
                    merged.add(pr);
                }
                if (isFixgate(repo, pr) && (isOpen || created.isAfter(dayAgo))) {
                    out.add(new FixgatePull(pr.getNumber(), isOpen, created));
                }
            }
            if (page.size() < PAGE) {
                break; // the last page
            }
            if (pastTheDay) {
                seenAll = false; // the day is covered; older open pull requests may be on later pages
                break;
            }
        }
        if (!seenAll) {
            for (GHPullRequest pr : repo.queryPullRequests().state(GHIssueState.OPEN).list().withPageSize(PAGE)) {
                if (open.putIfAbsent(pr.getNumber(), pr) == null && isFixgate(repo, pr)) {
                    out.add(new FixgatePull(pr.getNumber(), true, pr.getCreatedAt().toInstant()));
                }
            }
        }
        return new Listing(List.copyOf(out), List.copyOf(open.values()), List.copyOf(merged), seenAll);
    }

    /**
     * fixgate's pull requests as the caps count them, and the open and the merged pull requests seen while listing
     * them; {@code complete}: every pull request of the repository was seen.
     */
    record Listing(List<FixgatePull> pulls, List<GHPullRequest> open, List<GHPullRequest> merged, boolean complete) {

        /** A merged pull request seen whose head was {@code branch} in {@code repo} itself. */
        Optional<GHPullRequest> mergedFrom(GHRepository repo, String branch) {
            return merged.stream().filter(pr -> branch.equals(pr.getHead().getRef()) && sameRepository(repo, pr))
                    .findFirst();
        }

        /** The open pull request whose head is {@code branch} in {@code repo} itself. */
        Optional<GHPullRequest> openFor(GHRepository repo, String branch) {
            return open.stream().filter(pr -> branch.equals(pr.getHead().getRef()) && sameRepository(repo, pr))
                    .findFirst();
        }
    }

    static boolean sameRepository(GHRepository repo, GHPullRequest pr) {
        return pr.getHead().getRepository() != null
                && repo.getFullName().equals(pr.getHead().getRepository().getFullName());
    }

    private static boolean isFixgate(GHRepository repo, GHPullRequest pr) {
        return pr.getHead() != null && pr.getHead().getRef() != null && pr.getHead().getRef().startsWith(BRANCH_PREFIX)
                && sameRepository(repo, pr);
    }

    private static String reason(RepoConfig config, String pointer, int cap, String count) {
        String set = key(pointer) + " = " + cap + " (" + config.origin().describe(pointer) + ")";
        return cap == 0 ? set + ": no new pull requests" : set + " reached: " + count;
    }

    private static String key(String pointer) {
        return pointer.substring(1).replace('/', '.');
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private record Window(String pointer, int cap, Duration length) {
    }
}
