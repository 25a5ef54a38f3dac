package dev.fixgate.app.chatops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.deliver.RepoConfigs;
import dev.fixgate.app.gate.ApprovalCheck;
import dev.fixgate.app.github.WebhookDispatcher;
import dev.fixgate.app.github.WebhookEvent;
import dev.fixgate.app.redact.Redactor;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.spi.audit.AuditEvent;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHReaction;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.ReactionContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People steer fixgate from GitHub: slash commands in comments on fixgate's pull requests, issues and dashboard
 * ({@code issue_comment} created and edited), the {@code fixgate/safety} check run's buttons
 * ({@code check_run.requested_action}) and the dashboard's boxes ({@code issues.edited}). It also notices what
 * people do to fixgate's work: a push to fixgate's branch (fixgate then leaves it alone and says so), a closed
 * pull request, a new installation or repository (a dashboard for it).
 *
 * <p>For each command: it must be on something fixgate made (anything else is ignored); it is claimed once (a
 * redelivered webhook or a retried job never runs it twice; an edited comment runs again only when its command
 * changed); the comment gets an eyes reaction, then +1 or confused; the sender must hold the permission the
 * command declares (else a reply says why and who may); the result is a reply, an audit event (who, what, on
 * which commit) and a dashboard refresh.
 */
public final class ChatOps {

    private static final Logger LOG = LoggerFactory.getLogger(ChatOps.class);

    private final ChatOpsServices services;
    private final Map<String, CommandRunner> runners;
    private final CommentParser parser;
    private final String help;

    /** @param runners every command's runner (the wiring package registers them) */
    public ChatOps(ChatOpsServices services, List<CommandRunner> runners) {
        this.services = Objects.requireNonNull(services, "services");
        Map<String, CommandRunner> byName = new LinkedHashMap<>();
        for (CommandRunner r : runners) {
            if (byName.put(r.declaration().name(), r) != null) {
                throw new IllegalArgumentException("two runners for command " + r.declaration().name());
            }
        }
        this.runners = Map.copyOf(byName);
        this.help = help(services.slug(), runners.stream().map(CommandRunner::declaration).toList());
        Map<String, ChatCommand> declarations = new LinkedHashMap<>();
        byName.forEach((n, r) -> declarations.put(n, r.declaration()));
        this.parser = new CommentParser(services.slug(), declarations, help);
    }

    /** The help text every command's declaration yields. */
    public static String help(String slug, List<ChatCommand> commands) {
        StringBuilder b = new StringBuilder("**fixgate commands** (comment `/" + slug + " <command>` or `@" + slug
                + " <command>` on fixgate's pull requests and issues):\n\n| command | what it does | who may |\n|---|---|---|\n");
        commands.stream().sorted(java.util.Comparator.comparing(ChatCommand::name)).forEach(c -> b.append("| `")
                .append(c.usage().replace("|", "\\|")).append("` | ").append(c.summary()).append(" | ")
                .append(c.permission().describe()).append(" |\n"));
        return b.toString();
    }

    public String help() {
        return help;
    }

    public CommentParser parser() {
        return parser;
    }

    /** Registers the event handlers. */
    public void register(WebhookDispatcher.Builder events) {
        events.on("issue_comment", this::onComment);
        events.on("check_run", this::onCheckRunAction);
        events.on("issues", this::onIssueEdited);
        events.on("pull_request", this::onPullRequestClosed);
        events.on("push", this::onPush);
        events.on("installation", this::onInstallation);
        events.on("installation_repositories", this::onInstallation);
    }

    // ---- comments

    void onComment(WebhookEvent event) throws IOException {
        JsonNode p = event.payload();
        if (!(event.action().equals("created") || event.action().equals("edited")) || event.installationId() == 0
                || isBot(p.path("sender"))) {
            return;
        }
        String body = p.path("comment").path("body").asText("");
        CommentParser.Parsed parsed = parser.parse(body);
        if (parsed instanceof CommentParser.Parsed.Ignore) {
            return;
        }
        GitHub github = services.clients().installation(event.installationId());
        GHRepository repo = github.getRepository(event.repository());
        int number = p.path("issue").path("number").asInt();
        Optional<Invocation.Target> target = target(repo, number, p.path("issue").has("pull_request"));
        if (target.isEmpty()) {
            return; // not fixgate's: not addressed to it
        }
        String sender = p.path("sender").path("login").asText();
        String line = parsed instanceof CommentParser.Parsed.Command c ? c.line() : "reply:" + body;
        String key = "comment:" + p.path("comment").path("id").asLong() + ":" + hash(line);
        GHIssueComment comment = repo.getIssue(number).getComments().stream()
                .filter(c -> c.getId() == p.path("comment").path("id").asLong()).findFirst().orElse(null);
        execute(event.installationId(), repo, target.get(), sender, parsed, key, Optional.ofNullable(comment));
    }

