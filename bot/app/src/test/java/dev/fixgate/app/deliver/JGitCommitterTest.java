package dev.fixgate.app.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.deliver.PullRequestDelivery.LargeChange;
import dev.fixgate.app.deliver.PullRequestDelivery.Outcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHCommit;
import org.slf4j.LoggerFactory;

/**
 * The JGit path against the local GitHub's real git smart HTTP: it writes what the Git Data API path writes, it is
 * chosen for large changes, it is idempotent, it leaves a human's push alone, its push is a compare-and-swap, and
 * neither its temporary repositories nor the installation token outlive a delivery.
 */
class JGitCommitterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private static final LargeChange NEVER = new LargeChange(Integer.MAX_VALUE, Long.MAX_VALUE);
    private static final LargeChange ALWAYS = new LargeChange(0, 0);

    @TempDir
    Path tmp;
    private DeliverRig rig;
    private Path gitTmp;
    private JGitCommitter jgit;

    @BeforeEach
    void start() throws IOException {
        rig = new DeliverRig(tmp.resolve("github"), Clock.systemUTC(), "viaapi", "viajgit");
        gitTmp = tmp.resolve("git-tmp");
        jgit = new JGitCommitter(rig.clients.tokens()::token, gitTmp, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws IOException {
        rig.close();
        try (Stream<Path> left = Files.exists(gitTmp) ? Files.list(gitTmp) : Stream.empty()) {
            assertThat(left).as("temporary repositories are deleted").isEmpty();
        }
    }

    private PullRequestDelivery delivery(LargeChange threshold) {
        return new PullRequestDelivery(CLOCK, new GitDataApiCommitter(), jgit, threshold);
    }

    /** Twelve files: two changed, ten new (some in new directories), one with non-ASCII text. */
    private static Map<String, String> largeChange(String marker) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("main.tf", DeliverRig.BASE_FILES.get("main.tf")
                + "resource \"aws_s3_bucket_versioning\" \"data\" {\n  bucket = aws_s3_bucket.data.id\n}\n# " + marker + "\n");
        files.put("modules/net/main.tf", DeliverRig.BASE_FILES.get("modules/net/main.tf") + "# flow logs: é ✓\n");
        for (int i = 0; i < 10; i++) {
            files.put("envs/e" + i + "/versioning.tf", "# env " + i + " " + marker + "\n");
        }
        return files;
    }

    @Test
    void bothPathsWriteTheSameTreeMessageAndIdentities() throws Exception {
        Map<String, String> files = largeChange("same");
        Outcome.PullRequestOpened api = (Outcome.PullRequestOpened) delivery(NEVER).deliver(rig.bot(),
                rig.proposal("viaapi", "init-same", "a1a2a3a4a5a6a7a8", files));
        Outcome.PullRequestOpened viaJGit = (Outcome.PullRequestOpened) delivery(ALWAYS).deliver(rig.bot(),
                rig.proposal("viajgit", "init-same", "a1a2a3a4a5a6a7a8", files));

        assertThat(rig.gitDataWrites("viaapi")).as("a tree with the files inline, a commit").isEqualTo(2);
        assertThat(rig.gitDataWrites("viajgit")).as("no blob, tree or commit through the API").isZero();
        GHCommit a = rig.repository("viaapi").getCommit(api.headSha());
        GHCommit j = rig.repository("viajgit").getCommit(viaJGit.headSha());
        assertThat(rig.repository("viaapi").getCommit(a.getParentSHA1s().getFirst()).getTree().getSha())
                .as("same starting point").isEqualTo(rig.repository("viajgit").getCommit(j.getParentSHA1s().getFirst())
                        .getTree().getSha());
        assertThat(j.getTree().getSha()).isEqualTo(a.getTree().getSha());
        assertThat(j.getParentSHA1s()).containsExactly(rig.gh.branchSha("acme", "viajgit", "main").orElseThrow());
        GHCommit.ShortInfo ai = a.getCommitShortInfo();
        GHCommit.ShortInfo ji = j.getCommitShortInfo();
        assertThat(ji.getMessage()).isEqualTo(ai.getMessage()).contains("Fixgate-Initiative: init-same");
        for (org.kohsuke.github.GitUser[] who : new org.kohsuke.github.GitUser[][] {{ai.getAuthor(), ji.getAuthor()},
                {ai.getCommitter(), ji.getCommitter()}}) {
            assertThat(who[1].getName()).isEqualTo(who[0].getName()).isEqualTo(PullRequestDelivery.BOT_NAME);
            assertThat(who[1].getEmail()).isEqualTo(who[0].getEmail()).isEqualTo(PullRequestDelivery.BOT_EMAIL);
            assertThat(who[1].getDate()).isEqualTo(who[0].getDate()).isEqualTo(java.util.Date.from(CLOCK.instant()));
        }
        assertThat(rig.gh.file("acme", "viajgit", viaJGit.headSha(), "modules/net/main.tf").orElseThrow())
                .endsWith("# flow logs: é ✓\n");
        assertThat(rig.pullRequests("viajgit", viaJGit.branch())).singleElement()
                .satisfies(pr -> assertThat(pr.getHead().getSha()).isEqualTo(viaJGit.headSha()));
    }

    @Test
    void theDefaultThresholdsSendLargeChangesThroughJGitAndSmallOnesThroughTheApi() throws Exception {
        Map<String, String> ten = new LinkedHashMap<>(largeChange("x"));
        ten.remove("main.tf");
        ten.remove("modules/net/main.tf");
        assertThat(LargeChange.DEFAULT.matches(ten)).isFalse();
        assertThat(LargeChange.DEFAULT.matches(largeChange("x"))).isTrue();
        assertThat(LargeChange.DEFAULT.matches(Map.of("big.json", "x".repeat(1 << 20)))).isFalse();
        assertThat(LargeChange.DEFAULT.matches(Map.of("big.json", "é".repeat((1 << 19) + 1)))).as("bytes, not chars")
                .isTrue();

        PullRequestDelivery standard = new PullRequestDelivery(CLOCK, rig.clients.tokens()::token);
        standard.deliver(rig.bot(), rig.proposal("viaapi", "init-small", "b1b2b3b4b5b6b7b8",
                Map.of("main.tf", DeliverRig.BASE_FILES.get("main.tf") + "# small\n")));
        standard.deliver(rig.bot(), rig.proposal("viajgit", "init-large", "c1c2c3c4c5c6c7c8", largeChange("large")));
        assertThat(rig.gitDataWrites("viaapi")).isEqualTo(2);
        assertThat(rig.gitDataWrites("viajgit")).isZero();
        assertThat(rig.gh.branchSha("acme", "viajgit", "fixgate/aws.s3.bucket.versioning/c1c2c3c4c5c6")).isPresent();
    }

    @Test
    void aRetryAddsNoCommitAndAChangedPlanMovesTheBranchUnderTheSamePullRequest() throws Exception {
        PullRequestDelivery d = delivery(ALWAYS);
        FixProposal first = rig.proposal("viajgit", "init-again", "d1d2d3d4d5d6d7d8", largeChange("v1"));
        Outcome.PullRequestOpened one = (Outcome.PullRequestOpened) d.deliver(rig.bot(), first);
        Outcome.PullRequestOpened two = (Outcome.PullRequestOpened) d.deliver(rig.bot(), first);
        assertThat(two.created()).isFalse();
        assertThat(two.branchUpdated()).isFalse();
        assertThat(two.headSha()).isEqualTo(one.headSha());
        assertThat(two.number()).isEqualTo(one.number());

        Outcome.PullRequestOpened three = (Outcome.PullRequestOpened) d.deliver(rig.bot(),
                rig.proposal("viajgit", "init-again", "d1d2d3d4d5d6d7d8", largeChange("v2")));
        assertThat(three.branchUpdated()).isTrue();
        assertThat(three.number()).isEqualTo(one.number());
        assertThat(three.headSha()).isNotEqualTo(one.headSha());
        assertThat(rig.repository("viajgit").getCommit(three.headSha()).getParentSHA1s())
                .as("rebuilt on main, not stacked on the old commit")
                .containsExactly(rig.gh.branchSha("acme", "viajgit", "main").orElseThrow());
        assertThat(rig.gh.file("acme", "viajgit", three.branch(), "envs/e3/versioning.tf")).hasValue("# env 3 v2\n");
        assertThat(rig.pullRequests("viajgit", one.branch())).singleElement()
                .satisfies(pr -> assertThat(pr.getHead().getSha()).isEqualTo(three.headSha()));
        assertThat(rig.gitDataWrites("viajgit")).isZero();
    }

    @Test
    void aHumanPushIsLeftAlone() throws Exception {
        PullRequestDelivery d = delivery(ALWAYS);
        FixProposal p = rig.proposal("viajgit", "init-human", "e1e2e3e4e5e6e7e8", largeChange("v1"));
        Outcome.PullRequestOpened opened = (Outcome.PullRequestOpened) d.deliver(rig.bot(), p);
        String pushed = rig.gh.as("alice").push("acme", "viajgit", opened.branch(), Map.of("notes.txt", "mine\n"), "Tweak");

        Outcome again = d.deliver(rig.bot(), rig.proposal("viajgit", "init-human", "e1e2e3e4e5e6e7e8", largeChange("v2")));
        assertThat(again).isInstanceOfSatisfying(Outcome.HumanPushed.class, h -> {
            assertThat(h.headSha()).isEqualTo(pushed);
            assertThat(h.pullRequest()).hasValue(opened.number());
        });
        assertThat(rig.gh.branchSha("acme", "viajgit", opened.branch())).hasValue(pushed);
    }

    @Test
    void thePushIsACompareAndSwapSoARacingHumanPushIsNeverOverwritten() throws Exception {
        String branch = "fixgate/aws.s3.bucket.versioning/f1f2f3f4f5f6";
        Map<String, String> files = largeChange("race");
        String bot = jgit.commit(change(branch, Optional.empty(), files)).head();
        String human = rig.gh.as("alice").push("acme", "viajgit", branch, Map.of("notes.txt", "mine\n"), "Mine");

        // the branch appeared after the caller looked (create only if absent)
        assertThatThrownBy(() -> jgit.commit(change(branch, Optional.empty(), largeChange("race2"))))
                .isInstanceOf(IOException.class).hasMessageContaining("not accepted")
                .hasMessageContaining("the branch was not changed");
        // it moved after the caller checked that fixgate wrote it (move only from that commit)
        assertThatThrownBy(() -> jgit.commit(change(branch, Optional.of(bot), largeChange("race3"))))
                .isInstanceOf(IOException.class).hasMessageContaining("moved");
        assertThat(rig.gh.branchSha("acme", "viajgit", branch)).hasValue(human);
    }

    @Test
    void aRefusedFetchOrPushChangesNothingAndNoTokenReachesALogLineOrAnError() throws Exception {
        String real = rig.clients.tokens().token(rig.installation).reveal();
        String wrong = "ghs_" + "Z".repeat(36);
        rig.gh.createUser("reader");
        rig.gh.addCollaborator("acme", "viajgit", "reader", "read");
        String readOnly = rig.gh.tokenFor("reader");
        // fixgate's side at DEBUG: fixgate, JGit's transports and the GitHub client (the local GitHub's own
        // server, which logs request headers at DEBUG, stands in for github.com and stays out of this)
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<Logger> client = Stream.of("dev.fixgate.app", "org.eclipse.jgit", "org.kohsuke").map(context::getLogger)
                .toList();
        List<Level> before = client.stream().map(Logger::getLevel).toList();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.setContext(context);
        captured.start();
        root.addAppender(captured);
        client.forEach(l -> l.setLevel(Level.DEBUG));
        String branch = "fixgate/test/refused";
        IOException unauthorised;
        IOException forbidden;
        try {
            JGitCommitter badToken = new JGitCommitter(id -> Secret.of(wrong), gitTmp, Duration.ofSeconds(30));
            unauthorised = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> badToken.commit(change(branch, Optional.empty(), largeChange("refused"))));
            JGitCommitter cannotPush = new JGitCommitter(id -> Secret.of(readOnly), gitTmp, Duration.ofSeconds(30));
            forbidden = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> cannotPush.commit(change(branch, Optional.empty(), largeChange("refused"))));
            delivery(ALWAYS).deliver(rig.bot(), rig.proposal("viajgit", "init-log", "0a0b0c0d0e0f0a0b",
                    largeChange("ok")));
        } finally {
            root.detachAppender(captured);
            for (int i = 0; i < client.size(); i++) {
                client.get(i).setLevel(before.get(i));
            }
        }
        assertThat(rig.gh.branchSha("acme", "viajgit", branch)).as("a failed push leaves no branch").isEmpty();
        assertThat(rig.gh.branchSha("acme", "viajgit", "fixgate/aws.s3.bucket.versioning/0a0b0c0d0e0f")).isPresent();

        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern("%logger %msg %kvp%n%rex");
        layout.start();
        String logs = captured.list.stream().map(e -> layout.doLayout(e) + e.getFormattedMessage())
                .collect(Collectors.joining("\n"));
        assertThat(captured.list).as("DEBUG logging was on").anyMatch(e -> e.getLoggerName().startsWith("org.eclipse.jgit")
                && e.getLevel() == Level.DEBUG);
        assertThat(logs).doesNotContain(real).doesNotContain(wrong).doesNotContain(readOnly);
        for (IOException e : new IOException[] {unauthorised, forbidden}) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain(wrong).doesNotContain(readOnly).doesNotContain(real);
        }
    }

    @Test
    void theRemoteIsTheCloneUrlWithoutUserInfoAndOnlyHttp() throws Exception {
        assertThat(JGitCommitter.remote("https://x-access-token:ghs_secret@github.com/acme/infra.git").toString())
                .isEqualTo("https://github.com/acme/infra.git");
        assertThatThrownBy(() -> JGitCommitter.remote("file:///srv/git/infra.git")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JGitCommitter.remote("git@github.com:acme/infra.git")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JGitCommitter.remote(null)).isInstanceOf(IOException.class);
    }

    private BranchCommitter.Change change(String branch, Optional<String> current, Map<String, String> files)
            throws IOException {
        return new BranchCommitter.Change(rig.bot().getRepository("acme/viajgit"), rig.installation, "main", branch,
                current, files, "fixgate: test\n", CLOCK.instant());
    }
}
