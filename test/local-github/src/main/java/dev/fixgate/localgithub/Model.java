package dev.fixgate.localgithub;

import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The in-memory state of the local GitHub. Mutable on purpose: every field is read and written only while holding
 * the {@link Hub}'s lock, so the objects never escape to callers (they get JSON or records).
 */
final class Model {

    private Model() {}

    enum AccountType { User, Organization, Bot }

    static final class Account {
        final long id;
        final String login;
        final AccountType type;
        String name;
        String email;
        final Instant createdAt;

        Account(long id, String login, AccountType type, Instant createdAt) {
            this.id = id;
            this.login = login;
            this.type = type;
            this.createdAt = createdAt;
            this.name = login;
            // GitHub's noreply form, with the bot suffix made a valid mailbox name (the schemas check e-mail format).
            this.email = id + "+" + login.replace("[bot]", "-bot") + "@users.noreply.example.com";
        }
    }

    static final class App {
        final long id;
        final String slug;
        final String name;
        final Account owner;
        final Account bot;
        final PublicKey publicKey;
        final String webhookUrl;
        final String webhookSecret;
        final Map<String, String> permissions;
        final List<String> events;
        final Instant createdAt;

        App(long id, String slug, String name, Account owner, Account bot, PublicKey publicKey, String webhookUrl,
            String webhookSecret, Map<String, String> permissions, List<String> events, Instant createdAt) {
            this.id = id;
            this.slug = slug;
            this.name = name;
            this.owner = owner;
            this.bot = bot;
            this.publicKey = publicKey;
            this.webhookUrl = webhookUrl;
            this.webhookSecret = webhookSecret;
            this.permissions = permissions;
            this.events = events;
            this.createdAt = createdAt;
        }
    }

    static final class Installation {
        final long id;
        final App app;
        final Account account;
        final Instant createdAt;

        Installation(long id, App app, Account account, Instant createdAt) {
            this.id = id;
            this.app = app;
            this.account = account;
            this.createdAt = createdAt;
        }
    }

    /**
     * A team of an organisation. Members are plain users; being in a team is what makes a user a member of the
     * organisation here (the model has no separate organisation membership), and every member has the role "member".
     */
    static final class Team {
        final long id;
        final Account org;
        final String slug;
        final String name;
        final String privacy = "closed";
        final String permission = "pull";
        final Instant createdAt;
        Instant updatedAt;
        final Set<Account> members = new LinkedHashSet<>();

