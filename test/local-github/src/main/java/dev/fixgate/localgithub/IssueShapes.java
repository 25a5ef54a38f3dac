package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Comment;
import dev.fixgate.localgithub.Model.Issue;
import dev.fixgate.localgithub.Model.Label;
import dev.fixgate.localgithub.Model.Pull;
import dev.fixgate.localgithub.Model.Reaction;
import dev.fixgate.localgithub.Model.Repo;
import dev.fixgate.localgithub.Model.Review;
import dev.fixgate.localgithub.Shapes.Flavor;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of issues and pull requests: labels, reactions, issues, comments, pull requests, reviews and the
 * files of a pull request. Apart from {@link Shapes} to keep that one readable; the REST and webhook flavours follow
 * api.github.com's OpenAPI description and {@code @octokit/webhooks-schemas}, as there.
 */
final class IssueShapes {

    private final Shapes shapes;

    IssueShapes(Shapes shapes) {
        this.shapes = shapes;
    }

    ObjectNode label(Repo r, Label l) {
        ObjectNode o = Json.obj();
        o.put("id", l.id);
        o.put("node_id", Shapes.nodeId("LA", l.id));
        o.put("url", shapes.repoUrl(r) + "/labels/" + l.name.replace(" ", "%20"));
        o.put("name", l.name);
        o.put("color", l.color);
        o.put("default", l.isDefault);
        Json.putOrNull(o, "description", l.description);
        return o;
    }

    ObjectNode reactionRollup(String url, List<Reaction> reactions) {
        ObjectNode o = Json.obj();
        o.put("url", url + "/reactions");
        o.put("total_count", reactions.size());
        for (String c : List.of("+1", "-1", "laugh", "hooray", "confused", "heart", "rocket", "eyes")) {
            o.put(c, reactions.stream().filter(x -> x.content.equals(c)).count());
        }
        return o;
    }

    ObjectNode reaction(Reaction x) {
        ObjectNode o = Json.obj();
        o.put("id", x.id);
        o.put("node_id", Shapes.nodeId("REA", x.id));
        o.set("user", shapes.user(x.user));
        o.put("content", x.content);
        Json.putTime(o, "created_at", x.createdAt);
        return o;
    }

    String issueUrl(Issue i) {
        return shapes.repoUrl(i.repo) + "/issues/" + i.number;
    }

    ObjectNode issue(Issue i, Flavor f, String association) {
        ObjectNode o = Json.obj();
        String u = issueUrl(i);
        o.put("url", u);
        o.put("repository_url", shapes.repoUrl(i.repo));
        o.put("labels_url", u + "/labels{/name}");
        o.put("comments_url", u + "/comments");
        o.put("events_url", u + "/events");
        o.put("html_url", shapes.htmlUrl(i.repo) + (i.isPull() ? "/pull/" : "/issues/") + i.number);
        o.put("id", i.id);
        o.put("node_id", Shapes.nodeId(i.isPull() ? "PR" : "I", i.id));
        o.put("number", i.number);
        o.put("title", i.title);
        o.set("user", shapes.user(i.user));
        ArrayNode labels = o.putArray("labels");
        i.labels.forEach(l -> labels.add(label(i.repo, l)));
        o.put("state", i.state);
        o.put("locked", false);
        if (i.assignees.isEmpty()) {
            o.putNull("assignee");
        } else {
            o.set("assignee", shapes.user(i.assignees.get(0)));
        }
        ArrayNode assignees = o.putArray("assignees");
        i.assignees.forEach(a -> assignees.add(shapes.user(a)));
        o.putNull("milestone");
        o.put("comments", i.comments.size());
        Json.putTime(o, "created_at", i.createdAt);
        Json.putTime(o, "updated_at", i.updatedAt);
        Json.putTime(o, "closed_at", i.closedAt);
        o.put("author_association", association);
        o.putNull("active_lock_reason");
        if (i.isPull()) {
            Pull p = i.pull.get();
            o.put("draft", p.draft);
            ObjectNode pr = o.putObject("pull_request");
            pr.put("url", shapes.repoUrl(i.repo) + "/pulls/" + i.number);
            pr.put("html_url", shapes.htmlUrl(i.repo) + "/pull/" + i.number);
            pr.put("diff_url", shapes.htmlUrl(i.repo) + "/pull/" + i.number + ".diff");
            pr.put("patch_url", shapes.htmlUrl(i.repo) + "/pull/" + i.number + ".patch");
            Json.putTime(pr, "merged_at", p.mergedAt);
        }
        Json.putOrNull(o, "body", i.body);
        o.set("reactions", reactionRollup(u, i.reactions));
        o.put("timeline_url", u + "/timeline");
        o.putNull("performed_via_github_app");
        Json.putOrNull(o, "state_reason", i.stateReason);
        if (f == Flavor.REST && i.closedBy != null) {
            o.set("closed_by", shapes.user(i.closedBy));
        }
        return o;
    }

