package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.AccountType;
import dev.fixgate.localgithub.Model.App;
import dev.fixgate.localgithub.Model.CheckRun;
import dev.fixgate.localgithub.Model.CheckSuite;
import dev.fixgate.localgithub.Model.Comment;
import dev.fixgate.localgithub.Model.CommitStatus;
import dev.fixgate.localgithub.Model.Installation;
import dev.fixgate.localgithub.Model.Issue;
import dev.fixgate.localgithub.Model.Label;
import dev.fixgate.localgithub.Model.Pull;
import dev.fixgate.localgithub.Model.Reaction;
import dev.fixgate.localgithub.Model.Repo;
import dev.fixgate.localgithub.Model.Review;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of GitHub's resources. Two flavours where GitHub has two: the REST shape (open schemas, a few
 * extra fields such as {@code permissions}) and the webhook shape (closed schemas: {@code additionalProperties:
 * false}, so nothing may be added). Field lists follow api.github.com's OpenAPI description and
 * {@code @octokit/webhooks-schemas}; the tests validate every shape against both.
 */
final class Shapes {

    enum Flavor { REST, WEBHOOK }

    private final String api;
    private final String web;
    private final String git;
    private final TeamShapes teams;

    Shapes(String api, String web, String git) {
        this.api = api;
        this.web = web;
        this.git = git;
        this.teams = new TeamShapes(api, web);
    }

    String api() {
        return api;
    }

    TeamShapes teams() {
        return teams;
    }

    static String nodeId(String kind, long id) {
        return kind + "_kwDO" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
    }

    // ---- accounts

    ObjectNode user(Account a) {
        ObjectNode o = Json.obj();
        o.put("login", a.login);
        o.put("id", a.id);
        o.put("node_id", nodeId(a.type == AccountType.Organization ? "O" : a.type == AccountType.Bot ? "BOT" : "U", a.id));
        String login = urlPart(a.login);
        o.put("avatar_url", web + "/avatars/" + login);
        o.put("gravatar_id", "");
        String u = api + "/users/" + login;
        o.put("url", u);
        o.put("html_url", web + "/" + login);
        o.put("followers_url", u + "/followers");
        o.put("following_url", u + "/following{/other_user}");
        o.put("gists_url", u + "/gists{/gist_id}");
        o.put("starred_url", u + "/starred{/owner}{/repo}");
        o.put("subscriptions_url", u + "/subscriptions");
        o.put("organizations_url", u + "/orgs");
        o.put("repos_url", u + "/repos");
        o.put("events_url", u + "/events{/privacy}");
        o.put("received_events_url", u + "/received_events");
        o.put("type", a.type.name());
        o.put("site_admin", false);
        return o;
    }