        Team(long id, Account org, String slug, Instant createdAt) {
            this.id = id;
            this.org = org;
            this.slug = slug;
            this.name = slug;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    /** Who a request acts as: a user (PAT), an installation (bot), or the app itself (JWT). */
    sealed interface Principal {
        record User(Account account) implements Principal {}

        record AsInstallation(Installation installation) implements Principal {}

        record AsApp(App app) implements Principal {}

        record Anonymous() implements Principal {}
    }

    static final class Protection {
        final List<String> requiredContexts = new ArrayList<>();
        boolean strict;
        int requiredApprovingReviewCount;
        boolean dismissStaleReviews;
    }

    static final class Label {
        final long id;
        String name;
        String color;
        String description;
        final boolean isDefault;

        Label(long id, String name, String color, String description, boolean isDefault) {
            this.id = id;
            this.name = name;
            this.color = color;
            this.description = description;
            this.isDefault = isDefault;
        }
    }

    static final class Reaction {
        final long id;
        final Account user;
        final String content;
        final Instant createdAt;

        Reaction(long id, Account user, String content, Instant createdAt) {
            this.id = id;
            this.user = user;
            this.content = content;
            this.createdAt = createdAt;
        }
    }

    static final class Comment {
        final long id;
        final Issue issue;
        final Account user;
        final Optional<App> viaApp;
        String body;
        final Instant createdAt;
        Instant updatedAt;
        final List<Reaction> reactions = new ArrayList<>();

        Comment(long id, Issue issue, Account user, Optional<App> viaApp, String body, Instant createdAt) {
            this.id = id;
            this.issue = issue;
            this.user = user;
            this.viaApp = viaApp;
            this.body = body;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    enum ReviewState { PENDING, APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED }

    static final class Review {
        final long id;
        final Issue pull;
        final Account user;
        String body;
        ReviewState state;
        final String commitId;
        Instant submittedAt;

        Review(long id, Issue pull, Account user, String body, ReviewState state, String commitId, Instant submittedAt) {
            this.id = id;
            this.pull = pull;
            this.user = user;
            this.body = body;
            this.state = state;
            this.commitId = commitId;
            this.submittedAt = submittedAt;
        }
    }

    /** The pull-request half of an issue. */
    static final class Pull {
        final long id;
        final String headRef;
        String headSha;
        String baseRef;
        boolean draft;
        boolean merged;
        Instant mergedAt;
        Account mergedBy;
        String mergeCommitSha;
        /** The base branch's tip when the pull request was merged or closed (GitHub stops following it). */
        String frozenBaseSha;
        final Set<Account> requestedReviewers = new LinkedHashSet<>();
        final Set<Team> requestedTeams = new LinkedHashSet<>();
        final List<Review> reviews = new ArrayList<>();
        /** Every sha the head branch pointed at while the pull request was open: a review may name any of them. */
        final Set<String> headHistory = new LinkedHashSet<>();

        Pull(long id, String headRef, String headSha, String baseRef, boolean draft) {
            this.id = id;
            this.headRef = headRef;
            this.headSha = headSha;
            this.baseRef = baseRef;
            this.draft = draft;
            this.headHistory.add(headSha);
        }
    }

    static final class Issue {
        final long id;
        final Repo repo;
        final int number;
        String title;
        String body;
        final Account user;
        String state = "open";
        String stateReason;
        final List<Label> labels = new ArrayList<>();
        final List<Account> assignees = new ArrayList<>();
        final List<Comment> comments = new ArrayList<>();
        final List<Reaction> reactions = new ArrayList<>();
        final Instant createdAt;
        Instant updatedAt;
        Instant closedAt;
        Account closedBy;
        final Optional<Pull> pull;

        Issue(long id, Repo repo, int number, String title, String body, Account user, Instant createdAt,
              Optional<Pull> pull) {
            this.id = id;
            this.repo = repo;
            this.number = number;
            this.title = title;
            this.body = body;
            this.user = user;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
            this.pull = pull;
        }

        boolean isPull() {
            return pull.isPresent();
        }
    }

    /** A deployment of a commit to an environment, with its statuses newest last. */
    static final class Deployment {
        final long id;
        final String sha;
        final String ref;
        final String task;
        final String environment;
        final String description;
        final tools.jackson.databind.node.ObjectNode payload;
        final boolean transientEnvironment;
        final boolean productionEnvironment;
        final Account creator;
        final App app;
        final Instant createdAt;
        Instant updatedAt;
        final List<DeploymentStatus> statuses = new ArrayList<>();

        Deployment(long id, String sha, String ref, String task, String environment, String description,
                   tools.jackson.databind.node.ObjectNode payload, boolean transientEnvironment,
                   boolean productionEnvironment, Account creator, App app, Instant createdAt) {
            this.id = id;
            this.sha = sha;
            this.ref = ref;
            this.task = task;
            this.environment = environment;
            this.description = description;
            this.payload = payload;
            this.transientEnvironment = transientEnvironment;
            this.productionEnvironment = productionEnvironment;
            this.creator = creator;
            this.app = app;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    /** One state a deployment reached ({@code queued}, {@code in_progress}, {@code success}, {@code failure}…). */
    static final class DeploymentStatus {
        final long id;
        final String state;
        final String description;
        final String environment;
        final String targetUrl;
        final String logUrl;
        final String environmentUrl;
        final Account creator;
        final App app;
        final Instant createdAt;

        DeploymentStatus(long id, String state, String description, String environment, String targetUrl, String logUrl,
                         String environmentUrl, Account creator, App app, Instant createdAt) {
            this.id = id;
            this.state = state;
            this.description = description;
            this.environment = environment;
            this.targetUrl = targetUrl;
            this.logUrl = logUrl;
            this.environmentUrl = environmentUrl;
            this.creator = creator;
            this.app = app;
            this.createdAt = createdAt;
        }
    }

    static final class CommitStatus {
        final long id;
        final String sha;
        final String state;
        final String targetUrl;
        final String description;
        final String context;
        final Account creator;
        final Instant createdAt;

        CommitStatus(long id, String sha, String state, String targetUrl, String description, String context,
                     Account creator, Instant createdAt) {
            this.id = id;
            this.sha = sha;
            this.state = state;
            this.targetUrl = targetUrl;
            this.description = description;
            this.context = context;
            this.creator = creator;
            this.createdAt = createdAt;
        }
    }

    static final class CheckSuite {
        final long id;
        final App app;
        final String headSha;
        final String headBranch;
        final String before;
        final Instant createdAt;
        Instant updatedAt;
        final List<CheckRun> runs = new ArrayList<>();

        CheckSuite(long id, App app, String headSha, String headBranch, String before, Instant createdAt) {
            this.id = id;
            this.app = app;
            this.headSha = headSha;
            this.headBranch = headBranch;
            this.before = before;
            this.createdAt = createdAt;
            this.updatedAt = createdAt;
        }
    }

    static final class CheckRun {
        final long id;
        final CheckSuite suite;
        String name;
        final String headSha;
        String status;
        String conclusion;
        String detailsUrl;
        String externalId;
        Instant startedAt;
        Instant completedAt;
        String outputTitle;
        String outputSummary;
        String outputText;
        /** The buttons the app asked for ({@code actions}); GitHub shows them, once the run completes, to writers. */
        List<CheckRunAction> actions = List.of();

        CheckRun(long id, CheckSuite suite, String name, String headSha) {
            this.id = id;
            this.suite = suite;
            this.name = name;
            this.headSha = headSha;
        }
    }

    static final class Repo {
        final long id;
        final Account owner;
        final String name;
        final boolean isPrivate;
        String defaultBranch;
        String description;
        final Instant createdAt;
        Instant pushedAt;
        final GitRepo git;
        int nextNumber = 1;
        final Map<Integer, Issue> issues = new LinkedHashMap<>();
        final Map<String, Label> labels = new LinkedHashMap<>();
        final Map<String, String> collaborators = new LinkedHashMap<>();
        final Map<String, Protection> protections = new LinkedHashMap<>();
        final List<CommitStatus> statuses = new ArrayList<>();
        final List<CheckSuite> suites = new ArrayList<>();
        final List<Deployment> deployments = new ArrayList<>();

        Repo(long id, Account owner, String name, boolean isPrivate, String defaultBranch, Instant createdAt,
             GitRepo git) {
            this.id = id;
            this.owner = owner;
            this.name = name;
            this.isPrivate = isPrivate;
            this.defaultBranch = defaultBranch;
            this.createdAt = createdAt;
            this.pushedAt = createdAt;
            this.git = git;
        }

        String fullName() {
            return owner.login + "/" + name;
        }
    }
}
