package dev.fixgate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.localaws.LocalAws;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;

/**
 * Verification after merge in {@code fixgate serve}: the HTTPS-only fix of the demo's two SAFE buckets merges, the
 * {@code fixgate/verify} check run on the merge commit waits for the deployment (the repository's
 * {@code verify.deploy.signal: deployment}), a {@code deployment_status} success arrives, the collectors read the
 * buckets again from the local AWS — and then either the buckets now deny plain HTTP and Security Hub reports the
 * findings resolved, so the check run turns green; or the cloud still reads unfixed, and fixgate says the fix is in
 * code but not applied instead of proposing it again.
 */
class ServeVerifyEndToEndTest {

    static final String ACCOUNT = "111111111111";
    static final String HTTPS_ONLY = "fixgate/aws.s3.bucket.ssl_requests_only/";
    static final Set<String> FIXED = Set.of("acme-data", "acme-scratch");
    static final String REPO_CONFIG = """
            mode: autonomous
            reviewers:
              users: [reviewer]
              required_approvals: 1
            accounts: ["111111111111"]
            verify:
              deadline: 7d
              deploy:
                signal: deployment
                environment: production
            """;
    static final String TLS_ONLY = """
            {"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*",
             "Action":"s3:*","Resource":["arn:aws:s3:::%1$s","arn:aws:s3:::%1$s/*"],
             "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""";

    @TempDir
    Path tmp;

    private LocalAws aws;
    private ServeHarness serve;