    ObjectNode comment(Comment c, Flavor f, String association) {
        ObjectNode o = Json.obj();
        String u = shapes.repoUrl(c.issue.repo) + "/issues/comments/" + c.id;
        o.put("url", u);
        o.put("html_url", shapes.htmlUrl(c.issue.repo) + (c.issue.isPull() ? "/pull/" : "/issues/") + c.issue.number
                + "#issuecomment-" + c.id);
        o.put("issue_url", issueUrl(c.issue));
        o.put("id", c.id);
        o.put("node_id", Shapes.nodeId("IC", c.id));
        o.set("user", shapes.user(c.user));
        Json.putTime(o, "created_at", c.createdAt);
        Json.putTime(o, "updated_at", c.updatedAt);
        o.put("author_association", association);
        o.put("body", c.body);
        o.set("reactions", reactionRollup(u, c.reactions));
        if (c.viaApp.isPresent()) {
            o.set("performed_via_github_app", shapes.app(c.viaApp.get(), f));
        } else {
            o.putNull("performed_via_github_app");
        }
        return o;
    }

    /** What the pull request shape needs that is computed rather than stored. */
    record PullFacts(String baseSha, Boolean mergeable, String mergeableState, int commits, int additions,
                     int deletions, int changedFiles, int reviewComments) {}

    String pullUrl(Issue i) {
        return shapes.repoUrl(i.repo) + "/pulls/" + i.number;
    }

    /** {@code full=false} is the list / webhook "simple" shape. */
    ObjectNode pull(Issue i, PullFacts facts, Flavor f, boolean full, String association) {
        Pull p = i.pull.orElseThrow();
        ObjectNode o = Json.obj();
        String u = pullUrl(i);
        String html = shapes.htmlUrl(i.repo) + "/pull/" + i.number;
        o.put("url", u);
        o.put("id", p.id);
        o.put("node_id", Shapes.nodeId("PR", p.id));
        o.put("html_url", html);
        o.put("diff_url", html + ".diff");
        o.put("patch_url", html + ".patch");
        o.put("issue_url", issueUrl(i));
        o.put("number", i.number);
        o.put("state", i.state);
        o.put("locked", false);
        o.put("title", i.title);
        o.set("user", shapes.user(i.user));
        Json.putOrNull(o, "body", i.body);
        Json.putTime(o, "created_at", i.createdAt);
        Json.putTime(o, "updated_at", i.updatedAt);
        Json.putTime(o, "closed_at", i.closedAt);
        Json.putTime(o, "merged_at", p.mergedAt);
        Json.putOrNull(o, "merge_commit_sha", p.mergeCommitSha);
        if (i.assignees.isEmpty()) {
            o.putNull("assignee");
        } else {
            o.set("assignee", shapes.user(i.assignees.get(0)));
        }
        ArrayNode assignees = o.putArray("assignees");
        i.assignees.forEach(a -> assignees.add(shapes.user(a)));
        ArrayNode reviewers = o.putArray("requested_reviewers");
        p.requestedReviewers.forEach(a -> reviewers.add(shapes.user(a)));
        ArrayNode teamsRequested = o.putArray("requested_teams");
        p.requestedTeams.forEach(t -> teamsRequested.add(shapes.teams().team(t, f)));
        ArrayNode labels = o.putArray("labels");
        i.labels.forEach(l -> labels.add(label(i.repo, l)));
        o.putNull("milestone");
        o.put("draft", p.draft);
        o.put("commits_url", u + "/commits");
        o.put("review_comments_url", u + "/comments");
        o.put("review_comment_url", shapes.repoUrl(i.repo) + "/pulls/comments{/number}");
        o.put("comments_url", issueUrl(i) + "/comments");
        o.put("statuses_url", shapes.repoUrl(i.repo) + "/statuses/" + p.headSha);
        o.set("head", end(i.repo, p.headRef, p.headSha, f));
        o.set("base", end(i.repo, p.baseRef, facts.baseSha(), f));
        ObjectNode links = o.putObject("_links");
        links.putObject("self").put("href", u);
        links.putObject("html").put("href", html);
        links.putObject("issue").put("href", issueUrl(i));
        links.putObject("comments").put("href", issueUrl(i) + "/comments");
        links.putObject("review_comments").put("href", u + "/comments");
        links.putObject("review_comment").put("href", shapes.repoUrl(i.repo) + "/pulls/comments{/number}");
        links.putObject("commits").put("href", u + "/commits");
        links.putObject("statuses").put("href", shapes.repoUrl(i.repo) + "/statuses/" + p.headSha);
        o.put("author_association", association);
        o.putNull("auto_merge");
        o.putNull("active_lock_reason");
        if (full) {
            o.put("merged", p.merged);
            if (facts.mergeable() == null) {
                o.putNull("mergeable");
                o.putNull("rebaseable");
            } else {
                o.put("mergeable", facts.mergeable());
                o.put("rebaseable", facts.mergeable());
            }
            o.put("mergeable_state", facts.mergeableState());
            if (p.mergedBy == null) {
                o.putNull("merged_by");
            } else {
                o.set("merged_by", shapes.user(p.mergedBy));
            }
            o.put("comments", i.comments.size());
            o.put("review_comments", facts.reviewComments());
            o.put("maintainer_can_modify", false);
            o.put("commits", facts.commits());
            o.put("additions", facts.additions());
            o.put("deletions", facts.deletions());
            o.put("changed_files", facts.changedFiles());
        }
        return o;
    }

