package dev.fixgate.app.pipeline;

import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.gate.Gates;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.deliver.DeliveryJob;
import dev.fixgate.app.deliver.DeliveryJobHandler;
import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.deliver.PullRequestDelivery;
import dev.fixgate.app.gate.DecisionRecorder;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.store.DecisionStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.app.enrich.EvidenceIndex;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.jobs.PermanentJobFailure;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Initiative;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.ResourceRef;
import dev.fixgate.spi.finding.Severity;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * The remediation job against a local GitHub with real repositories: which repositories it searches, what it
 * refuses to guess, and what it records and queues.
 */
class RemediateJobHandlerTest {

    private static final long APP_ID = 77;
    private static final String ACCOUNT = "111111111111";
    private static final ControlId HTTPS_ONLY = new ControlId("aws.s3.bucket.ssl_requests_only");
    private static final String BUCKET_TF = """
            resource "aws_s3_bucket" "data" {
              bucket = "acme-data"
            }
            """;

    @TempDir
    Path tmp;

    private final Clock clock = Clock.systemUTC();
    private LocalGitHub gh;
    private Database db;
    private GitHubClients clients;
    private JobQueue queue;
    private RemediationStore remediations;
    private InitiativeStore initiatives;
    private FindingStore findings;
    private RemediateJobHandler handler;
    private final List<RemediateJobHandler.Report> reports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")));
        db = TestDb.H2.fresh();
        queue = new JobQueue(db);
        remediations = new RemediationStore(db);
        initiatives = new InitiativeStore(db);
        findings = new FindingStore(db);
        KeyPair key = LocalGitHub.generateAppKey();
        clients = new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                RateLimitPolicy.defaults(clock));
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.registerApp(APP_ID, "fixgate", key.getPublic(), "http://127.0.0.1:9/unused", "unused-secret-0123456789");
        handler = new RemediateJobHandler(new InstalledRepositories(clients), initiatives, findings, remediations, queue,
                new Remediation(Remediation.Stages.standard(PlaybookCatalog.builtIn(), Planner.standard(),
                        Gates.builtIn(), StateSources.localOnly())),
                Optional.of(new DecisionRecorder(new DecisionStore(db), new dev.fixgate.app.store.ExceptionStore(db), new AuditLog(db), clock)),
                EvidenceSource.none(), tmp.resolve("work"), clock, 5, reports::add);
    }

    @AfterEach
    void stop() {
        if (gh != null) {
            gh.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private void repo(String name, String config) {
        gh.createRepo("acme", name, "main", config == null ? Map.of("main.tf", BUCKET_TF)
                : Map.of("main.tf", BUCKET_TF, ".github/fixgate.yml", config));
    }

    private InitiativeId initiative(ResourceRef resource, String tool) {
        Instant now = clock.instant();
        Finding f = new Finding(tool, tool + "-1", HTTPS_ONLY, "S3.5", Severity.MEDIUM, "MEDIUM", resource,
                "S3 buckets should require requests to use SSL", true, now, now, SourceLocation.of("test"));
        findings.recordAll(List.of(f));
        InitiativeId id = InitiativeId.of(HTTPS_ONLY, dev.fixgate.app.group.Scopes.of(resource));
        initiatives.save(new Initiative(id, HTTPS_ONLY, dev.fixgate.app.group.Scopes.of(resource), Severity.MEDIUM,
                List.of(f.fingerprint())), now);
        return id;
    }

    private static CloudResource bucket() {
        return new CloudResource(Cloud.AWS, ACCOUNT, "us-east-1", "AwsS3Bucket", "arn:aws:s3:::acme-data");
    }

    private RemediateJobHandler.Report run(InitiativeId id) throws Exception {
        // Run by hand rather than through workers: the queued delivery jobs stay put for the assertions.
        long jobId = RemediateJobHandler.enqueue(queue, initiatives, id, clock.instant());
        handler.handle(queue.find(jobId).orElseThrow());
        return reports.getLast();
    }

    private List<JobQueue.Job> deliveries() {
        return queue.list(Optional.of(JobQueue.Status.QUEUED), 100).stream()
                .filter(j -> j.kind().equals(DeliveryJobHandler.KIND)).toList();
    }

    @Test
    void searchesOnlyTheRepositoryThatListsTheAccountRecordsTheFixAndDeliveryMarksIt() throws Exception {
        repo("infra", "mode: assist\naccounts: [\"" + ACCOUNT + "\"]\n");
        repo("other", "accounts: [\"222222222222\"]\n"); // the same bucket text, but another account's code
        long installation = gh.installApp(APP_ID, "acme");
        InitiativeId id = initiative(bucket(), "securityhub");

        RemediateJobHandler.Report report = run(id);

        assertThat(report.searched()).extracting(RemediateJobHandler.Repo::fullName).containsExactly("acme/infra");
        assertThat(report.problems()).isEmpty();
        assertThat(report.queued()).singleElement().satisfies(p -> {
            assertThat(p.repository()).isEqualTo("acme/infra");
            assertThat(p.installationId()).isEqualTo(installation);
            assertThat(p.initiativeId()).isEqualTo(id.value());
            assertThat(p.files()).containsKey("main.tf");
        });
        assertThat(deliveries()).hasSize(1);
        // the delivery is handed what this job read: the commit it scanned and the configuration files
        DeliveryJob carried = DeliveryJob.fromJson(queue.find(deliveries().getFirst().id()).orElseThrow().payload());
        assertThat(carried.proposal()).isEqualTo(report.queued().getFirst());
        String main = gh.branchSha("acme", "infra", "main").orElseThrow();
        assertThat(carried.planned().plannedOn()).hasValueSatisfying(b -> assertThat(b.commit()).isEqualTo(main));
        assertThat(carried.planned().freshConfig(clock.instant())).hasValueSatisfying(c -> {
            assertThat(c.repository().name()).isEqualTo("acme/infra:.github/fixgate.yml");
            assertThat(c.repository().text()).contains("mode: assist");
            assertThat(c.defaults()).isNull(); // acme has no .github repository
        });
        // the service's own decision is recorded, and the proposal cites it
        assertThat(new DecisionStore(db).forInitiative(id)).singleElement().satisfies(d -> {
            assertThat(d.resourceKey()).isEqualTo("arn:aws:s3:::acme-data");
            assertThat(report.queued().getFirst().decisionIds()).containsExactly(d.id());
        });
        assertThat(new AuditLog(db).verify().intact()).isTrue();
        assertThat(remediations.forInitiative(id)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RemediationStore.Status.PLANNED);
            assertThat(r.playbookId()).isEqualTo("s3_bucket_https_only");
            assertThat(r.branch()).startsWith("fixgate/aws.s3.bucket.ssl_requests_only/");
        });
        assertThat(initiatives.find(id).orElseThrow().status()).isEqualTo(InitiativeStore.Status.IN_PROGRESS);
        assertThat(Files.exists(tmp.resolve("work"))).isTrue();
        try (var left = Files.list(tmp.resolve("work"))) {
            assertThat(left).as("checkouts are deleted after the run").isEmpty();
        }

        // The delivery job opens the pull request and marks the row with its number.
        JobQueue.Job delivery = queue.find(deliveries().getFirst().id()).orElseThrow();
        new DeliveryJobHandler(clients, new PullRequestDelivery(clock, clients.tokens()::token), new AuditLog(db), clock, o -> { },
                Optional.of(remediations)).handle(delivery);
        GitHub alice = new GitHubBuilder().withEndpoint(gh.apiUrl()).withOAuthToken(gh.tokenFor("alice")).build();
        List<GHPullRequest> prs = alice.getRepository("acme/infra").queryPullRequests().state(GHIssueState.OPEN).list().toList();
        assertThat(prs).hasSize(1);
        assertThat(remediations.forInitiative(id)).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(RemediationStore.Status.DELIVERED);
            assertThat(r.pullNumber()).hasValue(prs.getFirst().getNumber());
        });
    }

    @Test
    void eachFindingIsLocatedOnceInEachRepositorySearchedAndItsResourcePlannedOnce() throws Exception {
        repo("infra", null);
        gh.createRepo("acme", "other", "main", Map.of("main.tf", BUCKET_TF.replace("acme-data", "acme-other")));
        gh.installApp(APP_ID, "acme");
        InitiativeId id = initiative(bucket(), "securityhub");
        CountingStages counting = new CountingStages(Remediation.Stages.standard(PlaybookCatalog.builtIn(),
                Planner.standard(), Gates.builtIn(), StateSources.localOnly()));
        RemediateJobHandler counted = new RemediateJobHandler(new InstalledRepositories(clients), initiatives, findings,
                remediations, queue, new Remediation(counting), Optional.empty(), EvidenceSource.none(),
                tmp.resolve("work"), clock, 5, reports::add);

        long jobId = RemediateJobHandler.enqueue(queue, initiatives, id, clock.instant());
        counted.handle(queue.find(jobId).orElseThrow());

        RemediateJobHandler.Report report = reports.getLast();
        assertThat(report.searched()).hasSize(2);
        assertThat(counting.selected.values()).extracting(java.util.concurrent.atomic.AtomicInteger::get).containsOnly(1);
        assertThat(counting.located).hasSize(2); // the one finding, once in each of the two checkouts
        assertThat(counting.located.values()).extracting(java.util.concurrent.atomic.AtomicInteger::get).containsOnly(1);
        assertThat(counting.planned).containsOnlyKeys("s3_bucket_https_only main.tf:aws_s3_bucket.data");
        assertThat(counting.planned.values()).extracting(java.util.concurrent.atomic.AtomicInteger::get).containsOnly(1);
        assertThat(counting.gated.values()).extracting(java.util.concurrent.atomic.AtomicInteger::get).containsOnly(1);
        assertThat(report.queued()).singleElement().satisfies(p -> assertThat(p.repository()).isEqualTo("acme/infra"));
    }

    @Test
    void hostileFilesInTheRepositoryCostOnlyThemselvesAndSayWhy() throws Exception {
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", BUCKET_TF,
                "cfn/bomb.yaml", HostileInputs.aliasBomb(),
                "cfn/deep.json", "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": "
                        + "[".repeat(100_000) + "]".repeat(100_000) + "}",
                "modules/deep/main.tf", "locals {\n  x = " + "[".repeat(100_000) + "]".repeat(100_000) + "\n}\n"));
        gh.installApp(APP_ID, "acme");
        InitiativeId id = initiative(bucket(), "securityhub");

        RemediateJobHandler.Report report = run(id);

        assertThat(report.queued()).singleElement().satisfies(p -> assertThat(p.files()).containsOnlyKeys("main.tf"));
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).isEqualTo("acme/infra: cfn/bomb.yaml:"
                        + "9: template exceeds the limit of 1000000 YAML nodes once its aliases are expanded"
                        + " [patch.input-limit]"))
                .anySatisfy(p -> assertThat(p).startsWith("acme/infra: cfn/deep.json:1: template exceeds the nesting limit"))
                .anySatisfy(p -> assertThat(p).startsWith(
                        "acme/infra: modules/deep/main.tf:2: Terraform file exceeds the nesting limit of 100 levels"));
    }

    @Test
    void runningAgainKeepsOneRemediationAndOneQueuedDelivery() throws Exception {
        repo("infra", "accounts: [\"" + ACCOUNT + "\"]\n");
        gh.installApp(APP_ID, "acme");
        InitiativeId id = initiative(bucket(), "securityhub");

        run(id);
        run(id);

        assertThat(remediations.forInitiative(id)).hasSize(1);
        assertThat(deliveries()).hasSize(1);
    }

    @Test
    void aChangeWhileAJobIsPendingQueuesAnotherAndNoChangeQueuesNothing() {
        InitiativeId id = initiative(bucket(), "securityhub");
        long first = RemediateJobHandler.enqueue(queue, initiatives, id, clock.instant());
        assertThat(RemediateJobHandler.enqueue(queue, initiatives, id, clock.instant())).isEqualTo(first);

        Instant now = clock.instant();
        CloudResource other = new CloudResource(Cloud.AWS, ACCOUNT, "us-east-1", "AwsS3Bucket", "arn:aws:s3:::acme-logs");
        Finding f = new Finding("securityhub", "sh-2", HTTPS_ONLY, "S3.5", Severity.MEDIUM, "MEDIUM", other, "t", true,
                now, now, SourceLocation.of("test"));
        findings.recordAll(List.of(f));
        initiatives.save(new Initiative(id, HTTPS_ONLY, dev.fixgate.app.group.Scopes.of(other), Severity.MEDIUM,
                List.of(f.fingerprint())), now);

        assertThat(RemediateJobHandler.enqueue(queue, initiatives, id, clock.instant())).isNotEqualTo(first);
    }

    @Test
    void aResourceFoundInTwoRepositoriesIsLeftAloneNotGuessed() throws Exception {
        repo("infra", null);
        repo("copy", null);
        gh.installApp(APP_ID, "acme");
        InitiativeId id = initiative(bucket(), "securityhub");

        RemediateJobHandler.Report report = run(id);

        assertThat(report.searched()).hasSize(2);
        assertThat(report.queued()).isEmpty();
        assertThat(report.problems()).singleElement().asString()
                .contains("arn:aws:s3:::acme-data").contains("more than one repository").contains("acme/infra")
                .contains("acme/copy");
        assertThat(deliveries()).isEmpty();
        assertThat(remediations.forInitiative(id)).isEmpty();
        assertThat(initiatives.find(id).orElseThrow().status()).isEqualTo(InitiativeStore.Status.OPEN);
    }

    @Test
    void anInvalidRepositoryConfigurationGetsNothing() throws Exception {
        repo("infra", "mode: yolo\naccounts: [\"" + ACCOUNT + "\"]\n");
        gh.installApp(APP_ID, "acme");
        InitiativeId id = initiative(bucket(), "securityhub");

        RemediateJobHandler.Report report = run(id);

        assertThat(report.queued()).isEmpty();
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("acme/infra").contains("invalid"));
        assertThat(deliveries()).isEmpty();
    }

    @Test
    void aCodeFindingSearchesItsOwnRepositoryAndTwoInitiativesNeverFixOneResourceTwice() throws Exception {
        repo("infra", "accounts: [\"" + ACCOUNT + "\"]\n");
        repo("copy", null);
        gh.installApp(APP_ID, "acme");
        InitiativeId cloud = initiative(bucket(), "securityhub");
        InitiativeId code = initiative(new CodeResource("acme/infra", "main.tf", "aws_s3_bucket.data", "aws_s3_bucket", 1),
                "checkov");
        assertThat(code).isNotEqualTo(cloud);

        RemediateJobHandler.Report first = run(cloud);
        RemediateJobHandler.Report second = run(code);

        assertThat(first.queued()).hasSize(1);
        assertThat(second.searched()).extracting(RemediateJobHandler.Repo::fullName).containsExactly("acme/infra");
        assertThat(second.queued()).isEmpty();
        assertThat(second.problems()).singleElement().asString()
                .contains("main.tf:aws_s3_bucket.data").contains("already fixed by remediation");
        assertThat(deliveries()).hasSize(1);
    }

    @Test
    void aCloudFindingNoRepositoryListsIsReported() throws Exception {
        repo("infra", "accounts: [\"222222222222\"]\n");
        gh.installApp(APP_ID, "acme");
        InitiativeId id = initiative(bucket(), "securityhub");

        RemediateJobHandler.Report report = run(id);

        assertThat(report.searched()).isEmpty();
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("no installed repository lists account "
                + ACCOUNT));
    }

    @Test
    void aPayloadWithoutAnInitiativeIsAPermanentFailureNamingThePointer() {
        long jobId = queue.enqueue(RemediateJobHandler.KIND, "{\"initiativ\":\"x\"}", Optional.empty(), 1, clock.instant());
        JobQueue.Job job = queue.find(jobId).orElseThrow();
        assertThatThrownBy(() -> handler.handle(job)).isInstanceOf(PermanentJobFailure.class)
                .hasMessageContaining("/initiative");
    }
}