    // ---- check-run buttons

    void onCheckRunAction(WebhookEvent event) throws IOException {
        JsonNode p = event.payload();
        if (!event.action().equals("requested_action") || event.installationId() == 0 || isBot(p.path("sender"))) {
            return;
        }
        String identifier = p.path("requested_action").path("identifier").asText("");
        String command = switch (identifier) {
            case PullRequestDelivery.ACTION_APPROVE -> "approve";
            case PullRequestDelivery.ACTION_RESCAN -> "rescan";
            default -> "";
        };
        if (command.isEmpty() || !p.path("check_run").path("name").asText().equals(PullRequestContent.CHECK_NAME)) {
            return;
        }
        GHRepository repo = services.clients().installation(event.installationId()).getRepository(event.repository());
        String headSha = p.path("check_run").path("head_sha").asText();
        for (GHPullRequest pr : repo.queryPullRequests().state(org.kohsuke.github.GHIssueState.OPEN).list()) {
            if (pr.getHead().getSha().equals(headSha) && pr.getHead().getRef().startsWith("fixgate/")) {
                Optional<Invocation.Target> target = target(repo, pr.getNumber(), true);
                if (target.isPresent()) {
                    execute(event.installationId(), repo, target.get(), p.path("sender").path("login").asText(),
                            new CommentParser.Parsed.Command(command, List.of(), Map.of(), "button " + identifier),
                            "action:" + event.deliveryId(), Optional.empty());
                }
            }
        }
    }

    // ---- the dashboard's boxes

    void onIssueEdited(WebhookEvent event) throws IOException {
        JsonNode p = event.payload();
        String body = p.path("issue").path("body").asText("");
        if (!event.action().equals("edited") || event.installationId() == 0 || isBot(p.path("sender"))
                || !body.startsWith(DashboardView.MARKER) || !p.path("changes").path("body").has("from")) {
            return;
        }
        List<DashboardView.Action> actions = DashboardView.ticked(p.path("changes").path("body").path("from").asText(""), body);
        if (actions.isEmpty()) {
            return;
        }
        GHRepository repo = services.clients().installation(event.installationId()).getRepository(event.repository());
        String sender = p.path("sender").path("login").asText();
        GHIssue dashboard = repo.getIssue(p.path("issue").path("number").asInt());
        for (DashboardView.Action a : actions) {
            String key = "dashboard:" + event.deliveryId() + ":" + a.verb() + ":" + a.argument();
            switch (a.verb()) {
                case "approve" -> {
                    int n = Integer.parseInt(a.argument());
                    Optional<Invocation.Target> target = target(repo, n, true);
                    if (target.isPresent()) {
                        execute(event.installationId(), repo, target.get(), sender, new CommentParser.Parsed.Command(
                                "approve", List.of(), Map.of(), "dashboard box"), key, Optional.empty());
                    }
                }
                case "rescan", "retry" -> dashboardRescan(event.installationId(), repo, dashboard, sender, a, key);
                case "lift" -> dashboardLift(event.installationId(), repo, dashboard, sender, a, key);
                default -> LOG.atInfo().setMessage("unknown dashboard box ignored").addKeyValue("verb", a.verb()).log();
            }
        }
        services.dashboards().refresh(repo.getFullName(), event.installationId());
    }

    private void dashboardRescan(long installationId, GHRepository repo, GHIssue dashboard, String sender,
                                 DashboardView.Action a, String key) throws IOException {
        if (!allowed(installationId, repo, dashboard, sender, Permission.WRITE, a.verb())) {
            return;
        }
        if (!services.store().claim(repo.getFullName(), dashboard.getNumber(), key, sender, a.verb(), "",
                services.clock().instant())) {
            return;
        }
        long job = dev.fixgate.app.pipeline.RemediateJobHandler.enqueueRescan(services.queue(), services.initiatives(),
                new dev.fixgate.spi.finding.InitiativeId(a.argument()), services.clock().instant());
        services.store().finish(key, ChatOpsStore.Outcome.DONE, "job " + job);
        audit(sender, repo, dashboard.getNumber(), a.verb() + " " + a.argument(), "", "done");
    }

