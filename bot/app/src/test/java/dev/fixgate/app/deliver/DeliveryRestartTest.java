package dev.fixgate.app.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.deliver.PullRequestDelivery.LargeChange;
import dev.fixgate.app.deliver.PullRequestDelivery.Outcome;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.jobs.Backoff;
import dev.fixgate.app.jobs.JobWorkers;
import dev.fixgate.app.jobs.WorkerSettings;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.app.store.JobQueue.Status;
import dev.fixgate.app.store.TestDb;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kohsuke.github.GHPullRequest;

/**
 * "A retry or a restart mid-job produces no duplicate pull request", with the real job workers, an H2 file database
 * and the local GitHub: the delivery job dies after fixgate's branch was pushed and before the pull request was
 * opened, then runs again — in the same workers after the failure, or in a new process (new database pool, new
 * workers, new GitHub clients) once the dead process's lease has expired. The failure is injected through the
 * {@link BranchCommitter} seam: a wrapper around the real committer, so the branch really is on GitHub.
 */
class DeliveryRestartTest {

    private static final Clock CLOCK = Clock.systemUTC();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(1);

    /** Which committer the delivery takes (the threshold forces it). */
    enum Via {
        GIT_DATA_API(new LargeChange(Integer.MAX_VALUE, Long.MAX_VALUE)),
        JGIT(new LargeChange(0, 0));

        final LargeChange threshold;

        Via(LargeChange threshold) {
            this.threshold = threshold;
        }
    }

    @TempDir
    Path tmp;
    private DeliverRig rig;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    @BeforeEach
    void start() throws IOException {
        rig = new DeliverRig(tmp.resolve("github"), CLOCK, "infra");
    }