    /** A login in a URL: "fixgate[bot]" becomes "fixgate%5Bbot%5D", as on github.com. */
    static String urlPart(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    ObjectNode organization(Account a) {
        ObjectNode o = Json.obj();
        String u = api + "/orgs/" + a.login;
        o.put("login", a.login);
        o.put("id", a.id);
        o.put("node_id", nodeId("O", a.id));
        o.put("url", u);
        o.put("repos_url", u + "/repos");
        o.put("events_url", u + "/events");
        o.put("hooks_url", u + "/hooks");
        o.put("issues_url", u + "/issues");
        o.put("members_url", u + "/members{/member}");
        o.put("public_members_url", u + "/public_members{/member}");
        o.put("avatar_url", web + "/avatars/" + a.login);
        o.putNull("description");
        return o;
    }

    ObjectNode app(App app, Flavor f) {
        ObjectNode o = Json.obj();
        o.put("id", app.id);
        o.put("slug", app.slug);
        o.put("node_id", nodeId("A", app.id));
        if (f == Flavor.REST) {
            o.put("client_id", "Iv1." + Long.toHexString(app.id * 7919));
        }
        o.set("owner", user(app.owner));
        o.put("name", app.name);
        o.put("description", "");
        o.put("external_url", web + "/apps/" + app.slug);
        o.put("html_url", web + "/apps/" + app.slug);
        Json.putTime(o, "created_at", app.createdAt);
        Json.putTime(o, "updated_at", app.createdAt);
        ObjectNode perms = o.putObject("permissions");
        app.permissions.forEach(perms::put);
        ArrayNode events = o.putArray("events");
        app.events.forEach(events::add);
        return o;
    }

    ObjectNode installation(Installation i, Flavor f) {
        ObjectNode o = Json.obj();
        o.put("id", i.id);
        if (f == Flavor.REST) {
            o.put("client_id", "Iv1." + Long.toHexString(i.app.id * 7919));
        }
        ObjectNode account = user(i.account);
        if (f == Flavor.REST) {
            // GitHub's description of GET /app/installations inlines the account as allOf [simple-user, enterprise]
            // (its other operations say anyOf), so a list entry must also carry the enterprise fields to validate.
            account.put("name", i.account.name);
            account.put("slug", i.account.login);
            Json.putTime(account, "created_at", i.account.createdAt);
            Json.putTime(account, "updated_at", i.account.createdAt);
        }
        o.set("account", account);
        o.put("repository_selection", "all");
        o.put("access_tokens_url", api + "/app/installations/" + i.id + "/access_tokens");
        o.put("repositories_url", api + "/installation/repositories");
        o.put("html_url", web + "/settings/installations/" + i.id);
        o.put("app_id", i.app.id);
        o.put("app_slug", i.app.slug);
        o.put("target_id", i.account.id);
        o.put("target_type", i.account.type == AccountType.Organization ? "Organization" : "User");
        ObjectNode perms = o.putObject("permissions");
        i.app.permissions.forEach(perms::put);
        ArrayNode events = o.putArray("events");
        i.app.events.forEach(events::add);
        Json.putTime(o, "created_at", i.createdAt);
        Json.putTime(o, "updated_at", i.createdAt);
        o.putNull("single_file_name");
        o.put("has_multiple_single_files", false);
        o.putArray("single_file_paths");
        o.putNull("suspended_by");
        o.putNull("suspended_at");
        return o;
    }

    static ObjectNode installationLite(Installation i) {
        ObjectNode o = Json.obj();
        o.put("id", i.id);
        o.put("node_id", nodeId("MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u", i.id));
        return o;
    }

    // ---- repositories

    String repoUrl(Repo r) {
        return api + "/repos/" + r.fullName();
    }

    String htmlUrl(Repo r) {
        return web + "/" + r.fullName();
    }

    String cloneUrl(Repo r) {
        return git + "/" + r.fullName() + ".git";
    }

    /** The short repository of installation payloads ({@code repositories}, {@code repositories_added}). */
    ObjectNode repositoryLite(Repo r) {
        ObjectNode x = Json.obj();
        x.put("id", r.id);
        x.put("node_id", nodeId("R", r.id));
        x.put("name", r.name);
        x.put("full_name", r.fullName());
        x.put("private", r.isPrivate);
        return x;
    }

    ObjectNode repository(Repo r, Flavor f, int openIssues, String permission) {
        ObjectNode o = Json.obj();
        String u = repoUrl(r);
        o.put("id", r.id);
        o.put("node_id", nodeId("R", r.id));
        o.put("name", r.name);
        o.put("full_name", r.fullName());
        o.put("private", r.isPrivate);
        o.set("owner", user(r.owner));
        o.put("html_url", htmlUrl(r));
        Json.putOrNull(o, "description", r.description);
        o.put("fork", false);
        o.put("url", u);
        o.put("forks_url", u + "/forks");
        o.put("keys_url", u + "/keys{/key_id}");
        o.put("collaborators_url", u + "/collaborators{/collaborator}");
        o.put("teams_url", u + "/teams");
        o.put("hooks_url", u + "/hooks");
        o.put("issue_events_url", u + "/issues/events{/number}");
        o.put("events_url", u + "/events");
        o.put("assignees_url", u + "/assignees{/user}");
        o.put("branches_url", u + "/branches{/branch}");
        o.put("tags_url", u + "/tags");
        o.put("blobs_url", u + "/git/blobs{/sha}");
        o.put("git_tags_url", u + "/git/tags{/sha}");
        o.put("git_refs_url", u + "/git/refs{/sha}");
        o.put("trees_url", u + "/git/trees{/sha}");
        o.put("statuses_url", u + "/statuses/{sha}");
        o.put("languages_url", u + "/languages");
        o.put("stargazers_url", u + "/stargazers");
        o.put("contributors_url", u + "/contributors");
        o.put("subscribers_url", u + "/subscribers");
        o.put("subscription_url", u + "/subscription");
        o.put("commits_url", u + "/commits{/sha}");
        o.put("git_commits_url", u + "/git/commits{/sha}");
        o.put("comments_url", u + "/comments{/number}");
        o.put("issue_comment_url", u + "/issues/comments{/number}");
        o.put("contents_url", u + "/contents/{+path}");
        o.put("compare_url", u + "/compare/{base}...{head}");
        o.put("merges_url", u + "/merges");
        o.put("archive_url", u + "/{archive_format}{/ref}");
        o.put("downloads_url", u + "/downloads");
        o.put("issues_url", u + "/issues{/number}");
        o.put("pulls_url", u + "/pulls{/number}");
        o.put("milestones_url", u + "/milestones{/number}");
        o.put("notifications_url", u + "/notifications{?since,all,participating}");
        o.put("labels_url", u + "/labels{/name}");
        o.put("releases_url", u + "/releases{/id}");
        o.put("deployments_url", u + "/deployments");
        Json.putTime(o, "created_at", r.createdAt);
        Json.putTime(o, "updated_at", r.pushedAt);
        Json.putTime(o, "pushed_at", r.pushedAt);
        o.put("git_url", cloneUrl(r));
        o.put("ssh_url", cloneUrl(r));
        o.put("clone_url", cloneUrl(r));
        o.put("svn_url", htmlUrl(r));
        o.putNull("homepage");
        o.put("size", 0);
        o.put("stargazers_count", 0);
        o.put("watchers_count", 0);
        o.putNull("language");
        o.put("has_issues", true);
        o.put("has_projects", false);
        o.put("has_downloads", false);
        o.put("has_wiki", false);
        o.put("has_pages", false);
        o.put("has_discussions", false);
        o.put("forks_count", 0);
        o.putNull("mirror_url");
        o.put("archived", false);
        o.put("disabled", false);
        o.put("open_issues_count", openIssues);
        o.putNull("license");
        o.put("allow_forking", true);
        o.put("is_template", false);
        o.put("web_commit_signoff_required", false);
        o.putArray("topics");
        o.put("visibility", r.isPrivate ? "private" : "public");
        o.put("forks", 0);
        o.put("open_issues", openIssues);
        o.put("watchers", 0);
        o.put("default_branch", r.defaultBranch);
        o.put("allow_squash_merge", true);
        o.put("allow_merge_commit", true);
        o.put("allow_rebase_merge", true);
        o.put("allow_auto_merge", false);
        o.put("delete_branch_on_merge", false);
        o.put("allow_update_branch", true);
        o.put("use_squash_pr_title_as_default", true);
        o.put("squash_merge_commit_title", "PR_TITLE");
        o.put("squash_merge_commit_message", "COMMIT_MESSAGES");
        o.put("merge_commit_title", "MERGE_MESSAGE");
        o.put("merge_commit_message", "PR_TITLE");
        o.putObject("custom_properties");
        if (f == Flavor.REST) {
            o.put("network_count", 0);
            o.put("subscribers_count", 0);
            if (permission != null) {
                o.set("permissions", permissions(permission));
            }
        }
        return o;
    }

    static ObjectNode permissions(String permission) {
        int level = Hub.level(permission);
        ObjectNode p = Json.obj();
        p.put("admin", level >= Hub.level("admin"));
        p.put("maintain", level >= Hub.level("maintain"));
        p.put("push", level >= Hub.level("write"));
        p.put("triage", level >= Hub.level("triage"));
        p.put("pull", level >= Hub.level("read"));
        return p;
    }

    // ---- git objects

    ObjectNode gitCommit(Repo r, GitRepo.CommitInfo c) {
        ObjectNode o = Json.obj();
        o.put("sha", c.sha());
        o.put("node_id", nodeId("C", c.sha().hashCode() & 0xffffffffL));
        o.put("url", repoUrl(r) + "/git/commits/" + c.sha());
        o.put("html_url", htmlUrl(r) + "/commit/" + c.sha());
        o.set("author", person(c.author()));
        o.set("committer", person(c.committer()));
        ObjectNode tree = o.putObject("tree");
        tree.put("sha", c.tree());
        tree.put("url", repoUrl(r) + "/git/trees/" + c.tree());
        o.put("message", c.message());
        ArrayNode parents = o.putArray("parents");
        for (String p : c.parents()) {
            ObjectNode x = parents.addObject();
            x.put("sha", p);
            x.put("url", repoUrl(r) + "/git/commits/" + p);
            x.put("html_url", htmlUrl(r) + "/commit/" + p);
        }
        o.set("verification", unsigned());
        return o;
    }

    private static ObjectNode unsigned() {
        ObjectNode v = Json.obj();
        v.put("verified", false);
        v.put("reason", "unsigned");
        v.putNull("signature");
        v.putNull("payload");
        v.putNull("verified_at");
        return v;
    }

    static ObjectNode person(GitRepo.Person p) {
        ObjectNode o = Json.obj();
        o.put("name", p.name());
        o.put("email", p.email());
        o.put("date", Json.time(p.when()));
        return o;
    }

    /** The "commit" resource of the repos API (used in branches and the commits endpoint). */
    ObjectNode repoCommit(Repo r, GitRepo.CommitInfo c, Account authorAccount) {
        ObjectNode o = Json.obj();
        String u = repoUrl(r) + "/commits/" + c.sha();
        o.put("url", u);
        o.put("sha", c.sha());
        o.put("node_id", nodeId("C", c.sha().hashCode() & 0xffffffffL));
        o.put("html_url", htmlUrl(r) + "/commit/" + c.sha());
        o.put("comments_url", u + "/comments");
        ObjectNode commit = o.putObject("commit");
        commit.put("url", repoUrl(r) + "/git/commits/" + c.sha());
        commit.set("author", person(c.author()));
        commit.set("committer", person(c.committer()));
        commit.put("message", c.message());
        commit.put("comment_count", 0);
        ObjectNode tree = commit.putObject("tree");
        tree.put("sha", c.tree());
        tree.put("url", repoUrl(r) + "/git/trees/" + c.tree());
        commit.set("verification", unsigned());
        if (authorAccount == null) {
            o.putNull("author");
            o.putNull("committer");
        } else {
            o.set("author", user(authorAccount));
            o.set("committer", user(authorAccount));
        }
        ArrayNode parents = o.putArray("parents");
        for (String p : c.parents()) {
            ObjectNode x = parents.addObject();
            x.put("sha", p);
            x.put("url", repoUrl(r) + "/commits/" + p);
            x.put("html_url", htmlUrl(r) + "/commit/" + p);
        }
        return o;
    }

    ObjectNode ref(Repo r, String fullName, String sha, String type) {
        ObjectNode o = Json.obj();
        o.put("ref", fullName);
        o.put("node_id", nodeId("REF", (r.id + fullName).hashCode() & 0xffffffffL));
        o.put("url", repoUrl(r) + "/git/" + fullName);
        ObjectNode obj = o.putObject("object");
        obj.put("type", type);
        obj.put("sha", sha);
        obj.put("url", repoUrl(r) + "/git/" + type + "s/" + sha);
        return o;
    }

    ObjectNode tree(Repo r, String sha, List<GitRepo.Entry> entries) {
        ObjectNode o = Json.obj();
        o.put("sha", sha);
        o.put("url", repoUrl(r) + "/git/trees/" + sha);
        ArrayNode a = o.putArray("tree");
        for (GitRepo.Entry e : entries) {
            ObjectNode x = a.addObject();
            x.put("path", e.path());
            x.put("mode", e.mode());
            x.put("type", e.type());
            x.put("sha", e.sha());
            if (e.type().equals("blob")) {
                x.put("size", e.size());
            }
            x.put("url", repoUrl(r) + "/git/" + e.type() + "s/" + e.sha());
        }
        o.put("truncated", false);
        return o;
    }

    ObjectNode blob(Repo r, String sha, byte[] content) {
        ObjectNode o = Json.obj();
        o.put("sha", sha);
        o.put("node_id", nodeId("B", sha.hashCode() & 0xffffffffL));
        o.put("size", content.length);
        o.put("url", repoUrl(r) + "/git/blobs/" + sha);
        o.put("content", Base64.getMimeEncoder(60, new byte[] {'\n'}).encodeToString(content) + "\n");
        o.put("encoding", "base64");
        return o;
    }

    ObjectNode shortBlob(Repo r, String sha) {
        ObjectNode o = Json.obj();
        o.put("url", repoUrl(r) + "/git/blobs/" + sha);
        o.put("sha", sha);
        return o;
    }

    ObjectNode contentFile(Repo r, String path, String sha, byte[] content, String ref, boolean withContent) {
        ObjectNode o = Json.obj();
        String name = path.substring(path.lastIndexOf('/') + 1);
        String self = repoUrl(r) + "/contents/" + path + "?ref=" + ref;
        o.put("type", "file");
        if (withContent) {
            o.put("encoding", "base64");
        }
        o.put("size", content.length);
        o.put("name", name);
        o.put("path", path);
        if (withContent) {
            o.put("content", Base64.getMimeEncoder(60, new byte[] {'\n'}).encodeToString(content) + "\n");
        }
        o.put("sha", sha);
        o.put("url", self);
        o.put("git_url", repoUrl(r) + "/git/blobs/" + sha);
        o.put("html_url", htmlUrl(r) + "/blob/" + ref + "/" + path);
        o.put("download_url", web + "/raw/" + r.fullName() + "/" + ref + "/" + path);
        ObjectNode links = o.putObject("_links");
        links.put("self", self);
        links.put("git", repoUrl(r) + "/git/blobs/" + sha);
        links.put("html", htmlUrl(r) + "/blob/" + ref + "/" + path);
        return o;
    }

    ObjectNode contentEntry(Repo r, GitRepo.Entry e, String ref) {
        ObjectNode o = Json.obj();
        String self = repoUrl(r) + "/contents/" + e.path() + "?ref=" + ref;
        o.put("type", e.type().equals("tree") ? "dir" : "file");
        o.put("size", e.size());
        o.put("name", e.path().substring(e.path().lastIndexOf('/') + 1));
        o.put("path", e.path());
        o.put("sha", e.sha());
        o.put("url", self);
        o.put("git_url", repoUrl(r) + "/git/" + e.type() + "s/" + e.sha());
        o.put("html_url", htmlUrl(r) + "/" + (e.type().equals("tree") ? "tree" : "blob") + "/" + ref + "/" + e.path());
        if (e.type().equals("tree")) {
            o.putNull("download_url");
        } else {
            o.put("download_url", web + "/raw/" + r.fullName() + "/" + ref + "/" + e.path());
        }
        ObjectNode links = o.putObject("_links");
        links.put("self", self);
        links.put("git", o.get("git_url").asString());
        links.put("html", o.get("html_url").asString());
        return o;
    }

    ObjectNode branch(Repo r, String name, ObjectNode commit, Model.Protection p, boolean full) {
        ObjectNode o = Json.obj();
        o.put("name", name);
        o.set("commit", commit);
        if (full) {
            ObjectNode links = o.putObject("_links");
            links.put("self", repoUrl(r) + "/branches/" + name);
            links.put("html", htmlUrl(r) + "/tree/" + name);
        }
        o.put("protected", p != null);
        ObjectNode prot = o.putObject("protection");
        prot.put("enabled", p != null);
        ObjectNode rsc = prot.putObject("required_status_checks");
        rsc.put("enforcement_level", p == null || p.requiredContexts.isEmpty() ? "off" : "non_admins");
        ArrayNode contexts = rsc.putArray("contexts");
        ArrayNode checks = rsc.putArray("checks");
        if (p != null) {
            for (String c : p.requiredContexts) {
                contexts.add(c);
                checks.addObject().put("context", c).putNull("app_id");
            }
        }
        o.put("protection_url", repoUrl(r) + "/branches/" + name + "/protection");
        if (full && p != null) {
            o.put("required_approving_review_count", p.requiredApprovingReviewCount);
        }
        return o;
    }

    // ---- issues and pull requests

    ObjectNode label(Repo r, Label l) {
        ObjectNode o = Json.obj();
        o.put("id", l.id);
        o.put("node_id", nodeId("LA", l.id));
        o.put("url", repoUrl(r) + "/labels/" + l.name.replace(" ", "%20"));
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
        o.put("node_id", nodeId("REA", x.id));
        o.set("user", user(x.user));
        o.put("content", x.content);
        Json.putTime(o, "created_at", x.createdAt);
        return o;
    }

    String issueUrl(Issue i) {
        return repoUrl(i.repo) + "/issues/" + i.number;
    }

    ObjectNode issue(Issue i, Flavor f, String association) {
        ObjectNode o = Json.obj();
        String u = issueUrl(i);
        o.put("url", u);
        o.put("repository_url", repoUrl(i.repo));
        o.put("labels_url", u + "/labels{/name}");
        o.put("comments_url", u + "/comments");
        o.put("events_url", u + "/events");
        o.put("html_url", htmlUrl(i.repo) + (i.isPull() ? "/pull/" : "/issues/") + i.number);
        o.put("id", i.id);
        o.put("node_id", nodeId(i.isPull() ? "PR" : "I", i.id));
        o.put("number", i.number);
        o.put("title", i.title);
        o.set("user", user(i.user));
        ArrayNode labels = o.putArray("labels");
        i.labels.forEach(l -> labels.add(label(i.repo, l)));
        o.put("state", i.state);
        o.put("locked", false);
        if (i.assignees.isEmpty()) {
            o.putNull("assignee");
        } else {
            o.set("assignee", user(i.assignees.get(0)));
        }
        ArrayNode assignees = o.putArray("assignees");
        i.assignees.forEach(a -> assignees.add(user(a)));
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
            pr.put("url", repoUrl(i.repo) + "/pulls/" + i.number);
            pr.put("html_url", htmlUrl(i.repo) + "/pull/" + i.number);
            pr.put("diff_url", htmlUrl(i.repo) + "/pull/" + i.number + ".diff");
            pr.put("patch_url", htmlUrl(i.repo) + "/pull/" + i.number + ".patch");
            Json.putTime(pr, "merged_at", p.mergedAt);
        }
        Json.putOrNull(o, "body", i.body);
        o.set("reactions", reactionRollup(u, i.reactions));
        o.put("timeline_url", u + "/timeline");
        o.putNull("performed_via_github_app");
        Json.putOrNull(o, "state_reason", i.stateReason);
        if (f == Flavor.REST && i.closedBy != null) {
            o.set("closed_by", user(i.closedBy));
        }
        return o;
    }

