package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.Issue;
import dev.fixgate.localgithub.Model.Repo;
import dev.fixgate.localgithub.Model.Review;
import dev.fixgate.localgithub.Rest.Req;
import dev.fixgate.localgithub.Rest.Res;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Pull requests, their files, reviews, review requests and merging. */
final class PullRoutes {

    private final Hub hub;

    PullRoutes(Hub hub) {
        this.hub = hub;
    }

    void register(Rest rest) {
        rest.get("/repos/{owner}/{repo}/pulls", this::list);
        rest.post("/repos/{owner}/{repo}/pulls", this::create);
        rest.get("/repos/{owner}/{repo}/pulls/{pull_number}", r -> Res.ok(hub.pulls.json(pull(r, false), Shapes.Flavor.REST, true)));
        rest.patch("/repos/{owner}/{repo}/pulls/{pull_number}", this::update);
        rest.get("/repos/{owner}/{repo}/pulls/{pull_number}/files", this::files);
        rest.get("/repos/{owner}/{repo}/pulls/{pull_number}/merge", this::isMerged);
        rest.put("/repos/{owner}/{repo}/pulls/{pull_number}/merge", this::merge);
        rest.get("/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", this::requestedReviewers);
        rest.post("/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", this::requestReviewers);
        rest.delete("/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", this::removeReviewRequests);
        rest.get("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", this::reviews);
        rest.post("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", this::createReview);
        rest.get("/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}", this::getReview);
        rest.post("/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events", this::submitReview);
        rest.put("/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals", this::dismissReview);
    }

    private Issue pull(Req r, boolean write) {
        Repo repo = write ? hub.writable(r.p("owner"), r.p("repo"), r.principal())
                : hub.readable(r.p("owner"), r.p("repo"), r.principal());
        Issue i = repo.issues.get(r.number("pull_number"));
        if (i == null || !i.isPull()) {
            throw ApiException.notFound();
        }
        return i;
    }

    private Res list(Req r) {
        Repo repo = hub.readable(r.p("owner"), r.p("repo"), r.principal());
        String state = r.q("state").orElse("open");
        Optional<String> head = r.q("head").map(h -> h.contains(":") ? h.substring(h.indexOf(':') + 1) : h);
        Optional<String> base = r.q("base");
        List<Issue> pulls = new ArrayList<>();
        for (Issue i : repo.issues.values()) {
            if (i.isPull() && (state.equals("all") || i.state.equals(state))
                    && head.map(h -> h.equals(i.pull.get().headRef)).orElse(true)
                    && base.map(b -> b.equals(i.pull.get().baseRef)).orElse(true)) {
                pulls.add(i);
            }
        }
        pulls.sort(Comparator.comparingInt((Issue i) -> i.number).reversed());
        if (r.q("direction").filter("asc"::equals).isPresent()) {
            pulls.sort(Comparator.comparingInt((Issue i) -> i.number));
        }
        List<ObjectNode> out = new ArrayList<>();
        pulls.forEach(i -> out.add(hub.pulls.json(i, Shapes.Flavor.REST, false)));
        return Res.page(out);
    }

    private Res create(Req r) {
        Repo repo = hub.readable(r.p("owner"), r.p("repo"), r.principal());
        JsonNode b = r.json();
        if (r.principal() instanceof Model.Principal.Anonymous) {
            throw ApiException.requiresAuth();
        }
        Issue i = hub.pulls.open(repo, Hub.actor(r.principal()), Checks.text(b, "title").orElse(null),
                Checks.text(b, "head").orElse(null), Checks.text(b, "base").orElse(null),
                Checks.text(b, "body").orElse(null), b.path("draft").asBoolean(false));
        return Res.created(hub.pulls.json(i, Shapes.Flavor.REST, true));
    }

    private Res update(Req r) {
        Issue i = pull(r, false);
        Account actor = Hub.actor(r.principal());
        if (actor != i.user) {
            hub.requireWrite(i.repo, r.principal());
        }
        JsonNode b = r.json();
        hub.pulls.edit(i, Checks.text(b, "title"), b.has("body"), Checks.text(b, "body").orElse(null),
                Checks.text(b, "base"), actor);
        Optional<String> state = Checks.text(b, "state");
        if (state.isPresent()) {
            switch (state.get()) {
                case "closed" -> hub.pulls.close(i, actor);
                case "open" -> hub.pulls.reopen(i, actor);
                default -> throw ApiException.invalid("PullRequest", "state", "invalid");
            }
        }
        return Res.ok(hub.pulls.json(i, Shapes.Flavor.REST, true));
    }