    private void dashboardLift(long installationId, GHRepository repo, GHIssue dashboard, String sender,
                               DashboardView.Action a, String key) throws IOException {
        if (!allowed(installationId, repo, dashboard, sender, Permission.WRITE, "lift a hold")) {
            return;
        }
        if (!services.store().claim(repo.getFullName(), dashboard.getNumber(), key, sender, "lift", "",
                services.clock().instant())) {
            return;
        }
        long id = Long.parseLong(a.argument());
        Optional<ChatOpsStore.Hold> hold = services.store().holdsInForce(repo.getFullName(), services.clock().instant())
                .stream().filter(h -> h.id() == id).findFirst();
        boolean lifted = hold.isPresent() && services.store().lift(repo.getFullName(), id, sender, services.clock().instant());
        services.store().finish(key, lifted ? ChatOpsStore.Outcome.DONE : ChatOpsStore.Outcome.REFUSED,
                lifted ? "lifted" : "no such hold in force");
        audit(sender, repo, dashboard.getNumber(), "lift hold " + id, "", lifted ? "done" : "refused");
        if (lifted) {
            // the initiative is fixgate's again: plan it now rather than at the next scan, and let a pull request that
            // only waited for the hold merge now if everything else allows it
            dev.fixgate.app.pipeline.RemediateJobHandler.enqueue(services.queue(), services.initiatives(),
                    hold.get().initiative(), services.clock().instant());
            for (RemediationStore.Remediation r : services.remediations().forInitiative(hold.get().initiative())) {
                if (r.repo().equals(repo.getFullName()) && r.status() == RemediationStore.Status.DELIVERED
                        && r.pullNumber().isPresent()) {
                    GHPullRequest pr = repo.getPullRequest(r.pullNumber().getAsInt());
                    if (pr.getState() == org.kohsuke.github.GHIssueState.OPEN) {
                        services.merges().evaluate(installationId, repo, pr);
                    }
                }
            }
        }
    }

    /** A writer-only dashboard box ticked by someone without the permission: a reply on the dashboard says so. */
    private boolean allowed(long installationId, GHRepository repo, GHIssue dashboard, String sender, Permission need,
                            String what) throws IOException {
        Permission held = Permission.ofRole(services.people().role(installationId, repo.getFullName(), sender));
        if (need.grantedBy(held)) {
            return true;
        }
        dashboard.comment("@" + sender + " ticked a box to " + what + ", which needs " + need.describe() + "; @" + sender
                + " has " + held.describe() + ". Nothing was done.");
        return false;
    }

    // ---- what people do to fixgate's work

    /**
     * A closed fixgate pull request: unmerged, its remediation is abandoned (fixgate does not reopen it); either way
     * the dashboard is brought up to date.
     */
    void onPullRequestClosed(WebhookEvent event) throws IOException {
        JsonNode p = event.payload();
        JsonNode pr = p.path("pull_request");
        if (!event.action().equals("closed") || !pr.path("head").path("ref").asText("").startsWith("fixgate/")) {
            return;
        }
        if (pr.path("merged").asBoolean(false)) {
            services.dashboards().refresh(event.repository(), event.installationId());
            return;
        }
        services.remediations().findByPull(event.repository(), pr.path("number").asInt()).ifPresent(r -> {
            if (r.status() == RemediationStore.Status.DELIVERED) {
                services.remediations().setStatus(r.id(), RemediationStore.Status.ABANDONED, services.clock().instant());
            }
        });
        services.dashboards().refresh(event.repository(), event.installationId());
    }

    /**
     * A push by someone else to fixgate's branch: fixgate leaves the branch alone from now on (it neither updates
     * nor merges it) and says so on the pull request, once per pushed head, until {@code recreate}.
     */
    void onPush(WebhookEvent event) throws IOException {
        JsonNode p = event.payload();
        String ref = p.path("ref").asText("");
        if (!ref.startsWith("refs/heads/fixgate/") || p.path("deleted").asBoolean(false) || isBot(p.path("sender"))
                || event.installationId() == 0) {
            return;
        }
        String branch = ref.substring("refs/heads/".length());
        String after = p.path("after").asText("");
        GHRepository repo = services.clients().installation(event.installationId()).getRepository(event.repository());
        for (GHPullRequest pr : repo.queryPullRequests().state(org.kohsuke.github.GHIssueState.OPEN).list()) {
            if (!pr.getHead().getRef().equals(branch)) {
                continue;
            }
            String pusher = p.path("pusher").path("name").asText(p.path("sender").path("login").asText("someone"));
            String key = "push:" + repo.getFullName() + ":" + branch + ":" + after;
            if (!services.store().claim(repo.getFullName(), pr.getNumber(), key, pusher, "push", after,
                    services.clock().instant())) {
                return;
            }
            pr.comment("@" + pusher + " pushed `" + Words.sha(after) + "` to fixgate's branch, so fixgate leaves it alone"
                    + " now: it will neither update nor merge this pull request. `/" + services.slug() + " recreate`"
                    + " rebuilds the branch from the default branch as fixgate's (discarding these commits; only their"
                    + " author or someone with maintain access may).");
            services.store().finish(key, ChatOpsStore.Outcome.DONE, "left to the human");
            audit(pusher, repo, pr.getNumber(), "push @ " + Words.sha(after), after, "left alone");
        }
    }