    ObjectNode comment(Comment c, Flavor f, String association) {
        ObjectNode o = Json.obj();
        String u = repoUrl(c.issue.repo) + "/issues/comments/" + c.id;
        o.put("url", u);
        o.put("html_url", htmlUrl(c.issue.repo) + (c.issue.isPull() ? "/pull/" : "/issues/") + c.issue.number
                + "#issuecomment-" + c.id);
        o.put("issue_url", issueUrl(c.issue));
        o.put("id", c.id);
        o.put("node_id", nodeId("IC", c.id));
        o.set("user", user(c.user));
        Json.putTime(o, "created_at", c.createdAt);
        Json.putTime(o, "updated_at", c.updatedAt);
        o.put("author_association", association);
        o.put("body", c.body);
        o.set("reactions", reactionRollup(u, c.reactions));
        if (c.viaApp.isPresent()) {
            o.set("performed_via_github_app", app(c.viaApp.get(), f));
        } else {
            o.putNull("performed_via_github_app");
        }
        return o;
    }

    /** A deployment: the same fields in REST answers and webhooks (the webhook schema forbids any other). */
    ObjectNode deployment(Repo r, Model.Deployment d, Flavor f) {
        ObjectNode o = Json.obj();
        String u = repoUrl(r) + "/deployments/" + d.id;
        o.put("url", u);
        o.put("id", d.id);
        o.put("node_id", nodeId("DE", d.id));
        o.put("sha", d.sha);
        o.put("ref", d.ref);
        o.put("task", d.task);
        o.set("payload", d.payload.deepCopy());
        o.put("original_environment", d.environment);
        o.put("environment", d.environment);
        Json.putOrNull(o, "description", d.description);
        o.set("creator", user(d.creator));
        Json.putTime(o, "created_at", d.createdAt);
        Json.putTime(o, "updated_at", d.updatedAt);
        o.put("statuses_url", u + "/statuses");
        o.put("repository_url", repoUrl(r));
        o.put("transient_environment", d.transientEnvironment);
        o.put("production_environment", d.productionEnvironment);
        if (d.app != null) {
            o.set("performed_via_github_app", app(d.app, f));
        } else {
            o.putNull("performed_via_github_app");
        }
        return o;
    }

