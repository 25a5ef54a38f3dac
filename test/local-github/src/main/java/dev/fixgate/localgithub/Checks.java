package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.App;
import dev.fixgate.localgithub.Model.CheckRun;
import dev.fixgate.localgithub.Model.CheckSuite;
import dev.fixgate.localgithub.Model.CommitStatus;
import dev.fixgate.localgithub.Model.Issue;
import dev.fixgate.localgithub.Model.Repo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Ref;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Commit statuses and check runs/suites: creating them, the events they emit, and how required checks read them.
 * A required context is satisfied by a commit status with that context or a check run with that name (any app),
 * whichever was reported last. Called with the hub's lock held.
 */
final class Checks {

    private static final List<String> STATUS_STATES = List.of("error", "failure", "pending", "success");
    private static final List<String> RUN_STATUSES = List.of("queued", "in_progress", "completed", "waiting",
            "requested", "pending");
    private static final List<String> CONCLUSIONS = List.of("action_required", "cancelled", "failure", "neutral",
            "success", "skipped", "stale", "timed_out");

    private final Hub hub;

    Checks(Hub hub) {
        this.hub = hub;
    }

    // ---- commit statuses

    CommitStatus createStatus(Repo r, String sha, String state, String targetUrl, String description, String context,
                              Account creator) {
        if (state == null || !STATUS_STATES.contains(state)) {
            throw ApiException.invalid("Status", "state", state == null ? "missing_field" : "invalid");
        }
        if (!r.git.hasObject(sha)) {
            throw ApiException.unprocessable("No commit found for SHA: " + sha);
        }
        CommitStatus s = new CommitStatus(hub.nextId(), sha, state, targetUrl, description,
                context == null || context.isBlank() ? "default" : context, creator, hub.now());
        r.statuses.add(s);
        GitRepo.CommitInfo c = r.git.commit(sha).orElseThrow();
        hub.emit(r, "status", null, creator, e -> {
            e.put("id", s.id);
            e.put("sha", sha);
            e.put("name", r.fullName());
            Json.putOrNull(e, "target_url", targetUrl);
            e.put("context", s.context);
            Json.putOrNull(e, "description", description);
            e.put("state", state);
            ObjectNode commit = hub.shapes.gitObjects().repoCommit(r, c, null);
            commit.remove("commit");
            ObjectNode inner = commit.putObject("commit");
            inner.set("author", GitShapes.person(c.author()));
            inner.set("committer", GitShapes.person(c.committer()));
            inner.put("message", c.message());
            ObjectNode tree = inner.putObject("tree");
            tree.put("sha", c.tree());
            tree.put("url", hub.shapes.repoUrl(r) + "/git/trees/" + c.tree());
            inner.put("url", hub.shapes.repoUrl(r) + "/git/commits/" + sha);
            inner.put("comment_count", 0);
            ObjectNode v = inner.putObject("verification");
            v.put("verified", false);
            v.put("reason", "unsigned");
            v.putNull("signature");
            v.putNull("payload");
            e.set("commit", commit);
            ArrayNode branches = e.putArray("branches");
            for (Ref ref : r.git.refs("refs/heads/")) {
                if (ref.getObjectId().name().equals(sha)) {
                    ObjectNode b = branches.addObject();
                    b.put("name", ref.getName().substring("refs/heads/".length()));
                    b.putObject("commit").put("sha", sha).put("url", hub.shapes.repoUrl(r) + "/commits/" + sha);
                    b.put("protected", r.protections.containsKey(b.get("name").asString()));
                }
            }
            Json.putTime(e, "created_at", s.createdAt);
            Json.putTime(e, "updated_at", s.createdAt);
        });
        return s;
    }

    List<CommitStatus> statuses(Repo r, String sha) {
        List<CommitStatus> out = new ArrayList<>();
        for (int k = r.statuses.size() - 1; k >= 0; k--) {
            if (r.statuses.get(k).sha.equals(sha)) {
                out.add(r.statuses.get(k));
            }
        }
        return out;
    }

