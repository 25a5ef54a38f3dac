package dev.fixgate.demo;

import dev.fixgate.app.json.Json;
import dev.fixgate.app.cli.Main;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHReaction;

/**
 * People steering {@code fixgate serve} (its own JVM, the local GitHub, signed webhooks) with slash commands, the
 * check run's buttons and the dashboard's boxes. The demo's repository lists {@code reviewer} as its reviewer and
 * {@code alice} as the code owner of every file; {@code mallory} can write but may approve nothing.
 */
class ServeChatOpsEndToEndTest {

    private static final String VERSIONING = "fixgate/aws.s3.bucket.versioning/";
    private static final String HTTPS_ONLY = "fixgate/aws.s3.bucket.ssl_requests_only/";

    @TempDir
    Path tmp;

    private ServeHarness serve;

    @AfterEach
    void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
    }

    private void start() throws Exception {
        serve = ServeHarness.start(tmp, Map.of());
        serve.gh.createUser("mallory");
        serve.gh.addCollaborator("acme", "infra", "mallory", "write");
        serve.pushSecurityHubFindings();
    }

    private long comment(String user, int number, String body) throws Exception {
        return serve.gh.as(user).comment("acme", "infra", number, body);
    }

    /** Waits for fixgate's reply on {@code number} that contains {@code text}. */
    private String awaitReply(int number, String text) {
        AtomicReference<String> found = new AtomicReference<>();
        await().atMost(ServeHarness.WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<String> replies = new java.util.ArrayList<>();
            for (GHIssueComment c : serve.repo().getIssue(number).getComments()) {
                if (c.getUser().getLogin().endsWith("[bot]")) {
                    replies.add(c.getBody());
                }
            }
            assertThat(replies).as("fixgate's replies on #%d%n%s", number, serve.output()).anyMatch(r -> r.contains(text));
            found.set(replies.stream().filter(r -> r.contains(text)).findFirst().orElseThrow());
        });
        return found.get();
    }

    private List<String> reactions(int number, long commentId) throws Exception {
        GHIssueComment c = serve.repo().getIssue(number).getComments().stream().filter(x -> x.getId() == commentId)
                .findFirst().orElseThrow();
        return c.listReactions().toList().stream().map(GHReaction::getContent).map(r -> r.getContent()).toList();
    }

    private GHPullRequest refreshed(GHPullRequest pr) throws Exception {
        return serve.repo().getPullRequest(pr.getNumber());
    }

    private List<String> commandsAudited() throws Exception {
        return serve.auditLog().stream().filter(e -> e.path("type").asText().equals("command.received"))
                .map(JsonNode::toString).toList();
    }

    @Test
    void approveCountsOnlyFromAnAuthorisedReviewerAndOnlyForTheCommitItWasGivenOn() throws Exception {
        start();
        GHPullRequest https = serve.awaitPullRequest(HTTPS_ONLY);
        String a = https.getHead().getSha();

        long refused = comment("mallory", https.getNumber(), "Looks fine to me.\n\n/fixgate approve");
        String why = awaitReply(https.getNumber(), "@mallory Your approval would not count");
        assertThat(why).contains("not an authorised reviewer").contains("Who may approve: @reviewer");
        await().atMost(ServeHarness.WAIT).untilAsserted(() -> assertThat(reactions(https.getNumber(), refused))
                .contains("confused").doesNotContain("eyes"));

        long approved = comment("reviewer", https.getNumber(), "/fixgate approve");
        awaitReply(https.getNumber(), "@reviewer Approved `" + a.substring(0, 7) + "`");
        await().atMost(ServeHarness.WAIT).untilAsserted(() -> assertThat(reactions(https.getNumber(), approved))
                .contains("+1"));

        // main moves under the fix (the bucket's file changed), and a rebase re-plans it: a new head, B
        serve.gh.as("alice").push("acme", "infra", "main", Map.of("terraform/s3.tf",
                serve.gh.file("acme", "infra", "main", "terraform/s3.tf").orElseThrow()
                        .replace("resource \"aws_s3_bucket\" \"data\"", "# the data bucket\nresource \"aws_s3_bucket\" \"data\"")),
                "Document the data bucket");
        comment("alice", https.getNumber(), "/fixgate rebase");
        awaitReply(https.getNumber(), "@alice Rebasing");
        AtomicReference<GHPullRequest> moved = new AtomicReference<>();
        await().atMost(ServeHarness.WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            GHPullRequest now = refreshed(https);
            assertThat(now.getHead().getSha()).as(serve.output()).isNotEqualTo(a);
            assertThat(serve.safety(now)).isPresent();
            moved.set(now);
        });
        GHPullRequest b = moved.get();
        serve.greenCiAndAwaitMergeDecision(b);
        assertThat(serve.merged(b)).as("the approval was for " + a + ", not for the new head").isFalse();

        // the check run's Approve button, clicked by the reviewer on B
        GHCheckRun run = serve.safety(b).orElseThrow();
        serve.gh.as("reviewer").requestCheckRunAction("acme", "infra", run.getId(), "approve");
        serve.awaitMerged(b);
        assertThat(serve.repo().getCommit(serve.repo().getBranch("main").getSHA1()).getCommitShortInfo().getMessage())
                .contains("Fixgate-Approved-By: reviewer");
        serve.stopServe();
        assertThat(commandsAudited()).anyMatch(e -> e.contains("mallory") && e.contains("refused"))
                .anyMatch(e -> e.contains("reviewer") && e.contains("approve @ " + a.substring(0, 7)))
                .anyMatch(e -> e.contains("alice") && e.contains("rebase"));
    }

    @Test
    void explainSnoozeIgnoreAndTheDashboardsBoxes() throws Exception {
        start();
        GHPullRequest versioning = serve.awaitPullRequest(VERSIONING);
        GHPullRequest https = serve.awaitPullRequest(HTTPS_ONLY);

        comment("mallory", versioning.getNumber(), "/fixgate explain");
        String explained = awaitReply(versioning.getNumber(), "**Risk of change: SAFE**");
        assertThat(explained).contains("**Gate**").contains("policy / cel: allow").contains("Recorded as decision(s) #");

        comment("mallory", versioning.getNumber(), "/fixgate rescan");
        awaitReply(versioning.getNumber(), "@mallory Rescanning initiative");
        comment("mallory", versioning.getNumber(), "/fixgate aprove");
        assertThat(awaitReply(versioning.getNumber(), "Unknown command `aprove`")).contains("did you mean `approve`?")
                .contains("**fixgate commands**");

        // a command on a pull request that is not fixgate's is not fixgate's business
        serve.gh.as("alice").push("acme", "infra", "alice/docs", Map.of("README.md", "# infra\n"), "Docs");
        int own = serve.gh.as("alice").openPullRequest("acme", "infra", "alice/docs", "main", "Docs", "");
        comment("alice", own, "/fixgate approve");

        comment("alice", versioning.getNumber(), "/fixgate snooze 2d");
        awaitReply(versioning.getNumber(), "@alice Snoozed until");
        serve.greenCiAndAwaitMergeDecision(versioning);
        assertThat(serve.merged(versioning)).as("snoozed: not merged although SAFE and green").isFalse();

        comment("alice", https.getNumber(), "/fixgate ignore --until 2099-01-31 --reason \"served to old kiosks over HTTP\"");
        awaitReply(https.getNumber(), "@alice Ignored by @");
        await().atMost(ServeHarness.WAIT).untilAsserted(() -> assertThat(refreshed(https).getState())
                .isEqualTo(GHIssueState.CLOSED));

        GHIssue dashboard = awaitDashboard(body -> body.contains("## Snoozed or ignored (2)")
                && body.contains("served to old kiosks over HTTP"));
        // the snooze's box, ticked by alice: the hold is lifted and the fix merges (it is SAFE and green)
        String body = dashboard.getBody();
        String snoozeLine = body.lines().filter(l -> l.contains("snoozed by")).findFirst().orElseThrow();
        serve.gh.as("alice").editIssueBody("acme", "infra", dashboard.getNumber(),
                body.replace(snoozeLine, snoozeLine.replace("- [ ]", "- [x]")));
        serve.awaitMerged(versioning);
        awaitDashboard(b -> b.contains("## Snoozed or ignored (1)") && b.contains("## Recently merged (1)"));

        List<String> onOwn = new java.util.ArrayList<>();
        for (GHIssueComment c : serve.repo().getIssue(own).getComments()) {
            onOwn.add(c.getUser().getLogin());
        }
        assertThat(onOwn).as("fixgate says nothing on a pull request it did not open").containsExactly("alice");
        serve.stopServe();
        assertThat(commandsAudited()).anyMatch(e -> e.contains("explain")).anyMatch(e -> e.contains("snooze"))
                .anyMatch(e -> e.contains("ignore")).anyMatch(e -> e.contains("lift hold"));
        // the ignore is a risk acceptance in the evidence report: who, why, until when
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"report", "--format", "json", "--from", "2026-01-01", "--to", "2098-12-31"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("FIXGATE_HOME", serve.home.toString()), serve.home, Clock.systemUTC());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = Json.mapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(report.path("exceptions")).as(report.path("exceptions").toString()).anySatisfy(e -> {
            assertThat(e.path("kind").asText()).isEqualTo("ignore");
            assertThat(e.path("acceptedBy").asText()).isEqualTo("alice");
            assertThat(e.path("reason").asText()).isEqualTo("served to old kiosks over HTTP");
            // --until 2099-01-31 holds through that day
            assertThat(e.path("until").asText()).isEqualTo("2099-02-01T00:00:00Z");
        });
    }

    @Test
    void aHumanPushStopsFixgateUntilRecreateAndAMergedFixCanBeReverted() throws Exception {
        start();
        GHPullRequest versioning = serve.awaitPullRequest(VERSIONING);
        String file = "cloudformation/logs.yaml";
        String original = serve.gh.file("acme", "infra", "main", file).orElseThrow();

        String pushed = serve.gh.as("alice").push("acme", "infra", versioning.getHead().getRef(),
                Map.of("NOTES.md", "alice was here\n"), "A note");
        awaitReply(versioning.getNumber(), "pushed `" + pushed.substring(0, 7) + "` to fixgate's branch");
        GHPullRequest touched = refreshed(versioning);
        serve.greenCiAndAwaitMergeDecision(touched);
        assertThat(serve.merged(touched)).as("fixgate leaves a branch a human pushed to alone").isFalse();

        comment("mallory", versioning.getNumber(), "/fixgate rebase");
        awaitReply(versioning.getNumber(), "@mallory Someone else pushed to this branch");
        comment("mallory", versioning.getNumber(), "/fixgate recreate");
        awaitReply(versioning.getNumber(), "only they or someone with maintain access may do that");
        comment("alice", versioning.getNumber(), "/fixgate recreate");
        awaitReply(versioning.getNumber(), "@alice Recreating this branch");
        AtomicReference<GHPullRequest> rebuilt = new AtomicReference<>();
        await().atMost(ServeHarness.WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            GHPullRequest now = refreshed(versioning);
            assertThat(now.getHead().getSha()).as(serve.output()).isNotEqualTo(pushed);
            assertThat(serve.safety(now)).isPresent();
            rebuilt.set(now);
        });
        assertThat(serve.gh.file("acme", "infra", rebuilt.get().getHead().getRef(), "NOTES.md")).isEmpty();
        serve.greenCiAndAwaitMergeDecision(rebuilt.get());
        serve.awaitMerged(rebuilt.get());
        assertThat(serve.gh.file("acme", "infra", "main", file).orElseThrow()).isNotEqualTo(original);

        comment("alice", versioning.getNumber(), "/fixgate revert");
        awaitReply(versioning.getNumber(), "@alice Opening a pull request that reverts #" + versioning.getNumber());
        GHPullRequest revert = serve.awaitPullRequest("fixgate/revert/aws.s3.bucket.versioning/");
        assertThat(revert.getBody()).contains("This reverts #" + versioning.getNumber());
        assertThat(serve.safety(revert).orElseThrow().getConclusion()).as("a revert is gated as RISKY")
                .isEqualTo(GHCheckRun.Conclusion.ACTION_REQUIRED);
        comment("reviewer", revert.getNumber(), "/fixgate approve");
        serve.greenCiAndAwaitMergeDecision(revert);
        serve.awaitMerged(revert);
        assertThat(serve.gh.file("acme", "infra", "main", file).orElseThrow()).isEqualTo(original);
        serve.stopServe();
        assertThat(commandsAudited()).anyMatch(e -> e.contains("recreate")).anyMatch(e -> e.contains("revert"))
                .anyMatch(e -> e.contains("push @ " + pushed.substring(0, 7)));
    }

    private GHIssue awaitDashboard(java.util.function.Predicate<String> holds) {
        AtomicReference<GHIssue> found = new AtomicReference<>();
        await().atMost(ServeHarness.WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<GHIssue> dashboards = serve.repo().getIssues(GHIssueState.OPEN).stream()
                    .filter(i -> !i.isPullRequest() && i.getBody() != null
                            && i.getBody().startsWith("<!-- fixgate:dashboard -->")).toList();
            assertThat(dashboards).as(serve.output()).hasSize(1);
            assertThat(holds.test(dashboards.getFirst().getBody())).as(dashboards.getFirst().getBody()).isTrue();
            found.set(dashboards.getFirst());
        });
        return found.get();
    }
}
