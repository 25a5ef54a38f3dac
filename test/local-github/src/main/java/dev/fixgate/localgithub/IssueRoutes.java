package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.Comment;
import dev.fixgate.localgithub.Model.Issue;
import dev.fixgate.localgithub.Model.Label;
import dev.fixgate.localgithub.Model.Principal;
import dev.fixgate.localgithub.Model.Reaction;
import dev.fixgate.localgithub.Model.Repo;
import dev.fixgate.localgithub.Rest.Req;
import dev.fixgate.localgithub.Rest.Res;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Issues (also the issue half of pull requests), comments, labels, assignees and reactions. */
final class IssueRoutes {

    private final Hub hub;

    IssueRoutes(Hub hub) {
        this.hub = hub;
    }

    void register(Rest rest) {
        rest.get("/repos/{owner}/{repo}/issues", this::list);
        rest.post("/repos/{owner}/{repo}/issues", this::create);
        rest.get("/repos/{owner}/{repo}/issues/{issue_number}",
                r -> Res.ok(hub.issues.issueJson(issue(r), Shapes.Flavor.REST)));
        rest.patch("/repos/{owner}/{repo}/issues/{issue_number}", this::update);
        rest.post("/repos/{owner}/{repo}/issues/{issue_number}/assignees", this::assign);
        rest.get("/repos/{owner}/{repo}/issues/{issue_number}/comments", this::comments);
        rest.post("/repos/{owner}/{repo}/issues/{issue_number}/comments", this::addComment);
        rest.get("/repos/{owner}/{repo}/issues/comments/{comment_id}", this::getComment);
        rest.patch("/repos/{owner}/{repo}/issues/comments/{comment_id}", this::editComment);
        rest.get("/repos/{owner}/{repo}/issues/{issue_number}/labels", this::labelsOf);
        rest.post("/repos/{owner}/{repo}/issues/{issue_number}/labels", this::addLabels);
        rest.delete("/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", this::removeLabel);
        rest.get("/repos/{owner}/{repo}/labels", this::labels);
        rest.post("/repos/{owner}/{repo}/labels", this::createLabel);
        rest.get("/repos/{owner}/{repo}/labels/{name}", this::getLabel);
        rest.get("/repos/{owner}/{repo}/issues/{issue_number}/reactions", r -> listReactions(issue(r).reactions));
        rest.post("/repos/{owner}/{repo}/issues/{issue_number}/reactions", r -> react(r, issue(r).reactions));
        rest.get("/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", r -> listReactions(comment(r).reactions));
        rest.post("/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", r -> react(r, comment(r).reactions));
        rest.delete("/repos/{owner}/{repo}/issues/{issue_number}/reactions/{reaction_id}",
                r -> unreact(r, issue(r).reactions));
        rest.delete("/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}",
                r -> unreact(r, comment(r).reactions));
    }

    private Repo read(Req r) {
        return hub.readable(r.p("owner"), r.p("repo"), r.principal());
    }

    private Issue issue(Req r) {
        return hub.issues.issue(read(r), r.number("issue_number"));
    }

    private Comment comment(Req r) {
        return hub.issues.findComment(read(r), r.id("comment_id"));
    }

    private static Account actor(Req r) {
        return Hub.actor(r.principal());
    }

    private Res list(Req r) {
        Repo repo = read(r);
        String state = r.q("state").orElse("open");
        Optional<String> assignee = r.q("assignee");
        List<String> labels = r.q("labels").map(s -> List.of(s.split(","))).orElse(List.of());
        List<Issue> out = new ArrayList<>();
        for (Issue i : repo.issues.values()) {
            boolean labelled = labels.stream().allMatch(l -> i.labels.stream().anyMatch(x -> x.name.equalsIgnoreCase(l.strip())));
            boolean assigned = assignee.map(a -> a.equals("*") ? !i.assignees.isEmpty() : a.equals("none")
                    ? i.assignees.isEmpty() : i.assignees.stream().anyMatch(x -> x.login.equalsIgnoreCase(a))).orElse(true);
            if ((state.equals("all") || i.state.equals(state)) && labelled && assigned) {
                out.add(i);
            }
        }
        out.sort(Comparator.comparingInt((Issue i) -> i.number).reversed());
        List<ObjectNode> json = new ArrayList<>();
        out.forEach(i -> json.add(hub.issues.issueJson(i, Shapes.Flavor.REST)));
        return Res.page(json);
    }