    /** The latest status per context, newest first. */
    List<CommitStatus> latestStatuses(Repo r, String sha) {
        Map<String, CommitStatus> latest = new LinkedHashMap<>();
        for (CommitStatus s : statuses(r, sha)) {
            latest.putIfAbsent(s.context, s);
        }
        return new ArrayList<>(latest.values());
    }

    ObjectNode combined(Repo r, String sha) {
        List<CommitStatus> latest = latestStatuses(r, sha);
        String state = latest.isEmpty() ? "pending"
                : latest.stream().anyMatch(s -> s.state.equals("error") || s.state.equals("failure")) ? "failure"
                : latest.stream().anyMatch(s -> s.state.equals("pending")) ? "pending" : "success";
        ObjectNode o = Json.obj();
        o.put("state", state);
        ArrayNode arr = o.putArray("statuses");
        latest.forEach(s -> arr.add(hub.shapes.checks().status(r, s, true)));
        o.put("sha", sha);
        o.put("total_count", latest.size());
        o.set("repository", hub.shapes.repository(r, Shapes.Flavor.REST, hub.openIssues(r), null));
        o.put("commit_url", hub.shapes.repoUrl(r) + "/commits/" + sha);
        o.put("url", hub.shapes.repoUrl(r) + "/commits/" + sha + "/status");
        return o;
    }

    // ---- check runs and suites

    CheckRun createRun(Repo r, App app, JsonNode body) {
        String name = text(body, "name").orElseThrow(() -> ApiException.invalid("CheckRun", "name", "missing_field"));
        String sha = text(body, "head_sha").orElseThrow(() -> ApiException.invalid("CheckRun", "head_sha", "missing_field"));
        if (!r.git.hasObject(sha)) {
            throw ApiException.unprocessable("No commit found for SHA: " + sha);
        }
        CheckSuite suite = null;
        for (CheckSuite s : r.suites) {
            if (s.app == app && s.headSha.equals(sha)) {
                suite = s;
            }
        }
        if (suite == null) {
            String branch = null;
            for (Ref ref : r.git.refs("refs/heads/")) {
                if (ref.getObjectId().name().equals(sha)) {
                    branch = ref.getName().substring("refs/heads/".length());
                    break;
                }
            }
            Optional<GitRepo.CommitInfo> c = r.git.commit(sha);
            String before = c.isPresent() && !c.get().parents().isEmpty() ? c.get().parents().get(0) : null;
            suite = new CheckSuite(hub.nextId(), app, sha, branch, before, hub.now());
            r.suites.add(suite);
        }
        boolean suiteWasCompleted = !suite.runs.isEmpty() && Hub.suiteStatus(suite).equals("completed");
        CheckRun run = new CheckRun(hub.nextId(), suite, name, sha);
        run.status = "queued";
        apply(run, body);
        suite.runs.add(run);
        Account sender = app.bot;
        hub.emit(r, "check_run", "created", sender, e -> e.set("check_run", runJson(r, run, Shapes.Flavor.WEBHOOK)));
        afterChange(r, run, suiteWasCompleted, sender);
        return run;
    }

    void updateRun(Repo r, CheckRun run, JsonNode body) {
        boolean wasCompleted = run.status.equals("completed");
        String suiteWas = Hub.suiteStatus(run.suite);
        apply(run, body);
        if (!wasCompleted && run.status.equals("completed")) {
            hub.emit(r, "check_run", "completed", run.suite.app.bot,
                    e -> e.set("check_run", runJson(r, run, Shapes.Flavor.WEBHOOK)));
        }
        afterChange(r, run, suiteWas.equals("completed"), run.suite.app.bot);
    }