    ObjectNode deploymentStatus(Repo r, Model.Deployment d, Model.DeploymentStatus s, Flavor f) {
        ObjectNode o = Json.obj();
        String deployment = repoUrl(r) + "/deployments/" + d.id;
        o.put("url", deployment + "/statuses/" + s.id);
        o.put("id", s.id);
        o.put("node_id", nodeId("DES", s.id));
        o.put("state", s.state);
        o.set("creator", user(s.creator));
        o.put("description", s.description);
        o.put("environment", s.environment);
        o.put("target_url", s.targetUrl);
        if (!s.logUrl.isEmpty()) {
            o.put("log_url", s.logUrl);
        }
        if (!s.environmentUrl.isEmpty() || f == Flavor.WEBHOOK) {
            o.put("environment_url", s.environmentUrl); // REST describes it as a URI: absent rather than ""
        }
        Json.putTime(o, "created_at", s.createdAt);
        Json.putTime(o, "updated_at", s.createdAt);
        o.put("deployment_url", deployment);
        o.put("repository_url", repoUrl(r));
        if (s.app != null) {
            o.set("performed_via_github_app", app(s.app, f));
        } else {
            o.putNull("performed_via_github_app");
        }
        return o;
    }

    /** What the pull request shape needs that is computed rather than stored. */
    record PullFacts(String baseSha, Boolean mergeable, String mergeableState, int commits, int additions,
                     int deletions, int changedFiles, int reviewComments) {}

