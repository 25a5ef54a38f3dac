package dev.fixgate.app.deliver;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.localgithub.Exchange;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * A local GitHub with organisation {@code acme}, private repositories holding the same files, user {@code alice}
 * (write access) and fixgate's App installed (no webhooks: these tests drive deliveries directly), plus what the
 * deliver tests ask of it: REST requests counted by route, proposals, pull requests of a branch.
 */
final class DeliverRig implements AutoCloseable {

    static final long APP_ID = 4343;
    static final Map<String, String> BASE_FILES = Map.of(
            "main.tf", "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"acme-data\"\n}\n",
            "modules/net/main.tf", "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n",
            "README.md", "# infra\n",
            ".github/fixgate.yml", "mode: autonomous\n");

    final LocalGitHub gh;
    final GitHubClients clients;
    final long installation;
    final GitHub alice;
    private final KeyPair key;
    private final Clock clock;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    DeliverRig(Path dir, Clock clock, String... repos) throws IOException {
        gh = LocalGitHub.start(LocalGitHubOptions.in(dir).withExchangeListener(exchanges::add));
        gh.createOrg("acme");
        gh.createUser("alice");
        for (String repo : repos) {
            gh.createPrivateRepo("acme", repo, "main", BASE_FILES);
            gh.addCollaborator("acme", repo, "alice", "write");
        }
        this.clock = clock;
        key = LocalGitHub.generateAppKey();
        gh.registerApp(APP_ID, "fixgate", key.getPublic(), null, null);
        installation = gh.installApp(APP_ID, "acme");
        clients = newClients();
        alice = new GitHubBuilder().withEndpoint(gh.apiUrl()).withOAuthToken(gh.tokenFor("alice")).build();
    }

    /** Clients as a new fixgate process makes them: no cached client, JWT or installation token. */
    GitHubClients newClients() {
        return new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                RateLimitPolicy.defaults(clock));
    }

    /** How many REST requests matched {@code method} and the OpenAPI-style route, for {@code repo}. */
    long requests(String method, String template, String repo) {
        return exchanges.stream().filter(e -> e.method().equals(method) && e.template().equals(Optional.of(template))
                && e.path().startsWith("/repos/acme/" + repo + "/")).count();
    }

    /** Blobs, trees and commits made through the Git Data API in {@code repo}. */
    long gitDataWrites(String repo) {
        return requests("POST", "/repos/{owner}/{repo}/git/blobs", repo)
                + requests("POST", "/repos/{owner}/{repo}/git/trees", repo)
                + requests("POST", "/repos/{owner}/{repo}/git/commits", repo);
    }

    GitHub bot() throws IOException {
        return clients.installation(installation);
    }

    /** An allowed, SAFE proposal for {@code acme/<repo>} writing {@code files}. */
    FixProposal proposal(String repo, String initiative, String fingerprint, Map<String, String> files) {
        return new FixProposal("acme/" + repo, installation, initiative, "aws.s3.bucket.versioning", "medium",
                List.of(new FixProposal.FindingSummary(fingerprint, "prowler", "S3 bucket acme-data has versioning disabled",
                        1, Instant.parse("2026-01-05T10:00:00Z"))),
                List.of("main.tf:aws_s3_bucket.data"), files, "", Rci.initial(),
                new FixProposal.Blast("resource", List.of("aws_s3_bucket.data"), List.of()),
                List.of(FixProposal.LayerDecision.of(new GateDecision.Allow(GateLayer.POLICY, List.of("additive")))),
                "revert the pull request", Map.of(), List.of(), List.of(), List.of());
    }

    /** Every pull request (open or closed) whose head is {@code branch}. */
    List<GHPullRequest> pullRequests(String repo, String branch) throws IOException {
        return repository(repo).queryPullRequests().state(GHIssueState.ALL).list().toList().stream()
                .filter(pr -> pr.getHead().getRef().equals(branch)).toList();
    }

    GHRepository repository(String repo) throws IOException {
        return alice.getRepository("acme/" + repo);
    }

    GHCommit.ShortInfo commit(String repo, String sha) throws IOException {
        return repository(repo).getCommit(sha).getCommitShortInfo();
    }

    @Override
    public void close() {
        gh.close();
    }
}
