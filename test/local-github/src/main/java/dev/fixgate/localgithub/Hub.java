package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.AccountType;
import dev.fixgate.localgithub.Model.App;
import dev.fixgate.localgithub.Model.CheckRun;
import dev.fixgate.localgithub.Model.CheckSuite;
import dev.fixgate.localgithub.Model.Installation;
import dev.fixgate.localgithub.Model.Label;
import dev.fixgate.localgithub.Model.Principal;
import dev.fixgate.localgithub.Model.Repo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.Constants;
import tools.jackson.databind.node.ObjectNode;

/**
 * The state of the local GitHub and the operations on it that both the REST API and the scripted humans use, so both
 * emit the same webhooks. One lock guards everything: callers synchronise on the hub ({@code synchronized (hub)}).
 * Issues, comments, labels and reactions live in {@link Issues}, pull requests in {@link PullRequests}, statuses and
 * checks in {@link Checks}.
 */
final class Hub {

    static final List<String> LEVELS = List.of("none", "read", "triage", "write", "maintain", "admin");
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    /**
     * What an app may do unless registered otherwise: what fixgate's app asks for, including {@code members: read},
     * which GitHub requires for the teams API.
     */
    static final Map<String, String> DEFAULT_PERMISSIONS = defaultPermissions();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    final Clock clock;
    final Shapes shapes;
    final Webhooks webhooks;
    final PullRequests pulls;
    final Checks checks;
    final Deployments deployments;
    final Teams teams;
    final Issues issues;
    private final Path dataDir;
    private final AtomicLong ids = new AtomicLong(1000);
    private final SecureRandom random = new SecureRandom();

    final Map<String, Account> accounts = new LinkedHashMap<>();
    final Map<Long, App> apps = new LinkedHashMap<>();
    final Map<Long, Installation> installations = new LinkedHashMap<>();
    final Map<String, Repo> repos = new LinkedHashMap<>();
    private final Map<String, Principal> userTokens = new LinkedHashMap<>();
    private final Map<String, Map.Entry<Installation, Instant>> installationTokens = new LinkedHashMap<>();

    Hub(Path dataDir, Clock clock, Shapes shapes, Webhooks webhooks) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.shapes = shapes;
        this.webhooks = webhooks;
        this.pulls = new PullRequests(this);
        this.checks = new Checks(this);
        this.deployments = new Deployments(this);
        this.teams = new Teams(this);
        this.issues = new Issues(this);
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    Instant now() {
        return clock.instant();
    }

    static int level(String permission) {
        int i = LEVELS.indexOf(permission);
        return i < 0 ? 0 : i;
    }

    // ---- accounts, apps, installations, tokens