    /** A new installation, or repositories added to one: each gets its dashboard. */
    void onInstallation(WebhookEvent event) {
        JsonNode p = event.payload();
        long installation = p.path("installation").path("id").asLong(0);
        JsonNode repos = event.event().equals("installation") ? p.path("repositories") : p.path("repositories_added");
        if (installation == 0 || !(event.action().equals("created") || event.action().equals("added"))) {
            return;
        }
        repos.forEach(r -> services.dashboards().refresh(r.path("full_name").asText(), installation));
    }

    // ---- running a command

    private void execute(long installationId, GHRepository repo, Invocation.Target target, String sender,
                         CommentParser.Parsed parsed, String key, Optional<GHIssueComment> comment) throws IOException {
        String head = target instanceof Invocation.Target.PullRequest t ? t.headSha() : "";
        String name = parsed instanceof CommentParser.Parsed.Command c ? c.name() : "help";
        if (!services.store().claim(repo.getFullName(), target.number(), key, sender, name, head, services.clock().instant())) {
            return; // run already (a redelivery or a retry)
        }
        Optional<GHReaction> eyes = react(comment, ReactionContent.EYES);
        ChatOpsStore.Outcome outcome;
        String reply;
        try {
            CommandRunner.Result result = switch (parsed) {
                case CommentParser.Parsed.Reply r -> CommandRunner.Result.refused(r.text());
                case CommentParser.Parsed.Command c -> run(installationId, repo, target, sender, c);
                case CommentParser.Parsed.Ignore i -> throw new IllegalStateException("ignored comments are not run");
            };
            outcome = result.ok() ? ChatOpsStore.Outcome.DONE : ChatOpsStore.Outcome.REFUSED;
            reply = result.reply();
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().setMessage("command failed").addKeyValue("repository", repo.getFullName())
                    .addKeyValue("number", target.number()).addKeyValue("command", name)
                    .addKeyValue("error", Redactor.redact(String.valueOf(e.getMessage()))).log();
            outcome = ChatOpsStore.Outcome.FAILED;
            reply = "`" + name + "` failed: " + Words.clean(e.getClass().getSimpleName() + ": " + e.getMessage())
                    + ". Try again, or see `fixgate jobs` on the fixgate host.";
        }
        String addressed = "@" + sender + " " + reply;
        if (target instanceof Invocation.Target.PullRequest t) {
            t.pr().comment(addressed);
        } else if (target instanceof Invocation.Target.Issue t) {
            t.issue().comment(addressed);
        } else if (target instanceof Invocation.Target.Dashboard d) {
            d.issue().comment(addressed);
        }
        react(comment, outcome == ChatOpsStore.Outcome.DONE ? ReactionContent.PLUS_ONE : ReactionContent.CONFUSED);
        if (eyes.isPresent() && comment.isPresent()) {
            try {
                comment.get().deleteReaction(eyes.get());
            } catch (IOException e) {
                LOG.atDebug().setMessage("could not take the eyes reaction back").addKeyValue("error", e.getMessage()).log();
            }
        }
        services.store().finish(key, outcome, reply.lines().findFirst().orElse(""));
        audit(sender, repo, target.number(), name + (head.isEmpty() ? "" : " @ " + Words.sha(head)), head,
                outcome.name().toLowerCase(Locale.ROOT) + ": " + reply.lines().findFirst().orElse(""));
        services.dashboards().refresh(repo.getFullName(), installationId);
    }