    /** When the suite's last run completes, the suite completes: {@code check_suite completed}. */
    private void afterChange(Repo r, CheckRun run, boolean suiteWasCompleted, Account sender) {
        CheckSuite s = run.suite;
        s.updatedAt = hub.now();
        if (!suiteWasCompleted && Hub.suiteStatus(s).equals("completed")) {
            hub.emit(r, "check_suite", "completed", sender, e -> {
                ObjectNode suite = hub.shapes.checks().checkSuite(r, s, pullsFor(r, s.headSha), Shapes.Flavor.WEBHOOK);
                suite.put("latest_check_runs_count", s.runs.size());
                suite.put("check_runs_url", hub.shapes.repoUrl(r) + "/check-suites/" + s.id + "/check-runs");
                suite.set("head_commit", hub.shapes.gitObjects().headCommit(r.git.commit(s.headSha).orElseThrow()));
                e.set("check_suite", suite);
            });
        }
    }

    private void apply(CheckRun run, JsonNode body) {
        JsonNode actionsNode = body.get("actions");
        Optional<List<CheckRunAction>> newActions = actionsNode == null || actionsNode.isNull() ? Optional.empty()
                : Optional.of(actions(actionsNode));
        text(body, "name").ifPresent(v -> run.name = v);
        text(body, "details_url").ifPresent(v -> run.detailsUrl = v);
        text(body, "external_id").ifPresent(v -> run.externalId = v);
        text(body, "started_at").ifPresent(v -> run.startedAt = parseTime(v, "started_at"));
        Optional<String> status = text(body, "status");
        Optional<String> conclusion = text(body, "conclusion");
        if (status.isPresent() && !RUN_STATUSES.contains(status.get())) {
            throw ApiException.invalid("CheckRun", "status", "invalid");
        }
        if (conclusion.isPresent() && !CONCLUSIONS.contains(conclusion.get())) {
            throw ApiException.invalid("CheckRun", "conclusion", "invalid");
        }
        if (status.isPresent() && status.get().equals("completed") && conclusion.isEmpty() && run.conclusion == null) {
            throw ApiException.invalidCustom("CheckRun", "conclusion is required when status is completed");
        }
        status.ifPresent(v -> run.status = v);
        if (conclusion.isPresent()) {
            run.conclusion = conclusion.get();
            run.status = "completed";
        }
        if (run.status.equals("in_progress") && run.startedAt == null) {
            run.startedAt = hub.now();
        }
        if (run.startedAt == null) {
            run.startedAt = hub.now();
        }
        if (run.status.equals("completed")) {
            run.completedAt = text(body, "completed_at").map(v -> parseTime(v, "completed_at")).orElse(hub.now());
        }
        newActions.ifPresent(a -> run.actions = a);
        JsonNode out = body.get("output");
        if (out != null && out.isObject()) {
            if (text(out, "title").isEmpty() || text(out, "summary").isEmpty()) {
                throw ApiException.invalid("CheckRun", "output", "missing_field");
            }
            run.outputTitle = text(out, "title").orElse(null);
            run.outputSummary = text(out, "summary").orElse(null);
            run.outputText = text(out, "text").orElse(null);
        }
    }

    /** GitHub's limits: at most three, each with a label (≤ 20 characters), description (≤ 40) and identifier (≤ 20). */
    static List<CheckRunAction> actions(JsonNode actions) {
        if (!actions.isArray() || actions.size() > 3) {
            throw ApiException.invalid("CheckRun", "actions", "invalid");
        }
        List<CheckRunAction> out = new ArrayList<>();
        for (JsonNode a : actions) {
            if (!a.isObject()) {
                throw ApiException.invalid("CheckRun", "actions", "invalid");
            }
            String label = actionField(a, "label", 20);
            String description = actionField(a, "description", 40);
            String identifier = actionField(a, "identifier", 20);
            out.add(new CheckRunAction(label, description, identifier));
        }
        return List.copyOf(out);
    }

    private static String actionField(JsonNode action, String field, int max) {
        JsonNode n = action.get(field);
        if (n == null || n.isNull()) {
            throw ApiException.invalid("CheckRun", "actions", "missing_field");
        }
        if (!n.isString() || n.asString().isEmpty() || n.asString().codePointCount(0, n.asString().length()) > max) {
            throw ApiException.invalid("CheckRun", "actions", "invalid");
        }
        return n.asString();
    }

