package dev.fixgate.app.merge;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this process's last evaluation of each fixgate pull request read, so that a webhook that reports nothing the
 * evaluation had not already seen is not evaluated again. GitHub sends several events for one change (a check run
 * created already completed arrives as {@code check_run created} and, its suite now complete, {@code check_suite
 * completed}; a commit status as {@code status}); each used to cost a full evaluation (about ten requests).
 *
 * <p>An event is <b>redundant</b> when every fixgate pull request it can concern — those the payload names and those
 * this memo knows with that head commit — was evaluated on that very head by an evaluation that already read the
 * state the event reports (the same check run or status context in the same state; for a completed suite, every
 * run of its app completed, at least as many as the suite has). Such an evaluation began after the reported change,
 * so it decided on it and on everything before it; anything that changes later sends events of its own. Anything
 * else — an unknown pull request, another head, a state not seen, a failed or refused evaluation, a decision that
 * depends on the time (change windows, holds) — is evaluated as before. Reviews are never redundant.
 *
 * <p>Entries live {@link #TTL} (as GitHub's own {@code max-age} for the metadata fixgate caches), so a change that
 * sends no webhook to the merge stage (the configuration, branch protection, team membership) counts from the next
 * event after at most that long. Per process: with several replicas each keeps its own, which only costs evaluations.
 */
final class MergeMemo {

    static final Duration TTL = Duration.ofSeconds(60);
    private static final int MAX_ENTRIES = 20_000;

    /**
     * One evaluation's reading of a pull request.
     *
     * @param checks  check run name / status context → state, as {@link MergeDecider.Input#checks()} holds them
     * @param appRuns app id → {total, completed} check runs of that app on the head
     */
    record Seen(String headRef, String sha, Map<String, String> checks, Map<Long, int[]> appRuns, Instant at) {
    }

    private final Clock clock;
    private final Map<String, Seen> byPull = new ConcurrentHashMap<>();

    MergeMemo(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static String key(String repo, int number) {
        return repo + "#" + number;
    }

    /** Remembers what an evaluation of {@code repo#number} read (only for a decision that may be reused). */
    void remember(String repo, int number, String headRef, String sha, Map<String, String> checks,
                  Map<Long, int[]> appRuns) {
        Instant now = clock.instant();
        if (byPull.size() >= MAX_ENTRIES) {
            byPull.values().removeIf(s -> expired(s, now));
            if (byPull.size() >= MAX_ENTRIES) {
                byPull.clear();
            }
        }
        byPull.put(key(repo, number), new Seen(headRef, sha, Map.copyOf(checks), Map.copyOf(appRuns), now));
    }

    /** Forgets {@code repo#number}: its next event is evaluated. */
    void forget(String repo, int number) {
        byPull.remove(key(repo, number));
    }

    private static boolean expired(Seen s, Instant now) {
        return s.at().plus(TTL).isBefore(now);
    }

    /**
     * Whether {@code event} (a {@code check_run}, {@code check_suite} or {@code status} webhook's payload) reports
     * nothing the last evaluations of the pull requests it can concern had not read.
     */
    boolean redundant(String repo, String event, JsonNode p) {
        String sha;
        String name = null;
        String state = null;
        long app = 0;
        int suiteRuns = 0;
        List<String> headRefs = new ArrayList<>(); // the fixgate branches the payload names
        switch (event) {
            case "check_run" -> {
                JsonNode run = p.path("check_run");
                sha = run.path("head_sha").asText("");
                name = run.path("name").asText("");
                state = MergeHandler.state(run.path("status").asText(""), run.path("conclusion").asText(null));
                fixgateRefs(run.path("pull_requests"), sha, headRefs);
            }
            case "check_suite" -> {
                JsonNode suite = p.path("check_suite");
                if (!"completed".equals(p.path("action").asText()) || !suite.path("app").path("id").canConvertToLong()) {
                    return false;
                }
                sha = suite.path("head_sha").asText("");
                app = suite.path("app").path("id").asLong();
                suiteRuns = suite.path("latest_check_runs_count").asInt(Integer.MAX_VALUE);
                fixgateRefs(suite.path("pull_requests"), sha, headRefs);
            }
            case "status" -> {
                sha = p.path("sha").asText("");
                name = p.path("context").asText("");
                state = p.path("state").asText("");
                p.path("branches").forEach(b -> {
                    if (b.path("name").asText("").startsWith("fixgate/")) {
                        headRefs.add(b.path("name").asText());
                    }
                });
            }
            default -> {
                return false;
            }
        }
        if (sha.isEmpty()) {
            return false;
        }
        Instant now = clock.instant();
        List<Seen> concerned = new ArrayList<>();
        Map<String, Seen> byRef = new HashMap<>();
        for (Map.Entry<String, Seen> e : byPull.entrySet()) {
            if (e.getKey().startsWith(repo + "#") && e.getValue().sha().equals(sha) && !expired(e.getValue(), now)) {
                concerned.add(e.getValue());
                byRef.put(e.getValue().headRef(), e.getValue());
            }
        }
        for (String ref : headRefs) {
            if (!byRef.containsKey(ref)) {
                return false; // a pull request on this head this process has not evaluated there
            }
        }
        if (concerned.isEmpty()) {
            return false;
        }
        for (Seen s : concerned) {
            boolean seen = name != null ? Objects.equals(s.checks().get(name), state)
                    : s.appRuns().containsKey(app) && s.appRuns().get(app)[1] == s.appRuns().get(app)[0]
                    && s.appRuns().get(app)[1] >= suiteRuns;
            if (!seen) {
                return false;
            }
        }
        return true;
    }

    /** The fixgate branches of the pull requests the payload names whose head is {@code sha}. */
    /**
     * Whether a {@code check_run} or {@code check_suite} event is about a commit its branch's pull requests no longer
     * have: the run's branch is a fixgate pull request's, and every pull request the payload names (GitHub matches
     * them by branch and gives each one's current head) has another head. Such a result cannot change any decision:
     * decisions are made on the head.
     */
    static boolean staleHead(String event, JsonNode p) {
        if (!event.equals("check_run") && !event.equals("check_suite")) {
            return false;
        }
        JsonNode node = p.path(event);
        String sha = node.path("head_sha").asText("");
        String branch = event.equals("check_run") ? node.path("check_suite").path("head_branch").asText("")
                : node.path("head_branch").asText("");
        JsonNode pulls = node.path("pull_requests");
        if (sha.isEmpty() || !branch.startsWith("fixgate/") || pulls.isEmpty()) {
            return false;
        }
        boolean branchNamed = false;
        for (JsonNode pr : pulls) {
            if (sha.equals(pr.path("head").path("sha").asText(""))) {
                return false;
            }
            branchNamed |= branch.equals(pr.path("head").path("ref").asText(""));
        }
        return branchNamed;
    }

    private static void fixgateRefs(JsonNode pulls, String sha, List<String> out) {
        pulls.forEach(pr -> {
            String ref = pr.path("head").path("ref").asText("");
            if (ref.startsWith("fixgate/") && sha.equals(pr.path("head").path("sha").asText(""))) {
                out.add(ref);
            }
        });
    }
}
