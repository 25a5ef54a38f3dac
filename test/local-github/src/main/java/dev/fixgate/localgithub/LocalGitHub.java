package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.AccountType;
import dev.fixgate.localgithub.Model.App;
import dev.fixgate.localgithub.Model.Installation;
import dev.fixgate.localgithub.Model.Protection;
import dev.fixgate.localgithub.Model.Repo;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * A local GitHub for tests and {@code fixgate demo}: real bare git repositories served over smart HTTP, the REST
 * endpoints fixgate uses with GitHub's paths, status codes, headers and JSON shapes, branch protection enforced on
 * merge, signed webhooks with a delivery log, and scripted people ({@link #as(String)}, {@link #ci(String, String)}).
 *
 * <pre>{@code
 * try (LocalGitHub gh = LocalGitHub.start(LocalGitHubOptions.in(dir))) {
 *     gh.createOrg("acme");
 *     gh.createUser("alice");
 *     gh.createRepo("acme", "infra", "main", Map.of("main.tf", "..."));
 *     gh.addCollaborator("acme", "infra", "alice", "write");
 *     gh.protectBranch("acme", "infra", "main", new BranchProtection(List.of("ci"), false, 1, true));
 *     KeyPair key = LocalGitHub.generateAppKey();
 *     gh.registerApp(42, "fixgate", key.getPublic(), "http://127.0.0.1:8080/webhooks/github", "s3cret");
 *     long installation = gh.installApp(42, "acme");
 *     GitHub api = new GitHubBuilder().withEndpoint(gh.apiUrl()).withAppInstallationToken(
 *             gh.installationToken(installation)).build();
 * }
 * }</pre>
 * Thread-safe: one lock guards the state. Everything lives in memory except the repositories under
 * {@link LocalGitHubOptions#dataDir()}.
 */
public final class LocalGitHub implements AutoCloseable {

    /** The app the scripted CI reports check runs as. */
    static final long CI_APP_ID = 1;

    private final Javalin server;
    private final Hub hub;
    private final Webhooks webhooks;
    private final Rest rest;
    private final String baseUrl;
    private final GitTraffic gitTraffic;

    private LocalGitHub(Javalin server, Hub hub, Webhooks webhooks, Rest rest, String baseUrl, GitTraffic gitTraffic) {
        this.server = server;
        this.gitTraffic = gitTraffic;
        this.hub = hub;
        this.webhooks = webhooks;
        this.rest = rest;
        this.baseUrl = baseUrl;
    }

    public static LocalGitHub start(LocalGitHubOptions options) {
        // The port is chosen first because every URL in every JSON shape contains it.
        int port = options.port() == 0 ? freePort(options.host()) : options.port();
        String base = "http://" + options.host() + ":" + port;
        Webhooks webhooks = new Webhooks(options.clock());
        Shapes shapes = new Shapes(base, base + "/html", base + GitHttp.PREFIX);
        Hub hub = new Hub(options.dataDir(), options.clock(), shapes, webhooks);
        GitHttp git = new GitHttp(hub, options.partialClone());
        Rest rest = new Rest(hub, base, options.exchangeListener());
        new RepoRoutes(hub).register(rest);
        new PullRoutes(hub).register(rest);
        new IssueRoutes(hub).register(rest);
        new CheckRoutes(hub).register(rest);
        new DeploymentRoutes(hub).register(rest);
        new AppRoutes(hub).register(rest);
        new OrgRoutes(hub).register(rest);
        synchronized (hub) {
            Account owner = hub.createAccount("local-github", AccountType.Organization);
            // the scripted CI also deploys (Ci.deploy), which needs deployments: write
            java.util.Map<String, String> ciPermissions = new java.util.LinkedHashMap<>(Hub.DEFAULT_PERMISSIONS);
            ciPermissions.put("deployments", "write");
            hub.registerApp(CI_APP_ID, "local-ci", owner, null, null, null, ciPermissions, List.of());
        }
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = options.host();
            config.jetty.port = port;
            config.jetty.modifyServletContextHandler(handler -> {
                handler.addServlet(new ServletHolder(git.servlet()), GitHttp.PREFIX + "/*");
                handler.addFilter(new FilterHolder(git.authFilter()), GitHttp.PREFIX + "/*",
                        EnumSet.of(DispatcherType.REQUEST));
            });
            for (HandlerType t : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
                    HandlerType.DELETE)) {
                config.routes.addHttpHandler(t, "/<path>", rest::handle);
                config.routes.addHttpHandler(t, "/", rest::handle);
            }
        });
        app.start();
        return new LocalGitHub(app, hub, webhooks, rest, base, git.traffic());
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The REST base URL: give it to {@code GitHubBuilder.withEndpoint}. */
    public String apiUrl() {
        return baseUrl;
    }

    /** Git smart HTTP requests and bytes served so far (benchmarks count what fetching a repository costs). */
    public GitTraffic gitTraffic() {
        return gitTraffic;
    }

    /**
     * Packs a repository's objects with a bitmap index, as GitHub stores repositories (benchmarks: what a git server
     * costs to serve a big repository depends on it).
     */
    public void pack(String owner, String repo) {
        synchronized (hub) {
            hub.repo(owner, repo).orElseThrow(() -> new IllegalArgumentException("no repository " + owner + "/" + repo))
                    .git.pack();
        }
    }

    /** The clone URL of a repository (smart HTTP). */
    public String gitUrl(String owner, String repo) {
        return baseUrl + GitHttp.PREFIX + "/" + owner + "/" + repo + ".git";
    }

    // ---- setup

    public void createUser(String login) {
        synchronized (hub) {
            hub.createAccount(login, AccountType.User);
        }
    }

    public void createOrg(String login) {
        synchronized (hub) {
            hub.createAccount(login, AccountType.Organization);
        }
    }

    /** Creates a public repository whose default branch holds {@code files} (path → text) in one commit. */
    public void createRepo(String owner, String name, String defaultBranch, Map<String, String> files) {
        synchronized (hub) {
            hub.createRepo(hub.requireAccount(owner), name, defaultBranch, false, files);
        }
    }

    public void createPrivateRepo(String owner, String name, String defaultBranch, Map<String, String> files) {
        synchronized (hub) {
            hub.createRepo(hub.requireAccount(owner), name, defaultBranch, true, files);
        }
    }

    /** Grants {@code permission} ("read", "triage", "write", "maintain", "admin") on a repository. */
    public void addCollaborator(String owner, String repo, String login, String permission) {
        if (!Hub.LEVELS.contains(permission)) {
            throw new IllegalArgumentException("unknown permission " + permission + "; one of " + Hub.LEVELS);
        }
        synchronized (hub) {
            Repo r = repo(owner, repo);
            hub.requireAccount(login);
            r.collaborators.put(login.toLowerCase(Locale.ROOT), permission);
        }
    }

    /**
     * Creates a team in an organisation (name = slug, privacy closed, permission pull) with existing users as
     * members. Being in a team is what makes a user a member of the organisation here.
     */
    public void createTeam(String org, String slug, List<String> memberLogins) {
        synchronized (hub) {
            Account o = hub.requireAccount(org);
            hub.teams.create(o, slug, memberLogins.stream().map(hub::requireAccount).toList());
        }
    }

    /** Adds an existing user to a team (role "member"); adding a member again changes nothing. */
    public void addTeamMember(String org, String slug, String login) {
        synchronized (hub) {
            hub.teams.addMember(hub.teams.require(org, slug), hub.requireAccount(login));
        }
    }

    /** Removes a user from a team; removing a non-member changes nothing. */
    public void removeTeamMember(String org, String slug, String login) {
        synchronized (hub) {
            hub.teams.removeMember(hub.teams.require(org, slug), hub.requireAccount(login));
        }
    }

    public void protectBranch(String owner, String repo, String branch, BranchProtection protection) {
        synchronized (hub) {
            Protection p = new Protection();
            p.requiredContexts.addAll(protection.requiredChecks());
            p.strict = protection.strict();
            p.requiredApprovingReviewCount = protection.requiredApprovals();
            p.dismissStaleReviews = protection.dismissStaleReviews();
            repo(owner, repo).protections.put(branch, p);
        }
    }

    /**
     * Registers a GitHub App: its JWTs are verified against {@code publicKey}; its webhooks go to {@code webhookUrl}
     * signed with {@code webhookSecret}. It subscribes to every event the local GitHub emits. Its permissions are
     * checks, contents, issues, pull_requests and statuses write, metadata, members and deployments read.
     */
    public void registerApp(long appId, String slug, PublicKey publicKey, String webhookUrl, String webhookSecret) {
        registerApp(appId, slug, publicKey, webhookUrl, webhookSecret, Hub.DEFAULT_PERMISSIONS);
    }

    /**
     * The same with the app's permissions (name → "read", "write" or "admin", as in the app's settings), to see what
     * the app does without one. Only {@code members} (the teams API) is enforced: an installation keeps write access
     * to its account's repositories whatever the others say.
     */
    public void registerApp(long appId, String slug, PublicKey publicKey, String webhookUrl, String webhookSecret,
                            Map<String, String> permissions) {
        permissions.forEach((name, level) -> {
            if (!List.of("read", "write", "admin").contains(level)) {
                throw new IllegalArgumentException("permission " + name + ": " + level + "; one of read, write, admin");
            }
        });
        synchronized (hub) {
            Account owner = hub.account(slug + "-owner").orElseGet(() -> hub.createAccount(slug + "-owner", AccountType.User));
            hub.registerApp(appId, slug, owner, publicKey, webhookUrl, webhookSecret, permissions, List.of("check_run",
                    "check_suite", "deployment", "deployment_status", "issue_comment", "issues", "pull_request",
                    "pull_request_review", "push", "status"));
        }
    }

    /** Installs an app on a user or organisation (all repositories); emits {@code installation created}. */
    public long installApp(long appId, String account) {
        synchronized (hub) {
            App app = Optional.ofNullable(hub.apps.get(appId))
                    .orElseThrow(() -> new IllegalArgumentException("no app " + appId));
            Account a = hub.requireAccount(account);
            return hub.install(app, a, a.type == AccountType.Organization ? app.owner : a).id;
        }
    }

    /** A new installation access token ({@code ghs_...}, valid one hour), as the access_tokens endpoint makes. */
    public String installationToken(long installationId) {
        synchronized (hub) {
            Installation i = Optional.ofNullable(hub.installations.get(installationId))
                    .orElseThrow(() -> new IllegalArgumentException("no installation " + installationId));
            return hub.installationToken(i).getKey();
        }
    }

    /** A personal access token ({@code ghp_...}) for a user, accepted by REST and git. */
    public String tokenFor(String login) {
        synchronized (hub) {
            return hub.userToken(login);
        }
    }

    // ---- scripted people

    /** What a person does on GitHub: review, comment, push. */
    public Human as(String login) {
        synchronized (hub) {
            hub.requireAccount(login);
        }
        return new Human(hub, login);
    }

    /** The CI of a repository: reports check runs (as the "local-ci" app) and commit statuses. */
    public Ci ci(String owner, String repo) {
        synchronized (hub) {
            Repo r = repo(owner, repo);
            hub.install(hub.apps.get(CI_APP_ID), r.owner, r.owner);
        }
        return new Ci(hub, owner, repo);
    }

    // ---- inspection

    public List<Delivery> deliveries() {
        return webhooks.all();
    }

    /** Sends a delivery again (same {@code X-GitHub-Delivery}); returns the new attempt's id. */
    public long redeliver(long deliveryId) {
        return webhooks.redeliver(deliveryId);
    }

    /** Waits until every webhook queued so far has been attempted. */
    public void awaitDeliveries() {
        webhooks.awaitIdle(Duration.ofSeconds(30));
    }

    /** Every request that hit an endpoint the local GitHub does not implement ("METHOD /path"). */
    public List<String> unsupportedRequests() {
        return rest.unsupported();
    }

    List<String> routeKeys() {
        return rest.routeKeys();
    }

    public Optional<String> branchSha(String owner, String repo, String branch) {
        synchronized (hub) {
            return repo(owner, repo).git.branchSha(branch);
        }
    }

    /**
     * The buttons ({@code actions}) a check run was given by its app. GitHub's API does not return them, so this is
     * how a test sees what a run offers; {@link Human#requestCheckRunAction} clicks one.
     */
    public List<CheckRunAction> checkRunActions(String owner, String repo, long checkRunId) {
        synchronized (hub) {
            return hub.checks.findRun(repo(owner, repo), checkRunId).orElseThrow(() -> new IllegalArgumentException(
                    "no check run " + checkRunId + " in " + owner + "/" + repo)).actions;
        }
    }

    /** One pull request as {@link #pullRequests()} sees it. */
    public record PullState(String repository, int number, String headRef, String headSha, boolean open,
                            boolean merged) {
    }

    /**
     * Every pull request of every repository, read at one instant (under the lock every API call takes), so a
     * sampler sees states that existed together — e.g. how many are open in each repository at that moment.
     */
    public List<PullState> pullRequests() {
        synchronized (hub) {
            List<PullState> out = new java.util.ArrayList<>();
            for (Repo r : hub.repos.values()) {
                String name = r.owner.login + "/" + r.name;
                for (Model.Issue i : r.issues.values()) {
                    i.pull.ifPresent(p -> out.add(new PullState(name, i.number, p.headRef, p.headSha,
                            "open".equals(i.state), p.merged)));
                }
            }
            return out;
        }
    }

    /** A file's text at a ref (branch, tag or sha). */
    public Optional<String> file(String owner, String repo, String ref, String path) {
        synchronized (hub) {
            Repo r = repo(owner, repo);
            return r.git.resolve(ref).flatMap(sha -> r.git.file(sha, path))
                    .map(e -> new String(e.getValue(), StandardCharsets.UTF_8));
        }
    }

    /** The repository's CODEOWNERS at a ref, from the first of GitHub's three locations that exists. */
    public Optional<Codeowners> codeowners(String owner, String repo, String ref) {
        synchronized (hub) {
            Repo r = repo(owner, repo);
            return r.git.resolve(ref).flatMap(sha -> PullRequests.codeowners(r, sha));
        }
    }

    private Repo repo(String owner, String name) {
        return hub.repo(owner, name).orElseThrow(() -> new IllegalArgumentException("no repository " + owner + "/" + name));
    }

    @Override
    public void close() {
        server.stop();
        webhooks.close();
        synchronized (hub) {
            hub.repos.values().forEach(r -> r.git.close());
        }
    }

    // ---- app keys and JWTs (what a GitHub App does on its side)

    /** A 2048-bit RSA key pair, as GitHub generates for an app. */
    public static KeyPair generateAppKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public static String pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** An app JWT (RS256, {@code iat} 60 s in the past, {@code exp} nine minutes ahead), as GitHub's docs describe. */
    public static String appJwt(long appId, PrivateKey key, Instant now) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iat\":" + (now.getEpochSecond() - 60) + ",\"exp\":"
                + (now.getEpochSecond() + 540) + ",\"iss\":\"" + appId + "\"}").getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + b64.encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