    private void start(String repoConfig) throws Exception {
        aws = LocalAws.start(LocalAws.demoScenario());
        String config = """
                evidence:
                  reassess_every_minutes: 0
                clouds:
                  aws:
                    regions: [us-east-1]
                    endpoints: {"*": "%s"}
                    accounts:
                      - id: "%s"
                        role: arn:aws:iam::%s:role/fixgate-evidence
                        external_id: fixgate-demo
                """.formatted(aws.endpoint(), ACCOUNT, ACCOUNT);
        serve = ServeHarness.start(tmp, Map.of("fixgate.yml", config), Map.of(
                "AWS_ACCESS_KEY_ID", LocalAws.accessKeyOf(ACCOUNT), "AWS_SECRET_ACCESS_KEY", LocalAws.SECRET,
                "AWS_REGION", "us-east-1"), Map.of(".github/fixgate.yml", repoConfig));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (serve != null) {
                serve.close();
            }
        } finally {
            if (aws != null) {
                aws.close();
            }
        }
    }

    /** Merges the SAFE HTTPS-only fix; returns the merge commit, once its fixgate/verify run waits for the deploy. */
    private String mergeAndAwaitVerification(GHPullRequest[] pr) throws Exception {
        if (serve == null) {
            start(REPO_CONFIG);
        }
        serve.pushSecurityHubFindings();
        GHPullRequest httpsOnly = serve.awaitPullRequest(HTTPS_ONLY);
        pr[0] = httpsOnly;
        serve.greenCiAndAwaitMergeDecision(httpsOnly);
        serve.awaitMerged(httpsOnly);
        String sha = serve.repo().getPullRequest(httpsOnly.getNumber()).getMergeCommitSha();
        awaitVerify(sha, r -> assertThat(r.getOutput().getSummary())
                .contains("code:detect` | passed").contains("waiting for a successful deployment"));
        return sha;
    }

    @Test
    void aDeployedFixThatTheCloudAndTheSourceConfirmIsVerified() throws Exception {
        GHPullRequest[] pr = new GHPullRequest[1];
        String sha = mergeAndAwaitVerification(pr);
        assertThat(verifyRun(sha).getStatus()).as("waits for the deployment").isEqualTo(GHCheckRun.Status.IN_PROGRESS);

        // the deploy applies the merged Terraform: both buckets now deny plain HTTP
        aws.update(s -> s.accounts.get(0).buckets.stream().filter(b -> FIXED.contains(b.name))
                .forEach(b -> b.policy = TLS_ONLY.formatted(b.name)));
        serve.gh.ci("acme", "infra").deploy(sha, "production", true);
        serve.gh.awaitDeliveries();
        awaitVerify(sha, r -> assertThat(r.getOutput().getSummary())
                .contains("cloud:s3.secure_transport_enforced` | passed")
                .contains("arn:aws:s3:::acme-data: s3.secure_transport_enforced = true")
                .contains("source:findings` | pending"));

        // Security Hub evaluates again and reports the two findings passed
        serve.pushFindings(resolved(FIXED));
        GHCheckRun done = awaitVerify(sha, r -> assertThat(r.getConclusion()).isEqualTo(GHCheckRun.Conclusion.SUCCESS));
        assertThat(done.getOutput().getTitle()).isEqualTo("Verified after merge");
        assertThat(done.getOutput().getSummary()).contains("source:findings` | passed").contains("resolved by securityhub");

        List<Map<String, Object>> rows = serve.query("SELECT r.status, t.state, t.deploy_signal FROM remediations r"
                + " JOIN verify_tracks t ON t.remediation_id = r.id");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("status")).isEqualTo("VERIFIED");
            assertThat(row.get("state")).isEqualTo("VERIFIED");
            assertThat((String) row.get("deploy_signal")).contains("to production (success)");
        });
        assertThat(serve.query("SELECT method, outcome FROM remediation_verifications WHERE method = 'verify'"))
                .singleElement().satisfies(v -> assertThat(v.get("outcome")).isEqualTo("resolved"));
        assertThat(serve.auditLog()).anySatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("verify.step"))
                .anySatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("remediation.verified"));
        assertThat(aws.writes()).isEmpty();
        assertThat(aws.calls("s3", "GetBucketPolicy")).isPositive();

        // the problem comes back: Security Hub reports acme-data failing again after the fix was verified
        serve.pushFindings(again(Set.of("acme-data"), false));
        AtomicReference<org.kohsuke.github.GHIssue> recurred = new AtomicReference<>();
        await().atMost(ServeHarness.WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            List<org.kohsuke.github.GHIssue> issues = serve.issues("fixgate: ").stream()
                    .filter(i -> i.getTitle().endsWith("recurred after a verified fix")).toList();
            assertThat(issues).as(serve.output()).singleElement();
            recurred.set(issues.getFirst());
        });
        assertThat(recurred.get().getBody()).contains("reopened").contains("arn:aws:s3:::acme-data")
                .contains("#" + pr[0].getNumber());
        await().atMost(ServeHarness.WAIT).untilAsserted(() -> assertThat(serve.auditLog()).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("guardrail.requested");
            assertThat(e.toString()).contains("aws_scp").contains("acme-data");
        }));
        // ...and queued to the prevent stage as a guardrail pull request request (this repository names no guardrails
        // repository, so that job finds nothing configured and opens nothing)
        await().atMost(ServeHarness.WAIT).untilAsserted(() -> assertThat(
                serve.query("SELECT payload FROM jobs WHERE kind = 'fixgate.guardrail'")).singleElement()
                .satisfies(row -> assertThat(String.valueOf(row.get("payload"))).contains("acme/infra")
                        .contains("s3_bucket_https_only")));
        assertThat(serve.query("SELECT kind, resource FROM recurrences")).singleElement().satisfies(row -> {
            assertThat(row.get("kind")).isEqualTo("reopened");
            assertThat(row.get("resource")).isEqualTo("arn:aws:s3:::acme-data");
        });
    }

    @Test
    void aFixNeverSeenDeployedEscalatesOnceAtItsDeadline() throws Exception {
        start(REPO_CONFIG.replace("deadline: 7d", "deadline: 90s"));
        GHPullRequest[] pr = new GHPullRequest[1];
        String sha = mergeAndAwaitVerification(pr);

        // no deployment ever comes: at the deadline the fix is escalated to its owners
        GHCheckRun late = awaitVerify(sha, r -> assertThat(r.getConclusion()).isEqualTo(GHCheckRun.Conclusion.FAILURE),
                Duration.ofSeconds(180));
        assertThat(late.getOutput().getTitle()).isEqualTo("Not verified by the deadline");
        org.kohsuke.github.GHIssue issue = serve.awaitIssue("fixgate: the fix of ");
        assertThat(issue.getTitle()).endsWith("in #" + pr[0].getNumber() + " is not verified");
        assertThat(issue.getBody()).contains("cloud:s3.secure_transport_enforced pending")
                .contains("waiting for a successful deployment");
        await().atMost(ServeHarness.WAIT).untilAsserted(() -> assertThat(comments(pr[0].getNumber()))
                .filteredOn(c -> c.contains("was not verified by its deadline")).singleElement()
                .satisfies(c -> assertThat(c).contains("#" + issue.getNumber())));
        assertThat(serve.query("SELECT state, escalation_issue FROM verify_tracks")).singleElement().satisfies(row -> {
            assertThat(row.get("state")).isEqualTo("ESCALATED");
            assertThat(row.get("escalation_issue")).isEqualTo(Integer.toString(issue.getNumber()));
        });
        assertThat(serve.issues("fixgate: the fix of ")).as("one issue").hasSize(1);
    }

    @Test
    void aFixTheCloudDoesNotShowAfterTheDeployIsDriftNotASecondPullRequest() throws Exception {
        GHPullRequest[] pr = new GHPullRequest[1];
        String sha = mergeAndAwaitVerification(pr);
        assertThat(verifyRun(sha).getStatus()).as("waits for the deployment").isEqualTo(GHCheckRun.Status.IN_PROGRESS);

        // deployed, but the buckets keep their old state (the apply failed silently, or someone reverted it by hand)
        serve.gh.ci("acme", "infra").deploy(sha, "production", true);
        serve.gh.awaitDeliveries();
        GHCheckRun drift = awaitVerify(sha, r -> assertThat(r.getConclusion()).isEqualTo(GHCheckRun.Conclusion.FAILURE));
        assertThat(drift.getOutput().getTitle()).isEqualTo("The fix is in code but not applied");
        assertThat(drift.getOutput().getSummary()).contains("code:detect` | passed")
                .contains("cloud:s3.secure_transport_enforced` | failed")
                .contains("arn:aws:s3:::acme-data: s3.secure_transport_enforced = false");
        await().atMost(ServeHarness.WAIT).untilAsserted(() -> assertThat(comments(pr[0].getNumber()))
                .anySatisfy(c -> assertThat(c).contains("The fix is in code but not applied")
                        .contains("does not open a second pull request")));

        // Security Hub still reports the buckets: fixgate runs again, and proposes nothing new for them
        serve.pushFindings(stillFailing());
        await().atMost(ServeHarness.WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                serve.query("SELECT status FROM jobs WHERE kind = 'fixgate.remediate' AND status NOT IN ('DONE', 'DEAD')"))
                .isEmpty());
        assertThat(serve.fixgatePullRequests().stream().filter(p -> p.getHead().getRef().startsWith(HTTPS_ONLY)))
                .as("one pull request for the HTTPS-only fix, the merged one").singleElement()
                .satisfies(p -> assertThat(p.getNumber()).isEqualTo(pr[0].getNumber()));
        assertThat(comments(pr[0].getNumber()).stream().filter(c -> c.contains("The fix is in code but not applied")))
                .as("said once").hasSize(1);
        assertThat(serve.query("SELECT drift_detail FROM verify_tracks")).singleElement()
                .satisfies(row -> assertThat((String) row.get("drift_detail")).contains("acme-scratch"));
        assertThat(serve.auditLog()).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("verify.escalated");
            assertThat(e.path("payload").toString()).contains("drift");
        });
    }

    private GHCheckRun verifyRun(String sha) throws Exception {
        return serve.repo().getCheckRuns(sha).toList().stream().filter(r -> r.getName().equals("fixgate/verify"))
                .findFirst().orElseThrow();
    }

    private List<String> comments(int number) throws Exception {
        return serve.repo().getIssue(number).getComments().stream().map(GHIssueComment::getBody).toList();
    }

    /** Waits for fixgate's fixgate/verify check run on {@code sha} to satisfy {@code check}. */
    private GHCheckRun awaitVerify(String sha, org.assertj.core.api.ThrowingConsumer<GHCheckRun> check) {
        return awaitVerify(sha, check, ServeHarness.WAIT);
    }

    private GHCheckRun awaitVerify(String sha, org.assertj.core.api.ThrowingConsumer<GHCheckRun> check, Duration wait) {
        AtomicReference<GHCheckRun> found = new AtomicReference<>();
        await().atMost(wait).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Optional<GHCheckRun> run = serve.repo().getCheckRuns(sha).toList().stream()
                    .filter(r -> r.getName().equals("fixgate/verify")).findFirst();
            assertThat(run).as("fixgate/verify on %s%n%s", sha, serve.output()).isPresent();
            try {
                check.accept(run.get());
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nfixgate/verify: " + run.get().getOutput().getTitle() + "\n"
                        + run.get().getOutput().getSummary(), e);
            }
            found.set(run.get());
        });
        return found.get();
    }

    /** The demo's Security Hub findings of {@code buckets}, evaluated again now and passed. */
    private static byte[] resolved(Set<String> buckets) throws Exception {
        return again(buckets, true);
    }

    private static byte[] stillFailing() throws Exception {
        return again(FIXED, false);
    }

    private static byte[] again(Set<String> buckets, boolean passed) throws Exception {
        ObjectNode all = ServeHarness.securityHubFindings();
        ArrayNode kept = all.putArray("Findings");
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        ServeHarness.securityHubFindings().path("Findings").forEach(f -> {
            String arn = f.path("Resources").path(0).path("Id").asText();
            if (buckets.stream().anyMatch(b -> arn.equals("arn:aws:s3:::" + b))) {
                ObjectNode o = (ObjectNode) f;
                o.put("UpdatedAt", now);
                o.put("LastObservedAt", now);
                if (passed) {
                    ((ObjectNode) o.path("Compliance")).put("Status", "PASSED");
                    o.put("RecordState", "ARCHIVED");
                }
                kept.add(o);
            }
        });
        return new ObjectMapper().writeValueAsString(all).getBytes(StandardCharsets.UTF_8);
    }
}