    String pullUrl(Issue i) {
        return repoUrl(i.repo) + "/pulls/" + i.number;
    }

    /** {@code full=false} is the list / webhook "simple" shape. */
    ObjectNode pull(Issue i, PullFacts facts, Flavor f, boolean full, String association) {
        Pull p = i.pull.orElseThrow();
        ObjectNode o = Json.obj();
        String u = pullUrl(i);
        String html = htmlUrl(i.repo) + "/pull/" + i.number;
        o.put("url", u);
        o.put("id", p.id);
        o.put("node_id", nodeId("PR", p.id));
        o.put("html_url", html);
        o.put("diff_url", html + ".diff");
        o.put("patch_url", html + ".patch");
        o.put("issue_url", issueUrl(i));
        o.put("number", i.number);
        o.put("state", i.state);
        o.put("locked", false);
        o.put("title", i.title);
        o.set("user", user(i.user));
        Json.putOrNull(o, "body", i.body);
        Json.putTime(o, "created_at", i.createdAt);
        Json.putTime(o, "updated_at", i.updatedAt);
        Json.putTime(o, "closed_at", i.closedAt);
        Json.putTime(o, "merged_at", p.mergedAt);
        Json.putOrNull(o, "merge_commit_sha", p.mergeCommitSha);
        if (i.assignees.isEmpty()) {
            o.putNull("assignee");
        } else {
            o.set("assignee", user(i.assignees.get(0)));
        }
        ArrayNode assignees = o.putArray("assignees");
        i.assignees.forEach(a -> assignees.add(user(a)));
        ArrayNode reviewers = o.putArray("requested_reviewers");
        p.requestedReviewers.forEach(a -> reviewers.add(user(a)));
        ArrayNode teamsRequested = o.putArray("requested_teams");
        p.requestedTeams.forEach(t -> teamsRequested.add(teams.team(t, f)));
        ArrayNode labels = o.putArray("labels");
        i.labels.forEach(l -> labels.add(label(i.repo, l)));
        o.putNull("milestone");
        o.put("draft", p.draft);
        o.put("commits_url", u + "/commits");
        o.put("review_comments_url", u + "/comments");
        o.put("review_comment_url", repoUrl(i.repo) + "/pulls/comments{/number}");
        o.put("comments_url", issueUrl(i) + "/comments");
        o.put("statuses_url", repoUrl(i.repo) + "/statuses/" + p.headSha);
        o.set("head", end(i.repo, p.headRef, p.headSha, f));
        o.set("base", end(i.repo, p.baseRef, facts.baseSha(), f));
        ObjectNode links = o.putObject("_links");
        links.putObject("self").put("href", u);
        links.putObject("html").put("href", html);
        links.putObject("issue").put("href", issueUrl(i));
        links.putObject("comments").put("href", issueUrl(i) + "/comments");
        links.putObject("review_comments").put("href", u + "/comments");
        links.putObject("review_comment").put("href", repoUrl(i.repo) + "/pulls/comments{/number}");
        links.putObject("commits").put("href", u + "/commits");
        links.putObject("statuses").put("href", repoUrl(i.repo) + "/statuses/" + p.headSha);
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
                o.set("merged_by", user(p.mergedBy));
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
        o.set("user", user(r.owner));
        o.set("repo", repository(r, f, 0, null));
        return o;
    }

