package dev.fixgate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHPullRequest;

/**
 * {@code fixgate serve} as an operator runs it: a separate JVM configured only through its environment, against
 * the local GitHub. Findings pushed to the API become pull requests without anything else driving the loop,
 * and a scripted approval plus green CI merge one through signed webhooks. SIGTERM ends it cleanly.
 */
class ServeEndToEndTest {

    @TempDir
    Path tmp;

    private ServeHarness serve;

    @AfterEach
    void stop() throws Exception {
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void findingsPushedToServeBecomePullRequestsAndAnApprovedOneMerges() throws Exception {
        serve = ServeHarness.start(tmp, Map.of());
        serve.pushSecurityHubFindings();

        // Versioning is SAFE by its playbook: green CI is enough. HTTPS-only needs traffic evidence, and this serve
        // reads no cloud (no clouds in fixgate.yml), so it is RISKY: it waits for an approval.
        GHPullRequest versioning = serve.awaitPullRequest("fixgate/aws.s3.bucket.versioning/");
        GHPullRequest httpsOnly = serve.awaitPullRequest("fixgate/aws.s3.bucket.ssl_requests_only/");
        assertThat(serve.safety(versioning)).hasValueSatisfying(r ->
                assertThat(r.getConclusion()).isEqualTo(GHCheckRun.Conclusion.SUCCESS));
        assertThat(serve.safety(httpsOnly)).hasValueSatisfying(r ->
                assertThat(r.getConclusion()).isEqualTo(GHCheckRun.Conclusion.ACTION_REQUIRED));

        serve.greenCiAndAwaitMergeDecision(versioning);
        serve.awaitMerged(versioning);
        serve.greenCiAndAwaitMergeDecision(httpsOnly);
        assertThat(serve.merged(httpsOnly)).as("RISKY waits for a person").isFalse();

        serve.gh.as("reviewer").approve("acme", "infra", httpsOnly.getNumber(), "No plain-HTTP clients left.");
        serve.awaitMerged(httpsOnly);
        assertThat(serve.repo().getCommit(serve.repo().getBranch("main").getSHA1()).getCommitShortInfo().getMessage())
                .contains("Fixgate-Control: aws.s3.bucket.ssl_requests_only").contains("Fixgate-Approved-By: reviewer");

        serve.stopServe(); // SIGTERM; its output carries no secret
    }
}
