package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Test;
import org.kohsuke.github.GHApp;
import org.kohsuke.github.GHAppInstallation;
import org.kohsuke.github.GHAppInstallationToken;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHPullRequestReviewEvent;
import org.kohsuke.github.GHPullRequestReviewState;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.HttpException;

/**
 * The "done when": a full pull request life cycle through the unmodified hub4j client and JGit — push a
 * branch, open a pull request, a check run, reviews, a merge refused until the required check and an approval are
 * there, the merge, and the webhooks received with valid signatures. Every response and payload is validated against
 * GitHub's schemas afterwards (see the base class).
 */
class PullRequestLifecycleTest extends LocalGitHubTestBase {

    @Test
    void aFixIsPushedReviewedCheckedAndSquashMergedOnlyWhenProtectionAllows() throws Exception {
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createUser("bob");
        gh.createRepo("acme", "infra", "main", Map.of(
                "main.tf", "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n",
                ".github/CODEOWNERS", "*       @bob\n*.tf    @alice\n"));
        gh.addCollaborator("acme", "infra", "alice", "write");
        gh.addCollaborator("acme", "infra", "bob", "write");
        gh.protectBranch("acme", "infra", "main", new BranchProtection(List.of("ci"), false, 1, true));
        long installationId = gh.installApp(APP_ID, "acme");

        // The app authenticates with its JWT and makes an installation token, as fixgate does.
        GitHub asApp = new GitHubBuilder().withEndpoint(gh.apiUrl()).withJwtToken(jwt()).build();
        GHApp app = asApp.getApp();
        assertThat(app.getId()).isEqualTo(APP_ID);
        GHAppInstallation installation = app.getInstallationById(installationId);
        assertThat(installation.getAccount().getLogin()).isEqualTo("acme");
        GHAppInstallationToken token = installation.createToken().create();
        assertThat(token.getToken()).startsWith("ghs_");
        GitHub bot = new GitHubBuilder().withEndpoint(gh.apiUrl()).withAppInstallationToken(token.getToken()).build();
        GHRepository repo = bot.getRepository("acme/infra");
        assertThat(repo.getDefaultBranch()).isEqualTo("main");

        // Push a branch over smart HTTP with JGit, authenticated like GitHub (x-access-token:<token>).
        Path work = dir.resolve("work");
        var creds = new UsernamePasswordCredentialsProvider("x-access-token", token.getToken());
        try (Git git = Git.cloneRepository().setURI(gh.gitUrl("acme", "infra")).setDirectory(work.toFile())
                .setCredentialsProvider(creds).call()) {
            git.checkout().setCreateBranch(true).setName("fixgate/s3-versioning").call();
            Files.writeString(work.resolve("main.tf"), "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n"
                    + "  versioning { enabled = true }\n}\n");
            git.add().addFilepattern("main.tf").call();
            git.commit().setMessage("Enable versioning on the logs bucket").setAuthor("fixgate", "fixgate@example.com")
                    .setCommitter("fixgate", "fixgate@example.com").call();
            git.push().setCredentialsProvider(creds).setRemote("origin").add("fixgate/s3-versioning").call();
        }

        GHPullRequest pr = repo.createPullRequest("Enable S3 versioning", "fixgate/s3-versioning", "main",
                "fixgate: aws.s3.bucket.versioning");
        assertThat(pr.getNumber()).isEqualTo(1);
        assertThat(pr.getRequestedReviewers()).extracting(u -> u.getLogin()).containsExactly("alice");
        assertThat(pr.listFiles().toList()).singleElement().satisfies(f -> {
            assertThat(f.getFilename()).isEqualTo("main.tf");
            assertThat(f.getAdditions()).isEqualTo(1);
            assertThat(f.getPatch()).contains("+  versioning { enabled = true }");
        });
        String head = pr.getHead().getSha();
        assertThat(repo.getPullRequest(1).getMergeableState()).isEqualTo("blocked");

        // Merge is refused until the required check passes...
        assertThatThrownBy(() -> pr.merge("", head, GHPullRequest.MergeMethod.SQUASH))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.getResponseCode()).isEqualTo(405);
                    assertThat(e.getMessage()).contains("Required status check \\\"ci\\\" is expected.");
                });
        GHCheckRun run = repo.createCheckRun("ci", head).withStatus(GHCheckRun.Status.IN_PROGRESS).create();
        assertThatThrownBy(() -> pr.merge("", head, GHPullRequest.MergeMethod.SQUASH))
                .hasMessageContaining("Required status check \\\"ci\\\" is in progress.");
        run.update().withStatus(GHCheckRun.Status.COMPLETED).withConclusion(GHCheckRun.Conclusion.SUCCESS)
                .add(new GHCheckRunBuilderOutput("Plan is clean", "no changes outside the bucket").output).create();

        // ...and an approval from someone with write access (the author's own does not count: GitHub refuses it).
        assertThatThrownBy(() -> pr.merge("", head, GHPullRequest.MergeMethod.SQUASH))
                .hasMessageContaining("At least 1 approving review is required by reviewers with write access.");
        assertThatThrownBy(() -> pr.createReview().event(GHPullRequestReviewEvent.APPROVE).create())
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getResponseCode()).isEqualTo(422));
        gh.as("alice").approve("acme", "infra", 1, "LGTM");
        assertThat(repo.getPullRequest(1).getMergeableState()).isEqualTo("clean");

        // A new commit dismisses the stale approval and needs a new check run.
        String second = gh.as("bob").push("acme", "infra", "fixgate/s3-versioning",
                Map.of("README.md", "logs bucket is versioned\n"), "Document the change");
        GHPullRequest refreshed = repo.getPullRequest(1);
        assertThat(refreshed.getHead().getSha()).isEqualTo(second);
        assertThat(refreshed.getMergeableState()).isEqualTo("blocked");
        assertThat(refreshed.listReviews().toList()).extracting(r -> r.getState())
                .containsExactly(GHPullRequestReviewState.DISMISSED);
        gh.ci("acme", "infra").checkRun(second, "ci", true);
        gh.as("alice").approve("acme", "infra", 1, "still good");
        assertThatThrownBy(() -> pr.merge("", head, GHPullRequest.MergeMethod.SQUASH))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.getResponseCode()).isEqualTo(409));

        pr.merge("Enables versioning.", second, GHPullRequest.MergeMethod.SQUASH);
        GHPullRequest merged = repo.getPullRequest(1);
        assertThat(merged.isMerged()).isTrue();
        assertThat(merged.getState().name()).isEqualTo("CLOSED");
        repo.getRef("heads/fixgate/s3-versioning").delete();
        assertThatThrownBy(() -> repo.getRef("heads/fixgate/s3-versioning")).isInstanceOf(GHFileNotFoundException.class);

        // The squash commit really is in the bare repository: one parent, the PR title with its number.
        try (Git git = Git.open(work.toFile())) {
            git.fetch().setCredentialsProvider(creds).call();
            ObjectId main = git.getRepository().resolve("refs/remotes/origin/main");
            try (RevWalk walk = new RevWalk(git.getRepository())) {
                RevCommit c = walk.parseCommit(main);
                assertThat(c.getParentCount()).isEqualTo(1);
                assertThat(c.getFullMessage()).isEqualTo("Enable S3 versioning (#1)\n\nEnables versioning.");
                assertThat(merged.getMergeCommitSha()).isEqualTo(c.name());
            }
        }
        assertThat(gh.file("acme", "infra", "main", "main.tf").orElseThrow()).contains("versioning { enabled = true }");
        assertThat(new String(repo.getFileContent("README.md", "main").read().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("logs bucket is versioned\n");

        gh.awaitDeliveries();
        assertThat(received).isNotEmpty().allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
        assertThat(receivedEvents()).containsSubsequence("installation.created", "push", "pull_request.opened",
                "pull_request.review_requested", "check_run.created", "check_run.completed", "check_suite.completed",
                "pull_request_review.submitted", "push", "pull_request.synchronize", "pull_request_review.dismissed",
                "check_run.created", "check_suite.completed", "pull_request_review.submitted", "push",
                "pull_request.closed", "push");
        assertThat(gh.unsupportedRequests()).isEmpty();
        assertThat(new File(dir.toFile(), "repos/acme/infra.git/HEAD")).exists();
    }

    /** hub4j's output object is built by its builder; this keeps the test readable. */
    private record GHCheckRunBuilderOutput(org.kohsuke.github.GHCheckRunBuilder.Output output) {
        GHCheckRunBuilderOutput(String title, String summary) {
            this(new org.kohsuke.github.GHCheckRunBuilder.Output(title, summary));
        }
    }
}