    private CommandRunner.Result run(long installationId, GHRepository repo, Invocation.Target target, String sender,
                                     CommentParser.Parsed.Command c) throws IOException {
        CommandRunner runner = runners.get(c.name());
        ChatCommand declared = runner.declaration();
        ChatCommand.Where where = where(target);
        if (!Arrays.asList(declared.where()).contains(where)) {
            return CommandRunner.Result.refused("`" + c.name() + "` works on " + String.join(" or ", Arrays.stream(declared.where())
                    .map(w -> w.name().toLowerCase(Locale.ROOT).replace('_', ' ')).toList()) + ", not on this "
                    + where.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ".");
        }
        RepoConfig config;
        try {
            config = RepoConfigs.read(services.clients().installation(installationId), repo);
        } catch (ConfigException e) {
            return CommandRunner.Result.refused("This repository's fixgate configuration is invalid ("
                    + Words.clean(e.problems().getFirst().toString()) + "); fixgate takes no commands here until it is fixed.");
        }
        Optional<String> refused = permitted(installationId, repo, target, sender, declared, config);
        if (refused.isPresent()) {
            return CommandRunner.Result.refused(refused.get());
        }
        return runner.run(new Invocation(installationId, repo, target, sender, c, config, services));
    }

    /** Why {@code sender} may not give the command, or empty when they may. */
    private Optional<String> permitted(long installationId, GHRepository repo, Invocation.Target target, String sender,
                                       ChatCommand declared, RepoConfig config) throws IOException {
        if (declared.permission() == Permission.REVIEWER) {
            if (!(target instanceof Invocation.Target.PullRequest t)) {
                return Optional.of("`" + declared.name() + "` works on a pull request.");
            }
            ApprovalCheck.Facts facts = services.merges().facts(installationId, repo, t.pr(), config, t.headSha(),
                    Set.of(sender));
            String not = ApprovalCheck.disqualified(sender, config.reviewers(), facts);
            if (not.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("Your approval would not count (" + not + "). Who may approve: "
                    + String.join(", ", ApprovalCheck.whoMayApprove(config.reviewers(), facts.codeowners())) + ".");
        }
        Permission held = Permission.ofRole(services.people().role(installationId, repo.getFullName(), sender));
        if (declared.permission().grantedBy(held)) {
            return Optional.empty();
        }
        return Optional.of("`" + declared.name() + "` needs " + declared.permission().describe() + " to this repository; you"
                + " have " + held.describe() + ". People with " + declared.permission().describe() + " or more may run it.");
    }

    private static ChatCommand.Where where(Invocation.Target target) {
        return switch (target) {
            case Invocation.Target.PullRequest t -> t.merged() ? ChatCommand.Where.MERGED_PULL_REQUEST
                    : ChatCommand.Where.OPEN_PULL_REQUEST;
            case Invocation.Target.Issue i -> ChatCommand.Where.ISSUE;
            case Invocation.Target.Dashboard d -> ChatCommand.Where.DASHBOARD;
        };
    }

    /** What {@code number} is to fixgate: one of its pull requests or issues, its dashboard, or nothing. */
    private Optional<Invocation.Target> target(GHRepository repo, int number, boolean pullRequest) throws IOException {
        Optional<RemediationStore.Remediation> r = pullRequest ? services.remediations().findByPull(repo.getFullName(), number)
                : services.remediations().inRepo(repo.getFullName()).stream()
                        .filter(x -> x.issueNumber().isPresent() && x.issueNumber().getAsInt() == number).findFirst();
        try {
            if (pullRequest) {
                GHPullRequest pr = repo.getPullRequest(number);
                if (!pr.getHead().getRef().startsWith("fixgate/")) {
                    return Optional.empty();
                }
                boolean merged = pr.isMerged();
                if (!merged && pr.getState() != org.kohsuke.github.GHIssueState.OPEN) {
                    return Optional.empty(); // closed unmerged: nothing to steer
                }
                return Optional.of(new Invocation.Target.PullRequest(pr, r, merged));
            }
            GHIssue issue = repo.getIssue(number);
            String body = issue.getBody() == null ? "" : issue.getBody();
            if (body.startsWith(DashboardView.MARKER)) {
                return Optional.of(new Invocation.Target.Dashboard(issue));
            }
            if (body.startsWith(PullRequestContent.MARKER_PREFIX) || r.isPresent()) {
                return Optional.of(new Invocation.Target.Issue(issue, r));
            }
            return Optional.empty();
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    private static Optional<GHReaction> react(Optional<GHIssueComment> comment, ReactionContent content) {
        if (comment.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(comment.get().createReaction(content));
        } catch (IOException e) {
            LOG.atDebug().setMessage("could not react").addKeyValue("error", e.getMessage()).log();
            return Optional.empty();
        }
    }

    private void audit(String sender, GHRepository repo, int number, String what, String head, String outcome) {
        services.audit().append(new AuditEvent.CommandReceived(services.clock().instant(), sender, repo.getFullName(),
                number, clip(what, 200), clip(outcome, 500)));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static boolean isBot(JsonNode sender) {
        return "Bot".equals(sender.path("type").asText()) || sender.path("login").asText("").endsWith("[bot]");
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
