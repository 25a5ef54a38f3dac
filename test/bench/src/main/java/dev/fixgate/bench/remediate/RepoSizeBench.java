package dev.fixgate.bench.remediate;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.enrich.EvidenceSource;
import dev.fixgate.app.gate.DecisionRecorder;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.group.Scopes;
import dev.fixgate.app.locate.ScanCache;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.pipeline.InstalledRepositories;
import dev.fixgate.app.pipeline.ObjectStores;
import dev.fixgate.app.pipeline.RemediateJobHandler;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.DecisionStore;
import dev.fixgate.app.store.ExceptionStore;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.localgithub.GitTraffic;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Initiative;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.Severity;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The cost of remediating one finding in a small and a big repository (issue 18): the local GitHub holds
 * {@code acme/small} (10 files) and {@code acme/big} (10,000 files: the same Terraform and configuration, the rest
 * source files of a few KB), each with one S3 bucket that does not require TLS, and the remediation job serve runs
 * ({@link RemediateJobHandler} with {@link InstalledRepositories}, the wiring's gate, local Terraform state only)
 * remediates it — find the repository, fetch it, locate, plan, assess, gate, record and queue the delivery. Per run:
 * wall time of the job, GitHub REST calls and git smart-HTTP requests and bytes counted at the local GitHub.
 *
 * <p>Runs alternate small/big, with {@link InstalledRepositories} as serve makes it (scans cached in memory by tree
 * id, git objects kept on disk per repository: {@link ObjectStores}). "cold": a new instance with an empty store per
 * run (nothing cached: a replica that has never seen the repository); "pushed": one instance for the phase, which
 * has read each repository once, untimed, and a push to one source file before each run (a new tree, the same IaC:
 * what a running serve sees after a push); "warm": one such instance and no push (the default branch has not
 * moved).
 * One untimed warm-up pair first (the JVM, the installation token); then medians of {@code ROUNDS} (default 5) per
 * repository and phase.
 *
 * <p>The local GitHub's repositories are packed with a bitmap index after they are created, as GitHub keeps them
 * (a third argument {@code loose} leaves them as created: one file per object, which the local GitHub's JGit
 * serves far slower).
 *
 * <pre>./bench run dev.fixgate.bench.remediate.RepoSizeBench [ROUNDS] [BIG_FILES] [packed|loose]</pre>
 */
public final class RepoSizeBench {

    private static final long APP_ID = 77;
    private static final ControlId HTTPS_ONLY = new ControlId("aws.s3.bucket.ssl_requests_only");
    private static final String SMALL_ACCOUNT = "111111111111";
    private static final String BIG_ACCOUNT = "222222222222";
    private static final List<String> PHASES = List.of("cold", "pushed", "warm");
    /** A source file both repositories have: what the "pushed" phase changes before each run. */
    private static final String PUSHED = "src/module0/pkg0/Source0.java";

    private RepoSizeBench() {
    }

    /** One measured job. */
    record Run(String repo, String phase, double millis, int restCalls, long gitRequests, long gitBytesOut,
               long gitBytesIn, int queued) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int bigFiles = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        boolean packed = !(args.length > 2 && args[2].equals("loose"));
        Path tmp = Files.createTempDirectory("fixgate-reposize-");
        AtomicInteger rest = new AtomicInteger();
        Clock clock = Clock.systemUTC();
        try (LocalGitHub gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github"))
                .withExchangeListener(e -> rest.incrementAndGet()))) {
            Database db = Database.open(Database.embeddedUrl(tmp.resolve("home")), "", Secret.none(), 4);
            KeyPair key = LocalGitHub.generateAppKey();
            gh.createOrg("acme");
            gh.registerApp(APP_ID, "fixgate", key.getPublic(), "http://127.0.0.1:9/unused", "unused-secret-0123456789");
            Map<String, String> small = repository(10, SMALL_ACCOUNT, "acme-small");
            Map<String, String> big = repository(bigFiles, BIG_ACCOUNT, "acme-big");
            gh.createRepo("acme", "small", "main", small);
            gh.createRepo("acme", "big", "main", big);
            if (packed) { // as GitHub keeps repositories: packed, with a bitmap index (pushes add small packs)
                gh.pack("acme", "small");
                gh.pack("acme", "big");
            }
            gh.installApp(APP_ID, "acme");
            System.out.printf(Locale.ROOT, "acme/small: %d files, %,d bytes; acme/big: %d files, %,d bytes; %s%n",
                    small.size(), bytes(small), big.size(), bytes(big), packed ? "packed" : "loose objects");

            GitHubClients clients = new GitHubClients(URI.create(gh.apiUrl()),
                    GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                    RateLimitPolicy.defaults(clock));
            InitiativeStore initiatives = new InitiativeStore(db);
            FindingStore findings = new FindingStore(db);
            JobQueue queue = new JobQueue(db);
            InitiativeId smallId = initiative(findings, initiatives, clock, SMALL_ACCOUNT, "acme-small");
            InitiativeId bigId = initiative(findings, initiatives, clock, BIG_ACCOUNT, "acme-big");
            List<RemediateJobHandler.Report> reports = new ArrayList<>();
            Rig rig = new Rig(db, clients, initiatives, findings, queue, clock, tmp.resolve("work"), reports, gh, rest);
            // the installation token is minted once, as in a running service: not part of either repository's cost
            rig.run("warm-up", "acme/small", smallId, repositories(clients, tmp));
            rig.run("warm-up", "acme/big", bigId, repositories(clients, tmp));

            gh.createUser("alice");
            gh.addCollaborator("acme", "small", "alice", "write");
            gh.addCollaborator("acme", "big", "alice", "write");
            AtomicInteger pushes = new AtomicInteger();
            List<Run> runs = new ArrayList<>();
            for (String phase : PHASES) {
                InstalledRepositories shared = repositories(clients, tmp);
                if (!phase.equals("cold")) { // the shared instance has fetched and read each repository once, untimed
                    rig.run("warm-up", "acme/small", smallId, shared);
                    rig.run("warm-up", "acme/big", bigId, shared);
                }
                for (int i = 0; i < rounds; i++) {
                    for (String repo : List.of("acme/small", "acme/big")) {
                        if (phase.equals("pushed")) { // a commit to one source file: a new tree, the same IaC
                            gh.as("alice").push("acme", repo.substring(5), "main", Map.of(PUSHED,
                                    "class Source0 { int push = " + pushes.incrementAndGet() + "; }\n"), "a push");
                        }
                        InstalledRepositories r = phase.equals("cold") ? repositories(clients, tmp) : shared;
                        runs.add(rig.run(phase, repo, repo.equals("acme/small") ? smallId : bigId, r));
                    }
                }
            }
            runs.forEach(r -> System.out.printf(Locale.ROOT, "  %-4s %-10s %8.1f ms  rest %2d  git %d requests, %,d bytes out, %,d in, queued %d%n",
                    r.phase(), r.repo(), r.millis(), r.restCalls(), r.gitRequests(), r.gitBytesOut(), r.gitBytesIn(), r.queued()));
            System.out.println();
            System.out.println("| phase | repository | wall (median) | REST calls | git requests | git bytes served | git bytes received |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (String phase : PHASES) {
                Map<String, Run> medians = new LinkedHashMap<>();
                for (String repo : List.of("acme/small", "acme/big")) {
                    List<Run> mine = runs.stream().filter(r -> r.phase().equals(phase) && r.repo().equals(repo)).toList();
                    Run m = new Run(repo, phase, median(mine.stream().map(Run::millis).toList()),
                            (int) median(mine.stream().map(r -> (double) r.restCalls()).toList()),
                            (long) median(mine.stream().map(r -> (double) r.gitRequests()).toList()),
                            (long) median(mine.stream().map(r -> (double) r.gitBytesOut()).toList()),
                            (long) median(mine.stream().map(r -> (double) r.gitBytesIn()).toList()), 0);
                    medians.put(repo, m);
                    System.out.printf(Locale.ROOT, "| %s | %s | %.1f ms | %d | %d | %,d | %,d |%n", phase, repo, m.millis(),
                            m.restCalls(), m.gitRequests(), m.gitBytesOut(), m.gitBytesIn());
                }
                Run s = medians.get("acme/small");
                Run b = medians.get("acme/big");
                System.out.printf(Locale.ROOT, "| %s | **big / small** | **%.2f×** | %.2f× | %.2f× | %.2f× | %.2f× |%n", phase,
                        b.millis() / s.millis(), (double) b.restCalls() / s.restCalls(),
                        ratio(b.gitRequests(), s.gitRequests()), ratio(b.gitBytesOut(), s.gitBytesOut()),
                        ratio(b.gitBytesIn(), s.gitBytesIn()));
            }
            db.close();
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * As serve makes it: scans cached in memory by tree id, git objects kept between jobs in a store on disk (a new,
     * empty one per instance: a new instance is a replica that has never seen the repositories).
     */
    private static InstalledRepositories repositories(GitHubClients clients, Path tmp) throws java.io.IOException {
        Files.createDirectories(tmp.resolve("objects"));
        return new InstalledRepositories(clients, ScanCache.defaults(),
                ObjectStores.under(Files.createTempDirectory(tmp.resolve("objects"), "replica-")));
    }

    private record Rig(Database db, GitHubClients clients, InitiativeStore initiatives, FindingStore findings,
                       JobQueue queue, Clock clock, Path work, List<RemediateJobHandler.Report> reports, LocalGitHub gh,
                       AtomicInteger rest) {

        Run run(String phase, String repo, InitiativeId id, InstalledRepositories repositories) throws Exception {
            RemediateJobHandler handler = new RemediateJobHandler(repositories, initiatives, findings,
                    new RemediationStore(db), queue, Wiring.remediation(ServiceConfig.Gate.none(), StateSources.localOnly()),
                    Optional.of(new DecisionRecorder(new DecisionStore(db), new ExceptionStore(db), new AuditLog(db), clock)),
                    EvidenceSource.none(), work, clock, RemediateJobHandler.DEFAULT_MAX_REPOSITORIES, reports::add);
            long jobId = RemediateJobHandler.enqueue(queue, initiatives, id, clock.instant());
            JobQueue.Job job = queue.find(jobId).orElseThrow();
            rest.set(0);
            gh.gitTraffic().reset();
            long start = System.nanoTime();
            handler.handle(job);
            double millis = (System.nanoTime() - start) / 1e6;
            GitTraffic.Snapshot git = gh.gitTraffic().snapshot();
            int calls = rest.get();
            RemediateJobHandler.Report report = reports.getLast();
            if (!report.problems().isEmpty() || report.searched().size() != 1
                    || !report.searched().getFirst().fullName().equals(repo)) {
                throw new IllegalStateException(repo + ": unexpected report " + report);
            }
            return new Run(repo, phase, millis, calls, git.requests(), git.bytesOut(), git.bytesIn(), report.queued().size());
        }
    }

    /** {@code files} files: the configuration, three Terraform files (one bucket without TLS), the rest source. */
    static Map<String, String> repository(int files, String account, String bucket) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(".github/fixgate.yml", "mode: assist\naccounts: [\"" + account + "\"]\n");
        out.put("infra/main.tf", "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"" + bucket + "\"\n}\n");
        out.put("infra/variables.tf", "variable \"region\" {\n  type    = string\n  default = \"us-east-1\"\n}\n");
        out.put("infra/outputs.tf", "output \"bucket\" {\n  value = aws_s3_bucket.data.id\n}\n");
        SplittableRandom random = new SplittableRandom(files);
        for (int i = 0; out.size() < files; i++) {
            out.put("src/module" + (i / 100) + "/pkg" + (i / 10 % 10) + "/Source" + i + ".java", source(i, random));
        }
        return out;
    }

    /** A few KB of Java-like text that compresses about as well as source does. */
    private static String source(int n, SplittableRandom random) {
        String[] words = {"value", "count", "result", "index", "name", "items", "buffer", "config", "request", "status",
                "total", "offset", "limit", "cursor", "entry", "node", "parent", "child", "state", "event"};
        StringBuilder b = new StringBuilder("package acme.src;\n\npublic final class Source" + n + " {\n");
        int methods = 8 + random.nextInt(24);
        for (int m = 0; m < methods; m++) {
            String w = words[random.nextInt(words.length)];
            b.append("\n    int ").append(w).append(m).append('_').append(random.nextInt(100_000)).append("(int ")
                    .append(words[random.nextInt(words.length)]).append(") {\n");
            for (int l = 0; l < 3 + random.nextInt(4); l++) {
                b.append("        int ").append(words[random.nextInt(words.length)]).append(l).append(" = ")
                        .append(random.nextInt(1_000_000)).append(" * ").append(w).append(";\n");
            }
            b.append("        return ").append(random.nextInt(1000)).append(";\n    }\n");
        }
        return b.append("}\n").toString();
    }

    private static long bytes(Map<String, String> files) {
        return files.values().stream().mapToLong(String::length).sum();
    }

    private static InitiativeId initiative(FindingStore findings, InitiativeStore initiatives, Clock clock,
                                           String account, String bucket) {
        Instant now = clock.instant();
        CloudResource resource = new CloudResource(Cloud.AWS, account, "us-east-1", "AwsS3Bucket", "arn:aws:s3:::" + bucket);
        Finding f = new Finding("securityhub", "securityhub-" + bucket, HTTPS_ONLY, "S3.5", Severity.MEDIUM, "MEDIUM",
                resource, "S3 buckets should require requests to use SSL", true, now, now, SourceLocation.of("bench"));
        findings.recordAll(List.of(f));
        InitiativeId id = InitiativeId.of(HTTPS_ONLY, Scopes.of(resource));
        initiatives.save(new Initiative(id, HTTPS_ONLY, Scopes.of(resource), Severity.MEDIUM, List.of(f.fingerprint())), now);
        return id;
    }

    /** big / small; 1 when both are 0 (nothing sent either way). */
    private static double ratio(long big, long small) {
        return big == small ? 1.0 : (double) big / small;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
