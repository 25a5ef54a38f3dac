package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Action's entrypoint ({@code scripts/action/entrypoint.sh}, which {@code action.yml} runs), run with bash
 * against a temporary git repository whose history holds a fixgate fix, as a pull request's checkout would: a
 * change that brings the fixed control back fails with an annotation on its line; other problems are warnings unless
 * {@code fail-on: all}; files the pull request does not touch are not reported.
 */
class ActionEntrypointTest {

    private static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().getParent()
            .resolve("scripts/action/entrypoint.sh");
    private static final String VERSIONED = """
            resource "aws_s3_bucket" "%1$s" {
              bucket = "acme-%1$s"
            }

            resource "aws_s3_bucket_versioning" "%1$s" {
              bucket = aws_s3_bucket.%1$s.id
              versioning_configuration {
                status = "Enabled"
              }
            }
            """;
    private static final String UNVERSIONED = """
            resource "aws_s3_bucket" "%1$s" {
              bucket = "acme-%1$s"
            }
            """;

    @TempDir
    Path tmp;
    Path repo;
    Git git;

    record Run(int exit, String out, Map<String, String> outputs) {
    }

    @BeforeEach
    void history() throws Exception {
        repo = tmp.resolve("repo");
        git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
        // an old bucket nobody touches in the pull requests: fails many controls, reported by none of them
        commit(Map.of("infra/legacy.tf", UNVERSIONED.formatted("legacy"), "infra/logs.tf", UNVERSIONED.formatted("logs")),
                "infra");
        // fixgate's squash-merged fix, with the trailers it writes
        commit(Map.of("infra/logs.tf", VERSIONED.formatted("logs")), """
                fixgate: aws.s3.bucket.versioning on infra/logs.tf:aws_s3_bucket.logs (#3)

                infra/logs.tf:aws_s3_bucket.logs

                Fixgate-Initiative: 4f1c2a9b0d3e5f6a7b8c
                Fixgate-Control: aws.s3.bucket.versioning
                Fixgate-RCI: SAFE
                Fixgate-Findings: a1b2c3d4e5f60718293a4b5c6d7e8f90
                """);
    }

    private void commit(Map<String, String> files, String message) throws Exception {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = repo.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("dev", "dev@example.com");
        git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
    }

    private void branch(String name) throws Exception {
        git.checkout().setName("main").call();
        git.checkout().setCreateBranch(true).setName(name).call();
    }

    private Run entrypoint(String failOn) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        Path output = tmp.resolve("github-output-" + System.nanoTime());
        pb.environment().put("GITHUB_WORKSPACE", repo.toString());
        pb.environment().put("GITHUB_BASE_REF", "main");
        pb.environment().put("GITHUB_OUTPUT", output.toString());
        pb.environment().put("INPUT_FAIL_ON", failOn);
        pb.environment().put("FIXGATE_HOME", tmp.resolve("home").toString());
        // the test's own class path: the script splits FIXGATE_CMD on spaces, and these paths have none
        pb.environment().put("FIXGATE_CMD", java + " -cp " + System.getProperty("java.class.path")
                + " dev.fixgate.app.cli.Main");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        Map<String, String> outputs = new java.util.HashMap<>();
        if (Files.exists(output)) {
            Files.readAllLines(output).forEach(l -> outputs.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        }
        return new Run(p.exitValue(), out, outputs);
    }

    private static Set<String> sarifFiles(Run run) throws Exception {
        JsonNode sarif = Json.mapper().readTree(Path.of(run.outputs().get("sarif")).toFile());
        Set<String> files = new HashSet<>();
        sarif.path("runs").get(0).path("results").forEach(r -> files.add(r.at("/locations/0/physicalLocation"
                + "/artifactLocation/uri").asText()));
        return files;
    }

    @Test
    void bringingBackAControlFixgateFixedFailsTheCheckOnItsLine() throws Exception {
        branch("reintroduce");
        commit(Map.of("infra/fresh.tf", UNVERSIONED.formatted("fresh")), "add a bucket");
        Run run = entrypoint("fixed");
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("::error file=infra/fresh.tf,line=1,title=fixgate s3_bucket_versioning::"
                + "aws_s3_bucket.fresh")
                .contains("::warning file=infra/fresh.tf,line=1,title=fixgate s3_bucket_public_access_block::")
                .contains("--fail-on fixed: 1 failures reintroduce a control fixgate fixed here")
                .doesNotContain("infra/legacy.tf");
        assertThat(sarifFiles(run)).containsExactly("infra/fresh.tf");
    }

    @Test
    void otherControlsWarnUnlessEveryControlFails() throws Exception {
        branch("new-bucket");
        commit(Map.of("infra/ok.tf", VERSIONED.formatted("ok")), "add a versioned bucket");
        Run fixed = entrypoint("fixed");
        assertThat(fixed.exit()).as(fixed.out()).isZero();
        assertThat(fixed.out()).contains("::warning file=infra/ok.tf").doesNotContain("::error");
        Run all = entrypoint("all");
        assertThat(all.exit()).as(all.out()).isEqualTo(1);
        assertThat(all.out()).contains("::error file=infra/ok.tf");
    }

    @Test
    void aRevertedFixNoLongerBlocks() throws Exception {
        commit(Map.of("infra/logs.tf", UNVERSIONED.formatted("logs")), """
                fixgate: revert #3 (aws.s3.bucket.versioning on infra/logs.tf:aws_s3_bucket.logs) (#4)

                Fixgate-Reverts: #3 0123456789abcdef0123456789abcdef01234567
                Fixgate-Initiative: 4f1c2a9b0d3e5f6a7b8c
                Fixgate-Control: aws.s3.bucket.versioning
                Fixgate-RCI: RISKY
                """);
        branch("after-revert");
        commit(Map.of("infra/fresh.tf", UNVERSIONED.formatted("fresh")), "add a bucket");
        Run run = entrypoint("fixed");
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("::warning file=infra/fresh.tf,line=1,title=fixgate s3_bucket_versioning::");
    }
}