    ObjectNode review(Review rv, Flavor f, String association) {
        ObjectNode o = Json.obj();
        Issue i = rv.pull;
        o.put("id", rv.id);
        o.put("node_id", nodeId("PRR", rv.id));
        o.set("user", user(rv.user));
        o.put("body", rv.body == null ? "" : rv.body);
        o.put("state", f == Flavor.WEBHOOK ? rv.state.name().toLowerCase(java.util.Locale.ROOT) : rv.state.name());
        String html = htmlUrl(i.repo) + "/pull/" + i.number + "#pullrequestreview-" + rv.id;
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
        o.put("blob_url", htmlUrl(r) + "/blob/" + headSha + "/" + c.filename());
        o.put("raw_url", htmlUrl(r) + "/raw/" + headSha + "/" + c.filename());
        o.put("contents_url", repoUrl(r) + "/contents/" + c.filename() + "?ref=" + headSha);
        o.put("patch", c.patch());
        if (c.previousFilename() != null) {
            o.put("previous_filename", c.previousFilename());
        }
        return o;
    }

    // ---- statuses and checks

    ObjectNode status(Repo r, CommitStatus s, boolean simple) {
        ObjectNode o = Json.obj();
        o.put("url", repoUrl(r) + "/statuses/" + s.sha);
        o.put("avatar_url", web + "/avatars/" + urlPart(s.creator.login));
        o.put("id", s.id);
        o.put("node_id", nodeId("SC", s.id));
        o.put("state", s.state);
        Json.putOrNull(o, "description", s.description);
        Json.putOrNull(o, "target_url", s.targetUrl);
        o.put("context", s.context);
        Json.putTime(o, "created_at", s.createdAt);
        Json.putTime(o, "updated_at", s.createdAt);
        if (!simple) {
            o.set("creator", user(s.creator));
        }
        return o;
    }

