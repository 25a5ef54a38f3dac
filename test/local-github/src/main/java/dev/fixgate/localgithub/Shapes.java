package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.AccountType;
import dev.fixgate.localgithub.Model.App;
import dev.fixgate.localgithub.Model.Installation;
import dev.fixgate.localgithub.Model.Repo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of GitHub's resources. Two flavours where GitHub has two: the REST shape (open schemas, a few
 * extra fields such as {@code permissions}) and the webhook shape (closed schemas: {@code additionalProperties:
 * false}, so nothing may be added). Field lists follow api.github.com's OpenAPI description and
 * {@code @octokit/webhooks-schemas}; the tests validate every shape against both. Here: accounts, apps,
 * installations and repositories, which every other shape embeds; the other families have their own classes
 * ({@link GitShapes}, {@link IssueShapes}, {@link CheckShapes}, {@link TeamShapes}), reached from this one.
 */
final class Shapes {

    enum Flavor { REST, WEBHOOK }

    private final String api;
    private final String web;
    private final String git;
    private final TeamShapes teams;
    private final GitShapes gitObjects;
    private final IssueShapes issues;
    private final CheckShapes checks;

    Shapes(String api, String web, String git) {
        this.api = api;
        this.web = web;
        this.git = git;
        this.teams = new TeamShapes(api, web);
        this.gitObjects = new GitShapes(this, web);
        this.issues = new IssueShapes(this);
        this.checks = new CheckShapes(this, web);
    }

    String api() {
        return api;
    }

    TeamShapes teams() {
        return teams;
    }

    /** Commits, refs, trees, blobs, contents, branches. */
    GitShapes gitObjects() {
        return gitObjects;
    }

    /** Labels, reactions, issues, comments, pull requests, reviews. */
    IssueShapes issues() {
        return issues;
    }

    /** Commit statuses, check runs and suites, deployments. */
    CheckShapes checks() {
        return checks;
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

    static String now(Instant t) {
        return Json.time(t);
    }
}