    private Res files(Req r) {
        Issue i = pull(r, false);
        List<ObjectNode> out = new ArrayList<>();
        for (GitRepo.FileChange f : hub.pulls.files(i)) {
            out.add(hub.shapes.issues().diffEntry(i.repo, i.pull.get().headSha, f));
        }
        return Res.page(out);
    }

    private Res isMerged(Req r) {
        Issue i = pull(r, false);
        // GitHub documents both answers without a body.
        return i.pull.get().merged ? Res.noContent() : Res.status(404, null);
    }

    private Res merge(Req r) {
        Issue i = pull(r, true);
        JsonNode b = r.json();
        String sha = hub.pulls.merge(i, Hub.actor(r.principal()), Checks.text(b, "merge_method").orElse("merge"),
                Checks.text(b, "sha"), Checks.text(b, "commit_title"), Checks.text(b, "commit_message"));
        ObjectNode o = Json.obj();
        o.put("sha", sha);
        o.put("merged", true);
        o.put("message", "Pull Request successfully merged");
        return Res.ok(o);
    }

    private Res requestedReviewers(Req r) {
        Issue i = pull(r, false);
        ObjectNode o = Json.obj();
        var users = o.putArray("users");
        i.pull.get().requestedReviewers.forEach(a -> users.add(hub.shapes.user(a)));
        var teams = o.putArray("teams");
        i.pull.get().requestedTeams.forEach(t -> teams.add(hub.shapes.teams().team(t, Shapes.Flavor.REST)));
        return Res.ok(o);
    }

    private static List<String> strings(JsonNode b, String field) {
        List<String> out = new ArrayList<>();
        b.path(field).forEach(n -> out.add(n.asString()));
        return out;
    }

    private Res requestReviewers(Req r) {
        Issue i = pull(r, true);
        JsonNode b = r.json();
        hub.pulls.requestReviewers(i, strings(b, "reviewers"), strings(b, "team_reviewers"), Hub.actor(r.principal()));
        return Res.created(hub.pulls.json(i, Shapes.Flavor.REST, false));
    }

    private Res removeReviewRequests(Req r) {
        Issue i = pull(r, true);
        JsonNode b = r.json();
        if (!b.has("reviewers")) {
            throw ApiException.unprocessable("Invalid request.\n\n\"reviewers\" wasn't supplied.");
        }
        hub.pulls.removeReviewRequests(i, strings(b, "reviewers"), strings(b, "team_reviewers"),
                Hub.actor(r.principal()));
        return Res.ok(hub.pulls.json(i, Shapes.Flavor.REST, false));
    }

    private Res reviews(Req r) {
        Issue i = pull(r, false);
        Account me = r.principal() instanceof Model.Principal.Anonymous ? null : Hub.actor(r.principal());
        List<ObjectNode> out = new ArrayList<>();
        for (Review rv : i.pull.get().reviews) {
            if (rv.state != Model.ReviewState.PENDING || rv.user == me) {
                out.add(hub.pulls.reviewJson(rv, Shapes.Flavor.REST));
            }
        }
        return Res.page(out);
    }

    private Res createReview(Req r) {
        Issue i = pull(r, false);
        if (r.principal() instanceof Model.Principal.Anonymous) {
            throw ApiException.requiresAuth();
        }
        JsonNode b = r.json();
        Review rv = hub.pulls.review(i, Hub.actor(r.principal()), Checks.text(b, "body").orElse(null),
                Checks.text(b, "event"), Checks.text(b, "commit_id"));
        return Res.ok(hub.pulls.reviewJson(rv, Shapes.Flavor.REST));
    }

    private Res getReview(Req r) {
        Issue i = pull(r, false);
        return Res.ok(hub.pulls.reviewJson(hub.pulls.findReview(i, r.id("review_id")), Shapes.Flavor.REST));
    }

    private Res submitReview(Req r) {
        Issue i = pull(r, false);
        Review rv = hub.pulls.findReview(i, r.id("review_id"));
        if (rv.user != Hub.actor(r.principal())) {
            throw ApiException.notFound();
        }
        JsonNode b = r.json();
        hub.pulls.submit(rv, Checks.text(b, "event").orElseThrow(
                () -> ApiException.invalid("PullRequestReview", "event", "missing_field")), Checks.text(b, "body").orElse(null));
        return Res.ok(hub.pulls.reviewJson(rv, Shapes.Flavor.REST));
    }

    private Res dismissReview(Req r) {
        Issue i = pull(r, true);
        Review rv = hub.pulls.findReview(i, r.id("review_id"));
        JsonNode b = r.json();
        String message = Checks.text(b, "message").orElseThrow(
                () -> ApiException.invalid("PullRequestReview", "message", "missing_field"));
        hub.pulls.dismiss(rv, message, Hub.actor(r.principal()));
        return Res.ok(hub.pulls.reviewJson(rv, Shapes.Flavor.REST));
    }
}
