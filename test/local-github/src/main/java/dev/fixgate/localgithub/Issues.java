package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.App;
import dev.fixgate.localgithub.Model.Comment;
import dev.fixgate.localgithub.Model.Issue;
import dev.fixgate.localgithub.Model.Label;
import dev.fixgate.localgithub.Model.Reaction;
import dev.fixgate.localgithub.Model.Repo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issues and what hangs on them — labels, assignees, comments, reactions — for the REST API and the scripted humans,
 * so both emit the same webhooks. Pull requests are issues too: their label, assignee and state events go out as
 * {@code pull_request}. Guarded by the hub's one lock, as everything else ({@link Hub}).
 */
final class Issues {

    private final Hub hub;

    Issues(Hub hub) {
        this.hub = hub;
    }

    Issue issue(Repo r, int number) {
        Issue i = r.issues.get(number);
        if (i == null) {
            throw ApiException.notFound();
        }
        return i;
    }

    Issue createIssue(Repo r, Account author, String title, String body, List<String> labels,
                      List<String> assignees) {
        synchronized (hub) {
            if (title == null || title.isBlank()) {
                throw ApiException.invalid("Issue", "title", "missing_field");
            }
            Issue i = new Issue(hub.nextId(), r, r.nextNumber++, title, body, author, hub.now(), Optional.empty());
            for (String l : labels) {
                i.labels.add(labelOrCreate(r, l));
            }
            for (String a : assignees) {
                i.assignees.add(assignable(r, a));
            }
            r.issues.put(i.number, i);
            hub.emit(r, "issues", "opened", author, p -> p.set("issue", issueJson(i, Shapes.Flavor.WEBHOOK)));
            return i;
        }
    }

    ObjectNode issueJson(Issue i, Shapes.Flavor f) {
        return hub.shapes.issues().issue(i, f, hub.association(i.repo, i.user));
    }

    Account assignable(Repo r, String login) {
        Account a = hub.account(login).orElse(null);
        if (a == null || Hub.level(hub.permission(r, a)) < Hub.level("triage") && r.owner != a) {
            throw ApiException.invalid("Issue", "assignees", "invalid");
        }
        return a;
    }