    ObjectNode checkRun(Repo r, CheckRun c, List<ObjectNode> pullRequests, Flavor f) {
        ObjectNode o = Json.obj();
        o.put("id", c.id);
        o.put("name", c.name);
        o.put("node_id", nodeId("CR", c.id));
        o.put("head_sha", c.headSha);
        Json.putOrNull(o, "external_id", c.externalId == null ? "" : c.externalId);
        o.put("url", repoUrl(r) + "/check-runs/" + c.id);
        o.put("html_url", htmlUrl(r) + "/runs/" + c.id);
        Json.putOrNull(o, "details_url", c.detailsUrl == null ? htmlUrl(r) + "/runs/" + c.id : c.detailsUrl);
        o.put("status", c.status);
        Json.putOrNull(o, "conclusion", c.conclusion);
        Json.putTime(o, "started_at", c.startedAt);
        Json.putTime(o, "completed_at", c.completedAt);
        ObjectNode out = o.putObject("output");
        Json.putOrNull(out, "title", c.outputTitle);
        Json.putOrNull(out, "summary", c.outputSummary);
        Json.putOrNull(out, "text", c.outputText);
        out.put("annotations_count", 0);
        out.put("annotations_url", repoUrl(r) + "/check-runs/" + c.id + "/annotations");
        if (f == Flavor.REST) {
            o.putObject("check_suite").put("id", c.suite.id);
        } else {
            o.set("check_suite", checkSuite(r, c.suite, pullRequests, f));
        }
        o.set("app", app(c.suite.app, f));
        ArrayNode prs = o.putArray("pull_requests");
        pullRequests.forEach(prs::add);
        return o;
    }