    private Res create(Req r) {
        Repo repo = read(r);
        if (r.principal() instanceof Principal.Anonymous) {
            throw ApiException.requiresAuth();
        }
        JsonNode b = r.json();
        List<String> labels = new ArrayList<>();
        List<String> assignees = new ArrayList<>();
        boolean canTriage = Hub.level(hub.permission(repo, r.principal())) >= Hub.level("triage");
        if (canTriage) {
            // GitHub silently drops labels and assignees from people who cannot set them.
            b.path("labels").forEach(n -> labels.add(n.isObject() ? n.path("name").asString() : n.asString()));
            b.path("assignees").forEach(n -> assignees.add(n.asString()));
            Checks.text(b, "assignee").ifPresent(assignees::add);
        }
        Issue i = hub.issues.createIssue(repo, actor(r), Checks.text(b, "title").orElse(null),
                Checks.text(b, "body").orElse(null), labels, assignees);
        return Res.created(hub.issues.issueJson(i, Shapes.Flavor.REST));
    }

    private Res update(Req r) {
        Issue i = issue(r);
        Account actor = actor(r);
        if (actor != i.user) {
            hub.requireWrite(i.repo, r.principal());
        }
        JsonNode b = r.json();
        Optional<String> state = Checks.text(b, "state");
        if (state.isPresent() && !List.of("open", "closed").contains(state.get())) {
            throw ApiException.invalid("Issue", "state", "invalid");
        }
        hub.issues.editIssue(i, Checks.text(b, "title"), b.has("body"), Checks.text(b, "body").orElse(null), actor);
        if (b.has("labels")) {
            List<String> names = new ArrayList<>();
            b.path("labels").forEach(n -> names.add(n.isObject() ? n.path("name").asString() : n.asString()));
            hub.issues.setLabels(i, names, actor);
        }
        if (b.has("assignees")) {
            List<String> logins = new ArrayList<>();
            b.path("assignees").forEach(n -> logins.add(n.asString()));
            hub.issues.setAssignees(i, logins, actor);
        }
        i.updatedAt = hub.now();
        if (state.isPresent()) {
            if (i.isPull()) {
                if (state.get().equals("closed")) {
                    hub.pulls.close(i, actor);
                } else {
                    hub.pulls.reopen(i, actor);
                }
            } else {
                hub.issues.setState(i, state.get(), Checks.text(b, "state_reason").orElse(null), actor);
            }
        }
        return Res.ok(hub.issues.issueJson(i, Shapes.Flavor.REST));
    }

    private Res assign(Req r) {
        Issue i = issue(r);
        List<String> logins = new ArrayList<>();
        r.json().path("assignees").forEach(n -> logins.add(n.asString()));
        if (Hub.level(hub.permission(i.repo, r.principal())) >= Hub.level("triage")) {
            hub.issues.addAssignees(i, logins, actor(r));
        }
        return Res.created(hub.issues.issueJson(i, Shapes.Flavor.REST));
    }

    private Res comments(Req r) {
        Issue i = issue(r);
        List<ObjectNode> out = new ArrayList<>();
        i.comments.forEach(c -> out.add(hub.issues.commentJson(c, Shapes.Flavor.REST)));
        return Res.page(out);
    }

    private Res addComment(Req r) {
        Issue i = issue(r);
        if (r.principal() instanceof Principal.Anonymous) {
            throw ApiException.requiresAuth();
        }
        Comment c = hub.issues.comment(i, actor(r), Hub.viaApp(r.principal()),
                Checks.text(r.json(), "body").orElse(null));
        return Res.created(hub.issues.commentJson(c, Shapes.Flavor.REST));
    }

    private Res getComment(Req r) {
        return Res.ok(hub.issues.commentJson(comment(r), Shapes.Flavor.REST));
    }

