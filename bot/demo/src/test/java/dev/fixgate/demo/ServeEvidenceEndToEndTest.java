package dev.fixgate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fixgate.localaws.LocalAws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;

/**
 * The seed scenario in {@code fixgate serve}, with no evidence file anywhere: serve reads the demo account's AWS (the
 * local AWS, through the real SDK clients, the default credential chain and an assumed read-only role) and decides
 * each bucket's HTTPS-only fix from what the cloud says — the empty bucket and the one served only over TLS are SAFE
 * and merge once CI is green; the one with 45 plain-HTTP reads in 90 days is UNSAFE and goes to its owners as an
 * issue. Then the evidence moves: plain-HTTP reads appear on the buckets of the open pull request, a rescan reads the
 * cloud again, and the pull request is closed and routed to the owners.
 */
class ServeEvidenceEndToEndTest {

    static final String ACCOUNT = "111111111111";
    static final String HTTPS_ONLY = "fixgate/aws.s3.bucket.ssl_requests_only/";

    @TempDir
    Path tmp;

    private LocalAws aws;
    private ServeHarness serve;

    @BeforeEach
    void start() throws Exception {
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
                "AWS_REGION", "us-east-1"));
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

    @Test
    void twoSafeFixesMergeAndTheBucketWithPlainHttpClientsGoesToItsOwners() throws Exception {
        serve.pushSecurityHubFindings();
        GHPullRequest httpsOnly = serve.awaitPullRequest(HTTPS_ONLY);
        String body = httpsOnly.getBody();
        assertThat(serve.safety(httpsOnly)).hasValueSatisfying(r -> assertThat(r.getConclusion())
                .as("SAFE from the cloud's own evidence:%n%s", body).isEqualTo(GHCheckRun.Conclusion.SUCCESS));
        assertThat(body).contains("arn:aws:s3:::acme-data").contains("arn:aws:s3:::acme-scratch")
                .doesNotContain("arn:aws:s3:::acme-downloads")
                .contains("s3.http_requests_90d = 0").contains("s3.object_count = 0")
                .contains("logs:StartQuery");
        GHIssue downloads = serve.awaitIssue("fixgate: aws.s3.bucket.ssl_requests_only needs an owner");
        assertThat(downloads.getBody()).contains("arn:aws:s3:::acme-downloads").contains("45 plain-HTTP requests in 90 days");

        serve.greenCiAndAwaitMergeDecision(httpsOnly);
        serve.awaitMerged(httpsOnly);

        // read-only, through the configured role, and nothing from a file
        assertThat(aws.writes()).isEmpty();
        assertThat(aws.calls()).anySatisfy(c -> {
            assertThat(c.operation()).isEqualTo("AssumeRole");
            assertThat(c.params()).containsEntry("ExternalId", "fixgate-demo");
        });
        try (Stream<Path> files = Files.walk(serve.home)) {
            assertThat(files).noneMatch(p -> p.getFileName().toString().contains("evidence"));
        }
        assertThat(serve.output()).doesNotContain(LocalAws.SECRET);
    }

    @Test
    void aPullRequestWhoseBucketsTurnToPlainHttpIsClosedAndRoutedToTheOwners() throws Exception {
        // this time the findings arrive as Security Hub's EventBridge rule delivers them (docs/intake.md)
        serve.pushSecurityHubFindingsAsEventBridge();
        GHPullRequest httpsOnly = serve.awaitPullRequest(HTTPS_ONLY);
        GHIssue owners = serve.awaitIssue("fixgate: aws.s3.bucket.ssl_requests_only needs an owner");

        // after the pull request was opened, clients start reading both of its buckets over plain HTTP
        aws.addS3DataEvents(ACCOUNT, "us-east-1", "acme-data", "GetObject", 12, false, Duration.ofHours(1));
        aws.addS3DataEvents(ACCOUNT, "us-east-1", "acme-scratch", "GetObject", 3, false, Duration.ofHours(1));
        serve.gh.as("alice").comment("acme", "infra", httpsOnly.getNumber(), "/fixgate rescan");
        serve.gh.awaitDeliveries();

        await().atMost(ServeHarness.WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            GHPullRequest now = serve.repo().getPullRequest(httpsOnly.getNumber());
            assertThat(now.getState()).as("#%d%n%s", httpsOnly.getNumber(), serve.output()).isEqualTo(GHIssueState.CLOSED);
            assertThat(now.isMerged()).isFalse();
        });
        List<String> comments = serve.repo().getIssue(httpsOnly.getNumber()).getComments().stream()
                .map(GHIssueComment::getBody).toList();
        assertThat(comments).anySatisfy(c -> assertThat(c).contains("no longer proposes this fix automatically")
                .contains("RCI UNSAFE").contains("#" + owners.getNumber()));

        GHIssue updated = serve.repo().getIssue(owners.getNumber());
        assertThat(updated.getState()).isEqualTo(GHIssueState.OPEN);
        assertThat(updated.getTitle()).contains("3 resources");
        // the reads spread over the last hour; those at its very end may fall after the query's window
        assertThat(updated.getBody()).contains("arn:aws:s3:::acme-downloads: s3.http_requests_90d = 45")
                .containsPattern("arn:aws:s3:::acme-data: s3\\.http_requests_90d = (1[0-2]|[1-9])\\b")
                .containsPattern("arn:aws:s3:::acme-scratch: s3\\.http_requests_90d = [1-3]\\b")
                .contains("### RCI history");
        assertThat(serve.issues("fixgate: aws.s3.bucket.ssl_requests_only")).as("one issue for the initiative's owners")
                .hasSize(1);
        assertThat(aws.writes()).isEmpty();
    }
}