    @AfterEach
    void stop() throws Exception {
        while (!open.isEmpty()) {
            open.pop().close();
        }
        rig.close();
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        open.push(resource);
        return resource;
    }

    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("main.tf", DeliverRig.BASE_FILES.get("main.tf")
                + "resource \"aws_s3_bucket_versioning\" \"data\" {\n  bucket = aws_s3_bucket.data.id\n}\n");
        files.put("versions.tf", "terraform {\n  required_version = \">= 1.5\"\n}\n");
        return files;
    }

    private PullRequestDelivery delivery(Via via, BranchCommitter api, BranchCommitter jgit) {
        return new PullRequestDelivery(CLOCK, api, jgit, via.threshold);
    }

    private JGitCommitter jgit(GitHubClients clients) {
        return new JGitCommitter(clients.tokens()::token, tmp.resolve("git-tmp"), Duration.ofSeconds(30));
    }

    /** One worker, 50 ms polls, a one-second lease, retries after 50 to 100 ms, 200 ms to finish on close. */
    private JobWorkers workers(JobQueue queue, String id, DeliveryJobHandler handler) {
        WorkerSettings settings = WorkerSettings.defaults(1).withPollInterval(Duration.ofMillis(50))
                .withLease(LEASE).withShutdownGrace(Duration.ofMillis(200))
                .withBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(100), RandomGenerator.getDefault()));
        return JobWorkers.builder(queue).settings(settings).workerId(id).clock(CLOCK).register(handler).build().start();
    }

    /** The pull request for {@code p}'s branch: exactly one, open, on {@code head}, a commit fixgate authored. */
    private void assertOnePullRequestOn(FixProposal p, String head) throws IOException {
        List<GHPullRequest> prs = rig.pullRequests("infra", PullRequestContent.branch(p));
        assertThat(prs).as("one pull request for the initiative, ever").singleElement().satisfies(pr -> {
            assertThat(pr.getState().name()).isEqualTo("OPEN");
            assertThat(pr.getHead().getSha()).isEqualTo(head);
        });
        assertThat(rig.gh.branchSha("acme", "infra", PullRequestContent.branch(p))).hasValue(head);
        assertThat(rig.commit("infra", head).getAuthor().getEmail()).isEqualTo(PullRequestDelivery.BOT_EMAIL);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void aRestartAfterTheBranchWasPushedOpensOnePullRequestOnThatCommit(Via via) throws Exception {
        Path state = tmp.resolve("state");
        String url = Database.embeddedUrl(state);
        FixProposal p = rig.proposal("infra", "init-restart", "aa11bb22cc33dd44", files());
        String branch = PullRequestContent.branch(p);

        // process 1: pushes the branch, then hangs where it would open the pull request
        CountDownLatch pushed = new CountDownLatch(1);
        AtomicReference<String> pushedHead = new AtomicReference<>();
        Database db1 = Database.open(url, "", Secret.none(), 4);
        JobQueue queue1 = new JobQueue(db1);
        long job = DeliveryJobHandler.enqueue(queue1, p, Instant.now());
        GitHubClients clients1 = rig.newClients();
        BranchCommitter api1 = dieAfterPush(new GitDataApiCommitter(), pushed, pushedHead);
        BranchCommitter jgit1 = dieAfterPush(jgit(clients1), pushed, pushedHead);
        List<Outcome> outcomes1 = new CopyOnWriteArrayList<>();
        JobWorkers process1 = workers(queue1, "process-1", new DeliveryJobHandler(clients1,
                delivery(via, api1, jgit1), new AuditLog(db1), CLOCK, outcomes1::add));
        assertThat(pushed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the branch was pushed").isTrue();
        assertThat(rig.gh.branchSha("acme", "infra", branch)).hasValue(pushedHead.get());
        assertThat(rig.pullRequests("infra", branch)).isEmpty();
        long gitDataWritesBefore = rig.gitDataWrites("infra");

        // the process dies: its database goes away under it, then its threads stop, recording nothing
        db1.close();
        process1.close();
        assertThat(outcomes1).isEmpty();

        // process 2: the same database file, new pool, new workers, new GitHub clients
        Database db2 = closeLater(Database.open(url, "", Secret.none(), 4));
        JobQueue queue2 = new JobQueue(db2);
        Job left = queue2.find(job).orElseThrow();
        assertThat(left.status()).as("the dead process's lease is left behind").isEqualTo(Status.RUNNING);
        assertThat(left.lockedBy()).isEqualTo("process-1");
        assertThat(left.attempts()).isEqualTo(1);
        GitHubClients clients2 = rig.newClients();
        List<Outcome> outcomes2 = new CopyOnWriteArrayList<>();
        AuditLog audit2 = new AuditLog(db2);
        Instant restarted = Instant.now();
        closeLater(workers(queue2, "process-2", new DeliveryJobHandler(clients2,
                delivery(via, new GitDataApiCommitter(), jgit(clients2)), audit2, CLOCK, outcomes2::add)));

        await().atMost(WAIT).until(() -> queue2.find(job).orElseThrow().status() == Status.DONE);
        Job done = queue2.find(job).orElseThrow();
        assertThat(done.attempts()).as("the second attempt finished it").isEqualTo(2);
        assertThat(Duration.between(restarted, done.updatedAt())).as("taken back after about one lease")
                .isLessThan(LEASE.multipliedBy(10));
        assertThat(outcomes2).singleElement().isInstanceOfSatisfying(Outcome.PullRequestOpened.class, o -> {
            assertThat(o.created()).isTrue();
            assertThat(o.branchUpdated()).as("the pushed commit was kept").isFalse();
            assertThat(o.headSha()).isEqualTo(pushedHead.get());
        });
        assertOnePullRequestOn(p, pushedHead.get());
        assertThat(rig.gitDataWrites("infra")).as("no second commit").isEqualTo(gitDataWritesBefore);
        assertThat(audit2.recent(Optional.empty(), 10)).filteredOn(e -> e.type().equals("remediation.delivered"))
                .singleElement().satisfies(e -> assertThat(e.payload()).contains("pull_request"));
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void aFailureAfterTheBranchWasPushedIsRetriedIntoOnePullRequest(Via via) throws Exception {
        Database db = closeLater(TestDb.H2.fresh());
        JobQueue queue = new JobQueue(db);
        FixProposal p = rig.proposal("infra", "init-retry", "bb11cc22dd33ee44", files());
        AtomicReference<String> pushedHead = new AtomicReference<>();
        AtomicBoolean failed = new AtomicBoolean();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        DeliveryJobHandler handler = new DeliveryJobHandler(rig.clients,
                delivery(via, failOnceAfterPush(new GitDataApiCommitter(), failed, pushedHead),
                        failOnceAfterPush(jgit(rig.clients), failed, pushedHead)),
                new AuditLog(db), CLOCK, outcomes::add);
        long job = DeliveryJobHandler.enqueue(queue, p, Instant.now());
        closeLater(workers(queue, "worker", handler));

        await().atMost(WAIT).until(() -> queue.find(job).orElseThrow().status() == Status.DONE);
        Job done = queue.find(job).orElseThrow();
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.lastError()).contains("injected");
        assertThat(outcomes).singleElement().isInstanceOfSatisfying(Outcome.PullRequestOpened.class, o -> {
            assertThat(o.created()).isTrue();
            assertThat(o.branchUpdated()).isFalse();
            assertThat(o.headSha()).isEqualTo(pushedHead.get());
        });
        assertOnePullRequestOn(p, pushedHead.get());
    }

    @Test
    void aFailureAfterThePullRequestWasOpenedIsRetriedIntoTheSamePullRequest() throws Exception {
        Database db = closeLater(TestDb.H2.fresh());
        JobQueue queue = new JobQueue(db);
        FixProposal p = rig.proposal("infra", "init-late", "cc11dd22ee33ff44", files());
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        DeliveryJobHandler handler = new DeliveryJobHandler(rig.clients,
                new PullRequestDelivery(CLOCK, rig.clients.tokens()::token), new AuditLog(db), CLOCK, outcome -> {
                    outcomes.add(outcome);
                    if (outcomes.size() == 1) {
                        throw new IllegalStateException("injected: the worker failed after the pull request was opened");
                    }
                });
        long job = DeliveryJobHandler.enqueue(queue, p, Instant.now());
        closeLater(workers(queue, "worker", handler));

        await().atMost(WAIT).until(() -> queue.find(job).orElseThrow().status() == Status.DONE);
        assertThat(queue.find(job).orElseThrow().attempts()).isEqualTo(2);
        assertThat(outcomes).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.PullRequestOpened.class));
        Outcome.PullRequestOpened first = (Outcome.PullRequestOpened) outcomes.get(0);
        Outcome.PullRequestOpened second = (Outcome.PullRequestOpened) outcomes.get(1);
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.branchUpdated()).isFalse();
        assertThat(second.number()).isEqualTo(first.number());
        assertOnePullRequestOn(p, first.headSha());
    }

    /** The real commit and push, then the process "hangs" until it is killed (an interrupt ends it). */
    private static BranchCommitter dieAfterPush(BranchCommitter real, CountDownLatch pushed, AtomicReference<String> head) {
        return change -> {
            BranchCommitter.Result result = real.commit(change);
            head.set(result.head());
            pushed.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("the process is going down");
            }
            throw new AssertionError("unreachable");
        };
    }

    /** The real commit and push; the first time, a failure right after it (the connection dropped, say). */
    private static BranchCommitter failOnceAfterPush(BranchCommitter real, AtomicBoolean failed, AtomicReference<String> head) {
        return change -> {
            BranchCommitter.Result result = real.commit(change);
            if (failed.compareAndSet(false, true)) {
                head.set(result.head());
                throw new IOException("injected: the connection dropped after the branch was pushed");
            }
            return result;
        };
    }
}