    Label labelOrCreate(Repo r, String name) {
        return r.labels.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                k -> new Label(hub.nextId(), name, "ededed", null, false));
    }

    void addLabels(Issue i, List<String> names, Account sender) {
        synchronized (hub) {
            for (String n : names) {
                Label l = labelOrCreate(i.repo, n);
                if (!i.labels.contains(l)) {
                    i.labels.add(l);
                    i.updatedAt = hub.now();
                    emitIssueOrPull(i, "labeled", sender, p -> p.set("label", hub.shapes.issues().label(i.repo, l)));
                }
            }
        }
    }

    void removeLabel(Issue i, String name, Account sender) {
        synchronized (hub) {
            Label l = i.repo.labels.get(name.toLowerCase(Locale.ROOT));
            if (l == null || !i.labels.remove(l)) {
                throw new ApiException(404, "Label does not exist", ApiException.DOCS, List.of());
            }
            i.updatedAt = hub.now();
            emitIssueOrPull(i, "unlabeled", sender, p -> p.set("label", hub.shapes.issues().label(i.repo, l)));
        }
    }

    void addAssignees(Issue i, List<String> logins, Account sender) {
        synchronized (hub) {
            for (String login : logins) {
                Account a = hub.account(login).orElse(null);
                if (a == null || Hub.level(hub.permission(i.repo, a)) < Hub.level("triage") && i.repo.owner != a) {
                    continue; // GitHub silently ignores users who cannot be assigned
                }
                if (!i.assignees.contains(a)) {
                    i.assignees.add(a);
                    i.updatedAt = hub.now();
                    emitIssueOrPull(i, "assigned", sender, p -> p.set("assignee", hub.shapes.user(a)));
                }
            }
        }
    }

    /** Replaces the labels: {@code unlabeled} for each one gone, {@code labeled} for each new one. */
    void setLabels(Issue i, List<String> names, Account sender) {
        synchronized (hub) {
            List<Label> wanted = new ArrayList<>();
            for (String n : names) {
                Label l = labelOrCreate(i.repo, n);
                if (!wanted.contains(l)) {
                    wanted.add(l);
                }
            }
            for (Label l : List.copyOf(i.labels)) {
                if (!wanted.contains(l)) {
                    i.labels.remove(l);
                    i.updatedAt = hub.now();
                    emitIssueOrPull(i, "unlabeled", sender, p -> p.set("label", hub.shapes.issues().label(i.repo, l)));
                }
            }
            addLabels(i, wanted.stream().map(l -> l.name).toList(), sender);
        }
    }

    /**
     * Replaces the assignees: {@code unassigned} for each one gone, {@code assigned} for each new one (users who
     * cannot be assigned are left out, as GitHub does).
     */
    void setAssignees(Issue i, List<String> logins, Account sender) {
        synchronized (hub) {
            for (Account a : List.copyOf(i.assignees)) {
                if (logins.stream().noneMatch(l -> l.equalsIgnoreCase(a.login))) {
                    i.assignees.remove(a);
                    i.updatedAt = hub.now();
                    emitIssueOrPull(i, "unassigned", sender, p -> p.set("assignee", hub.shapes.user(a)));
                }
            }
            addAssignees(i, logins, sender);
        }
    }

    /**
     * Applies a new title and/or body and returns GitHub's {@code changes} ({@code title.from}, {@code body.from};
     * a body that was empty is {@code ""}), empty when nothing changed.
     */
    ObjectNode titleBodyChanges(Issue i, Optional<String> title, boolean setBody, String body) {
        ObjectNode changes = Json.obj();
        if (title.isPresent() && !title.get().equals(i.title)) {
            if (title.get().isBlank()) {
                throw ApiException.invalid(i.isPull() ? "PullRequest" : "Issue", "title", "missing_field");
            }
            changes.putObject("title").put("from", i.title);
            i.title = title.get();
        }
        if (setBody && !Objects.equals(body, i.body)) {
            changes.putObject("body").put("from", i.body == null ? "" : i.body);
            i.body = body;
        }
        return changes;
    }

    /**
     * Edits an issue's title and/or body: {@code issues edited} with {@code changes}, or for a pull request (edited
     * through the issues API) {@code pull_request edited}, as GitHub sends. Nothing is emitted when nothing changed.
     */
    void editIssue(Issue i, Optional<String> title, boolean setBody, String body, Account sender) {
        synchronized (hub) {
            if (i.isPull()) {
                hub.pulls.edit(i, title, setBody, body, Optional.empty(), sender);
                return;
            }
            ObjectNode changes = titleBodyChanges(i, title, setBody, body);
            if (!changes.isEmpty()) {
                i.updatedAt = hub.now();
                hub.emit(i.repo, "issues", "edited", sender, p -> {
                    p.set("changes", changes);
                    p.set("issue", issueJson(i, Shapes.Flavor.WEBHOOK));
                });
            }
        }
    }

    /** Emits {@code issues} for an issue and {@code pull_request} for a pull request. */
    void emitIssueOrPull(Issue i, String action, Account sender, Consumer<ObjectNode> extra) {
        if (i.isPull()) {
            hub.emit(i.repo, "pull_request", action, sender, p -> {
                p.put("number", i.number);
                p.set("pull_request", hub.pulls.json(i, Shapes.Flavor.WEBHOOK, true));
                extra.accept(p);
            });
        } else {
            hub.emit(i.repo, "issues", action, sender, p -> {
                p.set("issue", issueJson(i, Shapes.Flavor.WEBHOOK));
                extra.accept(p);
            });
        }
    }

    void setState(Issue i, String state, String reason, Account sender) {
        synchronized (hub) {
            if (state.equals(i.state)) {
                return;
            }
            i.state = state;
            i.updatedAt = hub.now();
            if (state.equals("closed")) {
                i.closedAt = hub.now();
                i.closedBy = sender;
                i.stateReason = reason == null ? "completed" : reason;
            } else {
                i.closedAt = null;
                i.closedBy = null;
                i.stateReason = "reopened";
            }
            emitIssueOrPull(i, state.equals("closed") ? "closed" : "reopened", sender, p -> {});
        }
    }

    Comment comment(Issue i, Account author, Optional<App> via, String body) {
        synchronized (hub) {
            if (body == null || body.isBlank()) {
                throw ApiException.invalid("IssueComment", "body", "missing_field");
            }
            Comment c = new Comment(hub.nextId(), i, author, via, body, hub.now());
            i.comments.add(c);
            i.updatedAt = hub.now();
            hub.emit(i.repo, "issue_comment", "created", author, p -> {
                p.set("issue", issueJson(i, Shapes.Flavor.WEBHOOK));
                p.set("comment", commentJson(c, Shapes.Flavor.WEBHOOK));
            });
            return c;
        }
    }

    ObjectNode commentJson(Comment c, Shapes.Flavor f) {
        return hub.shapes.issues().comment(c, f, hub.association(c.issue.repo, c.user));
    }

    Comment findComment(Repo r, long id) {
        for (Issue i : r.issues.values()) {
            for (Comment c : i.comments) {
                if (c.id == id) {
                    return c;
                }
            }
        }
        throw ApiException.notFound();
    }

    void editComment(Comment c, String body, Account sender) {
        synchronized (hub) {
            String old = c.body;
            c.body = body;
            c.updatedAt = hub.now();
            hub.emit(c.issue.repo, "issue_comment", "edited", sender, p -> {
                p.putObject("changes").putObject("body").put("from", old);
                p.set("issue", issueJson(c.issue, Shapes.Flavor.WEBHOOK));
                p.set("comment", commentJson(c, Shapes.Flavor.WEBHOOK));
            });
        }
    }

    /**
     * Removes a reaction of {@code user}'s; another's reaction, or an unknown id, is a 404 (GitHub lets people take
     * back only their own reactions).
     */
    void deleteReaction(List<Reaction> on, long id, Account user) {
        synchronized (hub) {
            Reaction x = on.stream().filter(r -> r.id == id).findFirst().orElseThrow(ApiException::notFound);
            if (x.user != user) {
                throw ApiException.notFound();
            }
            on.remove(x);
        }
    }

    static final List<String> REACTIONS = List.of("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes");

    /** Adds a reaction; returns it and whether it was new (GitHub answers 200 for an existing one, 201 for new). */
    Map.Entry<Reaction, Boolean> react(List<Reaction> on, Account user, String content) {
        synchronized (hub) {
            if (!REACTIONS.contains(content)) {
                throw ApiException.invalid("Reaction", "content", "invalid");
            }
            for (Reaction x : on) {
                if (x.user == user && x.content.equals(content)) {
                    return Map.entry(x, false);
                }
            }
            Reaction x = new Reaction(hub.nextId(), user, content, hub.now());
            on.add(x);
            return Map.entry(x, true);
        }
    }
}