    /**
     * Someone clicked one of the run's buttons: {@code check_run requested_action}, to the app that created the run
     * only (GitHub: "Only the GitHub App someone requests to perform an action will receive the payload").
     */
    void requestAction(Repo r, CheckRun run, Account user, String identifier) {
        App app = run.suite.app;
        hub.emit(r, "check_run", "requested_action", user, e -> {
            e.set("check_run", runJson(r, run, Shapes.Flavor.WEBHOOK));
            e.putObject("requested_action").put("identifier", identifier);
        }, i -> i.app == app);
    }

    private static Instant parseTime(String v, String field) {
        try {
            return Instant.parse(v);
        } catch (RuntimeException e) {
            throw ApiException.invalid("CheckRun", field, "invalid");
        }
    }

    static Optional<String> text(JsonNode body, String field) {
        JsonNode n = body == null ? null : body.get(field);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asString());
    }

    List<ObjectNode> pullsFor(Repo r, String sha) {
        List<ObjectNode> out = new ArrayList<>();
        for (Issue i : r.issues.values()) {
            if (i.isPull() && i.state.equals("open") && i.pull.get().headSha.equals(sha)) {
                out.add(hub.shapes.checks().checkPull(i, hub.pulls.baseSha(i)));
            }
        }
        return out;
    }

    ObjectNode runJson(Repo r, CheckRun run, Shapes.Flavor f) {
        return hub.shapes.checks().checkRun(r, run, pullsFor(r, run.headSha), f);
    }

    Optional<CheckRun> findRun(Repo r, long id) {
        for (CheckSuite s : r.suites) {
            for (CheckRun run : s.runs) {
                if (run.id == id) {
                    return Optional.of(run);
                }
            }
        }
        return Optional.empty();
    }

    /** Check runs on a commit, newest first, optionally by name. */
    List<CheckRun> runsFor(Repo r, String sha, Optional<String> name) {
        List<CheckRun> out = new ArrayList<>();
        for (CheckSuite s : r.suites) {
            if (s.headSha.equals(sha)) {
                for (CheckRun run : s.runs) {
                    if (name.isEmpty() || name.get().equals(run.name)) {
                        out.add(run);
                    }
                }
            }
        }
        out.sort((a, b) -> Long.compare(b.id, a.id));
        return out;
    }

    // ---- what branch protection reads

    /** "success", "pending", "failure" or "missing" for a required context on a commit. */
    String contextState(Repo r, String sha, String context) {
        Optional<CheckRun> run = runsFor(r, sha, Optional.of(context)).stream().findFirst();
        Optional<CommitStatus> status = latestStatuses(r, sha).stream().filter(s -> s.context.equals(context)).findFirst();
        boolean useRun = run.isPresent() && (status.isEmpty() || run.get().id > status.get().id);
        if (useRun) {
            CheckRun c = run.get();
            if (!c.status.equals("completed")) {
                return "pending";
            }
            return List.of("success", "neutral", "skipped").contains(c.conclusion) ? "success" : "failure";
        }
        if (status.isPresent()) {
            return switch (status.get().state) {
                case "success" -> "success";
                case "pending" -> "pending";
                default -> "failure";
            };
        }
        return "missing";
    }

    /** True when a status or check outside {@code required} is pending or failing (mergeable_state "unstable"). */
    boolean anyNotPassing(Repo r, String sha, Set<String> required) {
        for (CommitStatus s : latestStatuses(r, sha)) {
            if (!required.contains(s.context) && !s.state.equals("success")) {
                return true;
            }
        }
        Map<String, CheckRun> latest = new LinkedHashMap<>();
        for (CheckRun c : runsFor(r, sha, Optional.empty())) {
            latest.putIfAbsent(c.name, c);
        }
        for (CheckRun c : latest.values()) {
            if (!required.contains(c.name) && (!c.status.equals("completed")
                    || !List.of("success", "neutral", "skipped").contains(c.conclusion))) {
                return true;
            }
        }
        return false;
    }
}