    private ObjectNode end(Repo r, String ref, String sha, Flavor f) {
        ObjectNode o = Json.obj();
        o.put("label", r.owner.login + ":" + ref);
        o.put("ref", ref);
        o.put("sha", sha);
        o.set("user", shapes.user(r.owner));
        o.set("repo", shapes.repository(r, f, 0, null));
        return o;
    }

    ObjectNode review(Review rv, Flavor f, String association) {
        ObjectNode o = Json.obj();
        Issue i = rv.pull;
        o.put("id", rv.id);
        o.put("node_id", Shapes.nodeId("PRR", rv.id));
        o.set("user", shapes.user(rv.user));
        o.put("body", rv.body == null ? "" : rv.body);
        o.put("state", f == Flavor.WEBHOOK ? rv.state.name().toLowerCase(java.util.Locale.ROOT) : rv.state.name());
        String html = shapes.htmlUrl(i.repo) + "/pull/" + i.number + "#pullrequestreview-" + rv.id;
        o.put("html_url", html);
        o.put("pull_request_url", pullUrl(i));
        ObjectNode links = o.putObject("_links");
        links.putObject("html").put("href", html);
        links.putObject("pull_request").put("href", pullUrl(i));
        if (rv.submittedAt != null || f == Flavor.WEBHOOK) {
            Json.putTime(o, "submitted_at", rv.submittedAt); // a pending review has none; REST then leaves it out
        }
        o.put("commit_id", rv.commitId);
        o.put("author_association", association);
        return o;
    }

    ObjectNode diffEntry(Repo r, String headSha, GitRepo.FileChange c) {
        ObjectNode o = Json.obj();
        o.put("sha", c.sha());
        o.put("filename", c.filename());
        o.put("status", c.status());
        o.put("additions", c.additions());
        o.put("deletions", c.deletions());
        o.put("changes", c.additions() + c.deletions());
        o.put("blob_url", shapes.htmlUrl(r) + "/blob/" + headSha + "/" + c.filename());
        o.put("raw_url", shapes.htmlUrl(r) + "/raw/" + headSha + "/" + c.filename());
        o.put("contents_url", shapes.repoUrl(r) + "/contents/" + c.filename() + "?ref=" + headSha);
        o.put("patch", c.patch());
        if (c.previousFilename() != null) {
            o.put("previous_filename", c.previousFilename());
        }
        return o;
    }
}