    synchronized Account createAccount(String login, AccountType type) {
        if (accounts.containsKey(login.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("account exists: " + login);
        }
        Account a = new Account(nextId(), login, type, now());
        accounts.put(login.toLowerCase(Locale.ROOT), a);
        return a;
    }

    Optional<Account> account(String login) {
        return Optional.ofNullable(accounts.get(login.toLowerCase(Locale.ROOT)));
    }

    Account requireAccount(String login) {
        return account(login).orElseThrow(() -> new IllegalArgumentException("no such account: " + login));
    }

    synchronized String userToken(String login) {
        Account a = requireAccount(login);
        String token = "ghp_" + randomString(36);
        userTokens.put(token, new Principal.User(a));
        return token;
    }

    private static Map<String, String> defaultPermissions() {
        Map<String, String> perms = new LinkedHashMap<>();
        for (String p : List.of("checks", "contents", "deployments", "issues", "members", "metadata", "pull_requests",
                "statuses")) {
            perms.put(p, p.equals("metadata") || p.equals("members") || p.equals("deployments") ? "read" : "write");
        }
        return java.util.Collections.unmodifiableMap(perms);
    }

    synchronized App registerApp(long appId, String slug, Account owner, PublicKey key, String webhookUrl,
                                 String secret, Map<String, String> permissions, List<String> events) {
        if (apps.containsKey(appId)) {
            throw new IllegalArgumentException("app exists: " + appId);
        }
        Account bot = createAccount(slug + "[bot]", AccountType.Bot);
        Map<String, String> perms = new LinkedHashMap<>(permissions);
        App app = new App(appId, slug, slug, owner, bot, key, webhookUrl, secret, perms, List.copyOf(events), now());
        apps.put(appId, app);
        return app;
    }

    synchronized Installation install(App app, Account account, Account sender) {
        for (Installation i : installations.values()) {
            if (i.app == app && i.account == account) {
                return i;
            }
        }
        Installation i = new Installation(nextId(), app, account, now());
        installations.put(i.id, i);
        ObjectNode payload = Json.obj();
        payload.put("action", "created");
        payload.set("installation", shapes.installation(i, Shapes.Flavor.WEBHOOK));
        var repos = payload.putArray("repositories");
        for (Repo r : this.repos.values()) {
            if (r.owner == account) {
                repos.add(shapes.repositoryLite(r));
            }
        }
        payload.set("requester", shapes.user(sender));
        payload.set("sender", shapes.user(sender));
        webhooks.deliver(i, "installation", "created", null, payload);
        return i;
    }

    synchronized Map.Entry<String, Instant> installationToken(Installation i) {
        String token = "ghs_" + randomString(36);
        Instant expires = now().plus(TOKEN_LIFETIME);
        installationTokens.put(token, Map.entry(i, expires));
        return Map.entry(token, expires);
    }

    /** The principal a token stands for, or empty when it is unknown or expired. */
    synchronized Optional<Principal> principalForToken(String token) {
        Principal p = userTokens.get(token);
        if (p != null) {
            return Optional.of(p);
        }
        Map.Entry<Installation, Instant> i = installationTokens.get(token);
        if (i != null && i.getValue().isAfter(now())) {
            return Optional.of(new Principal.AsInstallation(i.getKey()));
        }
        return Optional.empty();
    }

    private String randomString(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int k = 0; k < n; k++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** The account a principal acts as (the app's bot for an installation). */
    static Account actor(Principal p) {
        return switch (p) {
            case Principal.User u -> u.account();
            case Principal.AsInstallation i -> i.installation().app.bot;
            case Principal.AsApp a -> a.app().bot;
            case Principal.Anonymous x -> throw ApiException.requiresAuth();
        };
    }

    static Optional<App> viaApp(Principal p) {
        return p instanceof Principal.AsInstallation i ? Optional.of(i.installation().app) : Optional.empty();
    }

    // ---- repositories and permissions

    synchronized Repo createRepo(Account owner, String name, String defaultBranch, boolean isPrivate,
                                 Map<String, String> files) {
        String key = (owner.login + "/" + name).toLowerCase(Locale.ROOT);
        if (repos.containsKey(key)) {
            throw new IllegalArgumentException("repository exists: " + key);
        }
        GitRepo git = GitRepo.create(dataDir.resolve(owner.login).resolve(name + ".git"), defaultBranch);
        Repo r = new Repo(nextId(), owner, name, isPrivate, defaultBranch, now(), git);
        if (owner.type != AccountType.Organization) {
            r.collaborators.put(owner.login.toLowerCase(Locale.ROOT), "admin");
        }
        for (String[] l : new String[][] {{"bug", "d73a4a", "Something isn't working"},
                {"documentation", "0075ca", "Improvements or additions to documentation"},
                {"enhancement", "a2eeef", "New feature or request"}}) {
            r.labels.put(l[0].toLowerCase(Locale.ROOT), new Label(nextId(), l[0], l[1], l[2], true));
        }
        if (!files.isEmpty()) {
            List<GitRepo.TreeChange> changes = new ArrayList<>();
            files.forEach((p, c) -> changes.add(new GitRepo.TreeChange(p, "100644",
                    Optional.of(c.getBytes(StandardCharsets.UTF_8)), Optional.empty())));
            String tree = git.writeTree(Optional.empty(), changes);
            GitRepo.Person who = new GitRepo.Person(owner.name, owner.email, now());
            String sha = git.writeCommit(tree, List.of(), who, who, "Initial commit\n");
            git.updateRef(Constants.R_HEADS + defaultBranch, sha, true);
        }
        repos.put(key, r);
        for (Installation i : installations.values()) {
            if (i.account == owner) {
                repositoriesAdded(i, List.of(r), owner);
            }
        }
        return r;
    }

    /**
     * {@code installation_repositories added}: the installation got access to repositories — here, a repository
     * created in an account whose installation covers all repositories. Every app receives it (no subscription).
     */
    private void repositoriesAdded(Installation i, List<Repo> added, Account sender) {
        ObjectNode payload = Json.obj();
        payload.put("action", "added");
        payload.set("installation", shapes.installation(i, Shapes.Flavor.WEBHOOK));
        payload.put("repository_selection", "all");
        var arr = payload.putArray("repositories_added");
        added.forEach(r -> arr.add(shapes.repositoryLite(r)));
        payload.putArray("repositories_removed");
        payload.putNull("requester");
        payload.set("sender", shapes.user(sender));
        webhooks.deliver(i, "installation_repositories", "added", null, payload);
    }

    Optional<Repo> repo(String owner, String name) {
        return Optional.ofNullable(repos.get((owner + "/" + name).toLowerCase(Locale.ROOT)));
    }

    /** The permission of an account on a repository ("admin", "maintain", "write", "triage", "read", "none"). */
    String permission(Repo r, Account a) {
        String p = r.collaborators.get(a.login.toLowerCase(Locale.ROOT));
        if (p != null) {
            return p;
        }
        if (a.type == AccountType.Bot) {
            for (Installation i : installations.values()) {
                if (i.app.bot == a && i.account == r.owner) {
                    return "write";
                }
            }
        }
        return r.isPrivate ? "none" : "read";
    }

    String permission(Repo r, Principal p) {
        return switch (p) {
            case Principal.User u -> permission(r, u.account());
            case Principal.AsInstallation i -> i.installation().account == r.owner ? "write" : "none";
            case Principal.AsApp a -> "none";
            case Principal.Anonymous x -> r.isPrivate ? "none" : "read";
        };
    }

    /** Read access or 404 (GitHub hides what you cannot see). */
    Repo readable(String owner, String name, Principal p) {
        Repo r = repo(owner, name).orElseThrow(ApiException::notFound);
        if (level(permission(r, p)) < level("read")) {
            throw ApiException.notFound();
        }
        return r;
    }

    /** Write access, or 403 with GitHub's message for the kind of caller. */
    Repo writable(String owner, String name, Principal p) {
        Repo r = readable(owner, name, p);
        requireWrite(r, p);
        return r;
    }

    void requireWrite(Repo r, Principal p) {
        if (p instanceof Principal.Anonymous) {
            throw ApiException.requiresAuth();
        }
        if (level(permission(r, p)) < level("write")) {
            throw ApiException.forbidden(p instanceof Principal.AsInstallation
                    ? "Resource not accessible by integration" : "Must have push access to repository");
        }
    }

    String association(Repo r, Account a) {
        if (r.owner == a) {
            return "OWNER";
        }
        if (a.type == AccountType.Bot) {
            return "NONE";
        }
        String p = r.collaborators.get(a.login.toLowerCase(Locale.ROOT));
        return p == null ? "NONE" : r.owner.type == AccountType.Organization ? "MEMBER" : "COLLABORATOR";
    }

    int openIssues(Repo r) {
        return (int) r.issues.values().stream().filter(i -> i.state.equals("open")).count();
    }

    ObjectNode repoJson(Repo r, Principal p) {
        String perm = p instanceof Principal.Anonymous ? null : permission(r, p);
        return shapes.repository(r, Shapes.Flavor.REST, openIssues(r), perm);
    }

    // ---- events

    /**
     * Sends a repository event to every app installed on the repository's owner that subscribes to it. The payload is
     * built once; each delivery adds its own {@code installation}.
     */
    void emit(Repo r, String event, String action, Account sender, Consumer<ObjectNode> body) {
        emit(r, event, action, sender, body, i -> true);
    }

    /** The same, to the installations {@code to} accepts only (e.g. the app a check run's button belongs to). */
    void emit(Repo r, String event, String action, Account sender, Consumer<ObjectNode> body,
              Predicate<Installation> to) {
        ObjectNode payload = Json.obj();
        if (action != null) {
            payload.put("action", action);
        }
        body.accept(payload);
        payload.set("repository", shapes.repository(r, Shapes.Flavor.WEBHOOK, openIssues(r), null));
        if (r.owner.type == AccountType.Organization) {
            payload.set("organization", shapes.organization(r.owner));
        }
        payload.set("sender", shapes.user(sender));
        for (Installation i : installations.values()) {
            if (i.account == r.owner && i.app.events.contains(event) && to.test(i)) {
                webhooks.deliver(i, event, action, r, payload.deepCopy());
            }
        }
    }

    // ---- pushes

    /**
     * A ref moved (REST refs, contents, a merge, or {@code git push}): the {@code push} event, then for a branch what
     * pull requests do with it. {@code before}/{@code after} are the zero id when the ref was created/deleted.
     */
    void refUpdated(Repo r, String ref, String before, String after, Account pusher) {
        String zero = PullRequests.ZERO;
        boolean created = before.equals(zero);
        boolean deleted = after.equals(zero);
        if (!deleted) {
            r.pushedAt = now();
        }
        List<String> shas = new ArrayList<>();
        if (!deleted) {
            if (created) {
                Optional<String> def = r.git.branchSha(r.defaultBranch).filter(d -> !d.equals(after));
                shas = def.isPresent() ? r.git.commitsBetween(def.get(), after) : List.of();
            } else {
                shas = r.git.commitsBetween(before, after);
            }
        }
        boolean forced = !created && !deleted && !r.git.isAncestor(before, after);
        List<String> commits = shas.size() > 20 ? shas.subList(shas.size() - 20, shas.size()) : shas;
        emit(r, "push", null, pusher, p -> {
            p.put("ref", ref);
            p.put("before", before);
            p.put("after", after);
            p.put("created", created);
            p.put("deleted", deleted);
            p.put("forced", forced);
            p.putNull("base_ref");
            p.put("compare", shapes.htmlUrl(r) + "/compare/" + before.substring(0, 12) + "..." + after.substring(0, 12));
            var arr = p.putArray("commits");
            for (String sha : commits) {
                arr.add(shapes.gitObjects().pushCommit(r, r.git.commit(sha).orElseThrow(), r.git.changedPaths(sha)));
            }
            if (deleted) {
                p.putNull("head_commit");
            } else {
                GitRepo.CommitInfo head = r.git.commit(after).orElseThrow();
                p.set("head_commit", shapes.gitObjects().pushCommit(r, head, r.git.changedPaths(after)));
            }
            ObjectNode pusherJson = p.putObject("pusher");
            pusherJson.put("name", pusher.login);
            pusherJson.put("email", pusher.email);
        });
        if (ref.startsWith(Constants.R_HEADS)) {
            pulls.onBranchMoved(r, ref.substring(Constants.R_HEADS.length()), before, after, pusher);
        }
    }

    // ---- suites (used by Checks and by the check-suite shapes)

    static String suiteStatus(CheckSuite s) {
        if (s.runs.isEmpty()) {
            return "queued";
        }
        if (s.runs.stream().allMatch(r -> r.status.equals("completed"))) {
            return "completed";
        }
        return s.runs.stream().anyMatch(r -> r.status.equals("in_progress")) ? "in_progress" : "queued";
    }

    static String suiteConclusion(CheckSuite s) {
        if (!suiteStatus(s).equals("completed")) {
            return null;
        }
        List<String> order = List.of("action_required", "cancelled", "timed_out", "failure", "neutral", "skipped",
                "stale", "success");
        String worst = "success";
        for (CheckRun r : s.runs) {
            if (r.conclusion != null && order.indexOf(r.conclusion) < order.indexOf(worst)) {
                worst = r.conclusion;
            }
        }
        return worst;
    }
}