    private Res editComment(Req r) {
        Comment c = comment(r);
        Account actor = actor(r);
        if (c.user != actor) {
            hub.requireWrite(c.issue.repo, r.principal());
        }
        String body = Checks.text(r.json(), "body").orElseThrow(() -> ApiException.invalid("IssueComment", "body", "missing_field"));
        hub.issues.editComment(c, body, actor);
        return Res.ok(hub.issues.commentJson(c, Shapes.Flavor.REST));
    }

    private Res labelsOf(Req r) {
        Issue i = issue(r);
        List<ObjectNode> out = new ArrayList<>();
        i.labels.forEach(l -> out.add(hub.shapes.issues().label(i.repo, l)));
        return Res.page(out);
    }

    private Res addLabels(Req r) {
        Issue i = issue(r);
        hub.requireWrite(i.repo, r.principal());
        JsonNode b = r.json();
        List<String> names = new ArrayList<>();
        JsonNode labels = b.has("labels") ? b.get("labels") : b;
        if (!labels.isArray()) {
            throw ApiException.invalid("Label", "labels", "invalid");
        }
        labels.forEach(n -> names.add(n.isObject() ? n.path("name").asString() : n.asString()));
        hub.issues.addLabels(i, names, actor(r));
        var arr = Json.arr();
        i.labels.forEach(l -> arr.add(hub.shapes.issues().label(i.repo, l)));
        return Res.ok(arr);
    }

    private Res removeLabel(Req r) {
        Issue i = issue(r);
        hub.requireWrite(i.repo, r.principal());
        hub.issues.removeLabel(i, r.p("name"), actor(r));
        var arr = Json.arr();
        i.labels.forEach(l -> arr.add(hub.shapes.issues().label(i.repo, l)));
        return Res.ok(arr);
    }

    private Res labels(Req r) {
        Repo repo = read(r);
        List<ObjectNode> out = new ArrayList<>();
        repo.labels.values().forEach(l -> out.add(hub.shapes.issues().label(repo, l)));
        return Res.page(out);
    }

    private Res getLabel(Req r) {
        Repo repo = read(r);
        Label l = repo.labels.get(r.p("name").toLowerCase(Locale.ROOT));
        if (l == null) {
            throw ApiException.notFound();
        }
        return Res.ok(hub.shapes.issues().label(repo, l));
    }

    private Res createLabel(Req r) {
        Repo repo = hub.writable(r.p("owner"), r.p("repo"), r.principal());
        JsonNode b = r.json();
        String name = Checks.text(b, "name").orElseThrow(() -> ApiException.invalid("Label", "name", "missing_field"));
        if (repo.labels.containsKey(name.toLowerCase(Locale.ROOT))) {
            throw ApiException.invalid("Label", "name", "already_exists");
        }
        String color = Checks.text(b, "color").orElse("ededed").replace("#", "");
        if (!color.matches("[0-9a-fA-F]{6}")) {
            throw ApiException.invalid("Label", "color", "invalid");
        }
        Label l = new Label(hub.nextId(), name, color, Checks.text(b, "description").orElse(null), false);
        repo.labels.put(name.toLowerCase(Locale.ROOT), l);
        return Res.created(hub.shapes.issues().label(repo, l));
    }

    private Res listReactions(List<Reaction> on) {
        List<ObjectNode> out = new ArrayList<>();
        on.forEach(x -> out.add(hub.shapes.issues().reaction(x)));
        return Res.page(out);
    }

    private Res unreact(Req r, List<Reaction> on) {
        if (r.principal() instanceof Principal.Anonymous) {
            throw ApiException.requiresAuth();
        }
        hub.issues.deleteReaction(on, r.id("reaction_id"), actor(r));
        return Res.noContent();
    }

    private Res react(Req r, List<Reaction> on) {
        if (r.principal() instanceof Principal.Anonymous) {
            throw ApiException.requiresAuth();
        }
        String content = Checks.text(r.json(), "content").orElseThrow(() -> ApiException.invalid("Reaction", "content", "missing_field"));
        Map.Entry<Reaction, Boolean> x = hub.issues.react(on, actor(r), content);
        return Res.status(x.getValue() ? 201 : 200, hub.shapes.issues().reaction(x.getKey()));
    }
}