    /** The minimal pull request reference inside check runs and suites. */
    ObjectNode checkPull(Issue i, String baseSha) {
        Pull p = i.pull.orElseThrow();
        ObjectNode o = Json.obj();
        o.put("url", pullUrl(i));
        o.put("id", p.id);
        o.put("number", i.number);
        o.set("head", checkPullEnd(i.repo, p.headRef, p.headSha));
        o.set("base", checkPullEnd(i.repo, p.baseRef, baseSha));
        return o;
    }

    private ObjectNode checkPullEnd(Repo r, String ref, String sha) {
        ObjectNode o = Json.obj();
        o.put("ref", ref);
        o.put("sha", sha);
        ObjectNode repo = o.putObject("repo");
        repo.put("id", r.id);
        repo.put("url", repoUrl(r));
        repo.put("name", r.name);
        return o;
    }

    ObjectNode checkSuite(Repo r, CheckSuite s, List<ObjectNode> pullRequests, Flavor f) {
        ObjectNode o = Json.obj();
        o.put("id", s.id);
        o.put("node_id", nodeId("CS", s.id));
        Json.putOrNull(o, "head_branch", s.headBranch);
        o.put("head_sha", s.headSha);
        o.put("status", Hub.suiteStatus(s));
        Json.putOrNull(o, "conclusion", Hub.suiteConclusion(s));
        o.put("url", repoUrl(r) + "/check-suites/" + s.id);
        Json.putOrNull(o, "before", s.before);
        o.put("after", s.headSha);
        ArrayNode prs = o.putArray("pull_requests");
        pullRequests.forEach(prs::add);
        o.set("app", app(s.app, f));
        Json.putTime(o, "created_at", s.createdAt);
        Json.putTime(o, "updated_at", s.updatedAt);
        if (f == Flavor.REST) {
            o.set("repository", repository(r, Flavor.REST, 0, null));
            o.set("head_commit", headCommit(r.git.commit(s.headSha).orElseThrow()));
            o.put("latest_check_runs_count", s.runs.size());
            o.put("check_runs_url", repoUrl(r) + "/check-suites/" + s.id + "/check-runs");
            o.put("rerequestable", true);
            o.put("runs_rerequestable", true);
        }
        return o;
    }

    ObjectNode headCommit(GitRepo.CommitInfo c) {
        ObjectNode o = Json.obj();
        o.put("id", c.sha());
        o.put("tree_id", c.tree());
        o.put("message", c.message());
        o.put("timestamp", Json.time(c.committer().when()));
        ObjectNode a = o.putObject("author");
        a.put("name", c.author().name());
        a.put("email", c.author().email());
        ObjectNode cm = o.putObject("committer");
        cm.put("name", c.committer().name());
        cm.put("email", c.committer().email());
        return o;
    }

    /** A commit in a push payload. */
    ObjectNode pushCommit(Repo r, GitRepo.CommitInfo c, Map<String, List<String>> paths) {
        ObjectNode o = Json.obj();
        o.put("id", c.sha());
        o.put("tree_id", c.tree());
        o.put("distinct", true);
        o.put("message", c.message());
        o.put("timestamp", Json.time(c.committer().when()));
        o.put("url", htmlUrl(r) + "/commit/" + c.sha());
        ObjectNode a = o.putObject("author");
        a.put("name", c.author().name());
        a.put("email", c.author().email());
        ObjectNode cm = o.putObject("committer");
        cm.put("name", c.committer().name());
        cm.put("email", c.committer().email());
        for (String k : List.of("added", "removed", "modified")) {
            ArrayNode x = o.putArray(k);
            paths.getOrDefault(k, List.of()).forEach(x::add);
        }
        return o;
    }

    static String now(Instant t) {
        return Json.time(t);
    }
}
