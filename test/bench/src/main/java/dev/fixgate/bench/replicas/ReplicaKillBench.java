package dev.fixgate.bench.replicas;

import dev.fixgate.app.config.Secret;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.WebhookDeliveries;
import dev.fixgate.localgithub.BranchProtection;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHub.PullState;
import dev.fixgate.localgithub.LocalGitHubOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The multi-replica kill test (issue 18). {@code REPLICAS} {@code fixgate serve} JVMs on one embedded PostgreSQL
 * server and the local GitHub (both in this JVM), {@code REPOS} repositories with five fixable initiatives each (five
 * SAFE controls, one Terraform file each) and {@code caps.max_open_pull_requests: CAP}, branch protection requiring a
 * {@code ci} check. The findings are posted to {@code POST /api/v1/findings} of the replicas (one post per repository,
 * spread over the live ones, retried elsewhere when one dies under it); the local GitHub's signed webhooks go through a
 * {@link Balancer} to a live replica. A driver {@code kill -9}s a random replica by its PID every ~{@code KILL_EVERY}
 * seconds and starts it again; a {@link Sampler} reads every repository's pull requests at one instant every 200 ms,
 * records any repository over its cap and plays CI (a green {@code ci} check on each new head), so SAFE fixes merge.
 *
 * <p>An initiative is <b>terminal</b> when its pull request is merged on GitHub. The run ends when all are terminal
 * or after {@code LIMIT} minutes, then prints: findings posts answered vs initiatives stored, webhook deliveries
 * answered 202 vs stored (lost), duplicate pull requests (two for one initiative, in any state), cap violations seen,
 * initiatives not terminal, jobs left, kills and wall time. Then the same on the embedded H2 database with one
 * replica (killed and restarted on the same home).
 *
 * <pre>./bench run dev.fixgate.bench.replicas.ReplicaKillBench [repos=200] [replicas=3] [kill-every=10] [limit=30]
 *      [cap=2] [only=pg|h2] [h2-repos=REPOS] [orgs=1]</pre>
 *
 * <p>{@code orgs=N} spreads the repositories round-robin over {@code N} organisations ({@code acme}, {@code acme1}, …),
 * each with the App installed once: GitHub's rate limit is per installation (5,000 an hour + 50 per repository above
 * 20, at most 12,500), so N installations carry N budgets, as an enterprise's several organisations do.
 */
public final class ReplicaKillBench {

    static final long APP_ID = 4242;
    static final String SECRET = "replica-kill-webhook-secret-0123456789";
    static final String API_TOKEN = "replica-kill-api-token-0123456789abcdef";

    /** control → (file, Terraform with the resource the finding names); every one SAFE by its playbook. */
    private static final Map<String, String[]> CONTROLS = new LinkedHashMap<>();

    static {
        CONTROLS.put("aws.s3.bucket.versioning", new String[] {"s3.tf", "aws_s3_bucket", "data",
                "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"acme-%s-data\"\n}\n"});
        CONTROLS.put("aws.dynamodb.table.point_in_time_recovery", new String[] {"dynamodb.tf", "aws_dynamodb_table",
                "orders", "resource \"aws_dynamodb_table\" \"orders\" {\n  name         = \"%s-orders\"\n"
                + "  billing_mode = \"PAY_PER_REQUEST\"\n  hash_key     = \"id\"\n\n  attribute {\n    name = \"id\"\n"
                + "    type = \"S\"\n  }\n}\n"});
        CONTROLS.put("aws.kms.key.rotation", new String[] {"kms.tf", "aws_kms_key", "main",
                "resource \"aws_kms_key\" \"main\" {\n  description = \"%s main key\"\n}\n"});
        CONTROLS.put("aws.ecr.repository.scan_on_push", new String[] {"ecr.tf", "aws_ecr_repository", "app",
                "resource \"aws_ecr_repository\" \"app\" {\n  name = \"%s-app\"\n}\n"});
        CONTROLS.put("aws.sqs.queue.encryption", new String[] {"sqs.tf", "aws_sqs_queue", "jobs",
                "resource \"aws_sqs_queue\" \"jobs\" {\n  name = \"%s-jobs\"\n}\n"});
    }

    record Args(int repos, int replicas, int killEvery, int limitMinutes, int cap, Optional<String> only, int h2Repos,
                int orgs) {
        static Args parse(String[] args) {
            Map<String, String> kv = new HashMap<>();
            for (String a : args) {
                String[] p = a.split("=", 2);
                if (p.length != 2) {
                    throw new IllegalArgumentException("arguments are key=value: " + a);
                }
                kv.put(p[0], p[1]);
            }
            int repos = Integer.parseInt(kv.getOrDefault("repos", "200"));
            return new Args(repos, Integer.parseInt(kv.getOrDefault("replicas", "3")),
                    Integer.parseInt(kv.getOrDefault("kill-every", "10")),
                    Integer.parseInt(kv.getOrDefault("limit", "30")), Integer.parseInt(kv.getOrDefault("cap", "2")),
                    Optional.ofNullable(kv.get("only")), Integer.parseInt(kv.getOrDefault("h2-repos", "" + repos)),
                    Math.max(1, Integer.parseInt(kv.getOrDefault("orgs", "1"))));
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Path work = Files.createTempDirectory("fixgate-replica-kill-");
        System.out.printf(Locale.ROOT, "work directory %s (replica logs: <replica>/serve.log)%n", work);
        if (args.only().map("pg"::equals).orElse(true)) {
            try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE fixgate_kill");
                }
                String url = pg.getJdbcUrl("postgres", "fixgate_kill");
                run("PostgreSQL", work.resolve("pg"), args.repos(), args.replicas(), args, Optional.of(url));
            }
        }
        if (args.only().map("h2"::equals).orElse(true)) {
            run("H2", work.resolve("h2"), args.h2Repos(), 1, args, Optional.empty());
        }
    }

    /** One variant: its own local GitHub and database. {@code postgresUrl} empty: H2 in the (one) replica's home. */
    static void run(String label, Path dir, int repos, int replicaCount, Args args, Optional<String> postgresUrl)
            throws Exception {
        System.out.printf(Locale.ROOT, "%n== %s: %d replica(s), %d repositories, %d initiatives, cap %d, a kill every ~%d s,"
                + " limit %d min, %d organisation(s)/installation(s); load average %s%n", label, replicaCount, repos,
                repos * CONTROLS.size(), args.cap(), args.killEvery(), args.limitMinutes(), args.orgs(), loadAverage());
        try (LocalGitHub gh = LocalGitHub.start(LocalGitHubOptions.in(dir.resolve("github")))) {
            seed(gh, repos, args.cap(), args.orgs());
            KeyPair key = LocalGitHub.generateAppKey();
            Map<String, String> env = new HashMap<>(Map.of("FIXGATE_GITHUB_WEBHOOK_SECRET", SECRET,
                    "FIXGATE_GITHUB_API_URL", gh.apiUrl(), "FIXGATE_GITHUB_APP_ID", Long.toString(APP_ID),
                    "FIXGATE_GITHUB_PRIVATE_KEY", LocalGitHub.pem(key.getPrivate()), "FIXGATE_API_TOKEN", API_TOKEN));
            postgresUrl.ifPresent(u -> {
                env.put("FIXGATE_DATABASE_URL", u);
                env.put("FIXGATE_DATABASE_USERNAME", "postgres");
            });
            List<Replica> replicas = new ArrayList<>();
            for (int i = 0; i < replicaCount; i++) {
                replicas.add(new Replica("replica-" + i, dir.resolve("replica-" + i), env, "384m"));
            }
            long t0 = System.nanoTime();
            for (Replica r : replicas) {
                r.start();
            }
            Outcome outcome;
            try (Balancer balancer = new Balancer(replicas);
                 Sampler sampler = new Sampler(gh, args.cap(), 200)) {
                gh.registerApp(APP_ID, "fixgate", key.getPublic(), balancer.webhookUrl(), SECRET);
                for (int o = 0; o < args.orgs(); o++) {
                    gh.installApp(APP_ID, org(o));
                }
                outcome = drive(gh, replicas, balancer, sampler, repos, args, t0);
                for (Replica r : replicas) {
                    r.stop();
                }
                String url = postgresUrl.orElseGet(() -> Database.embeddedUrl(dir.resolve("replica-0")));
                report(label, outcome, balancer, sampler, url, postgresUrl.isPresent() ? "postgres" : "", repos, t0);
            } finally {
                for (Replica r : replicas) {
                    r.stop();
                }
            }
        }
    }

    record Outcome(int kills, boolean allTerminal, Map<String, Boolean> posted, List<String> killLog) {
    }

    /** Posts the findings, kills and restarts replicas, and waits for every initiative to be merged (or the limit). */
    private static Outcome drive(LocalGitHub gh, List<Replica> replicas, Balancer balancer, Sampler sampler, int repos,
                                 Args args, long t0) throws Exception {
        long limit = t0 + TimeUnit.MINUTES.toNanos(args.limitMinutes());
        Map<String, Boolean> posted = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService posters = Executors.newFixedThreadPool(4);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int r = 0; r < repos; r++) {
            String repo = owner(r, args.orgs()) + "/r" + r;
            posters.submit(() -> {
                while (!done.get() && System.nanoTime() < limit) {
                    Optional<Replica> target = Balancer.anyUp(replicas);
                    if (target.isEmpty()) {
                        Balancer.sleep(200);
                        continue;
                    }
                    try {
                        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + target.get().port() + "/api/v1/findings"))
                                .header("Authorization", "Bearer " + API_TOKEN).header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.ofString(findings(repo))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (res.statusCode() == 200) {
                            posted.put(repo, true);
                            return null;
                        }
                    } catch (java.io.IOException e) {
                        // killed under us: post again elsewhere (posting the same findings again changes nothing)
                    }
                    Balancer.sleep(200);
                }
                return null;
            });
        }
        posters.shutdown();
        List<String> killLog = new ArrayList<>();
        int kills = 0;
        long nextKill = System.nanoTime() + jitter(args.killEvery());
        long nextPrint = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean terminal = false;
        while (System.nanoTime() < limit) {
            terminal = posted.size() == repos && merged(sampler.last(), repos);
            if (terminal) {
                break;
            }
            if (System.nanoTime() >= nextKill) {
                Replica victim = replicas.get(ThreadLocalRandom.current().nextInt(replicas.size()));
                long pid = victim.pid();
                victim.kill9();
                kills++;
                long k0 = System.nanoTime();
                victim.start();
                killLog.add(String.format(Locale.ROOT, "%.0fs %s pid %d killed, back in %.1f s", seconds(t0), victim.name(),
                        pid, (System.nanoTime() - k0) / 1e9));
                nextKill = System.nanoTime() + jitter(args.killEvery());
            }
            if (System.nanoTime() >= nextPrint) {
                System.out.printf(Locale.ROOT, "  %4.0f s: posted %d/%d, merged %d, open %d, kills %d, over cap %d,"
                                + " 202s %d, load %s%n", seconds(t0), posted.size(), repos, count(sampler.last(), true),
                        count(sampler.last(), false), kills, sampler.overCap.size(), balancer.accepted.size(), loadAverage());
                nextPrint = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            }
            Balancer.sleep(250);
        }
        done.set(true);
        posters.awaitTermination(2, TimeUnit.MINUTES);
        Balancer.sleep(1000); // a last sample after the end
        return new Outcome(kills, terminal, posted, killLog);
    }

    private static long jitter(int seconds) {
        return TimeUnit.MILLISECONDS.toNanos((long) (seconds * 1000 * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Whether every initiative of every repository has a merged pull request. */
    private static boolean merged(List<PullState> pulls, int repos) {
        return count(pulls, true) == repos * CONTROLS.size();
    }

    /** Distinct (repository, control) with a merged fixgate pull request, or fixgate pull requests open. */
    private static int count(List<PullState> pulls, boolean merged) {
        if (!merged) {
            return (int) pulls.stream().filter(p -> p.open() && p.headRef().startsWith("fixgate/")).count();
        }
        return (int) pulls.stream().filter(p -> p.merged() && p.headRef().startsWith("fixgate/"))
                .map(p -> p.repository() + " " + control(p)).distinct().count();
    }

    /** The control a fixgate branch is for: {@code fixgate/<control>/…}. */
    private static String control(PullState p) {
        String[] parts = p.headRef().split("/");
        return parts.length > 1 ? parts[1] : p.headRef();
    }

    private static void report(String label, Outcome o, Balancer balancer, Sampler sampler, String url, String user,
                               int repos, long t0) throws Exception {
        double wall = seconds(t0);
        List<PullState> pulls = sampler.last();
        Map<String, List<PullState>> byInitiative = pulls.stream().filter(p -> p.headRef().startsWith("fixgate/"))
                .collect(Collectors.groupingBy(p -> p.repository() + " " + control(p), TreeMap::new, Collectors.toList()));
        List<String> duplicates = byInitiative.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> e.getKey() + " #" + e.getValue().stream().map(p -> p.number() + (p.merged() ? " merged"
                        : p.open() ? " open" : " closed")).collect(Collectors.joining(", #"))).toList();
        int expected = repos * CONTROLS.size();
        int merged = count(pulls, true);
        List<String> lost = new ArrayList<>();
        Map<String, Long> jobs;
        Map<String, Long> remediations;
        long initiatives;
        try (Database db = Database.open(url, user, Secret.none(), 2)) {
            WebhookDeliveries deliveries = new WebhookDeliveries(db);
            for (String id : balancer.accepted) {
                if (deliveries.find(id).isEmpty()) {
                    lost.add(id);
                }
            }
            jobs = groups(db, "SELECT kind || ' ' || status, COUNT(*) FROM jobs GROUP BY kind, status");
            remediations = groups(db, "SELECT status, COUNT(*) FROM remediations GROUP BY status");
            initiatives = groups(db, "SELECT 'all', COUNT(*) FROM initiatives").getOrDefault("all", 0L);
        }
        System.out.printf(Locale.ROOT, "-- %s result (wall %.0f s, load average %s)%n", label, wall, loadAverage());
        System.out.printf(Locale.ROOT, "findings posts answered 200: %d of %d repositories; initiatives stored: %d of %d%n",
                o.posted().size(), repos, initiatives, expected);
        System.out.printf(Locale.ROOT, "webhook deliveries answered 202: %d, not in the store (lost): %d%s%n",
                balancer.accepted.size(), lost.size(), lost.isEmpty() ? "" : " " + lost.subList(0, Math.min(10, lost.size())));
        System.out.printf(Locale.ROOT, "  (forwarded %d; tries again after a refused, dropped or 5xx attempt or while"
                        + " no replica was up: %d; given up %d; non-202 answers %d)%n",
                balancer.forwarded.get(), balancer.retried.get(), balancer.gaveUp.get(), balancer.otherAnswers.get());
        System.out.printf(Locale.ROOT, "duplicate pull requests (two for one initiative): %d%s%n", duplicates.size(),
                duplicates.isEmpty() ? "" : " " + duplicates.subList(0, Math.min(10, duplicates.size())));
        System.out.printf(Locale.ROOT, "cap violations: %d repositories over cap %s in %d of %d samples (most open in one"
                        + " repository at once: %d)%s%n", sampler.overCap.size(), "" + sampler.mostOpen.get(),
                sampler.violatingSamples.get(), sampler.samples.get(), sampler.mostOpen.get(),
                sampler.overCap.isEmpty() ? "" : " " + sampler.overCap);
        System.out.printf(Locale.ROOT, "initiatives terminal (pull request merged): %d of %d; not terminal: %d%n", merged,
                expected, expected - merged);
        System.out.printf(Locale.ROOT, "kills (kill -9 by PID, then restarted): %d; green ci check runs: %d%n", o.kills(),
                sampler.ciRuns.get());
        System.out.printf(Locale.ROOT, "jobs: %s%nremediations: %s%n", jobs, remediations);
        o.killLog().forEach(k -> System.out.println("  " + k));
    }

    private static Map<String, Long> groups(Database db, String sql) {
        return db.withConnection(c -> {
            Map<String, Long> out = new TreeMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    /** The {@code o}-th organisation: {@code acme}, {@code acme1}, {@code acme2}, … */
    static String org(int o) {
        return o == 0 ? "acme" : "acme" + o;
    }

    /** The organisation repository {@code r} is in (round-robin). */
    static String owner(int r, int orgs) {
        return org(r % orgs);
    }

    private static void seed(LocalGitHub gh, int repos, int cap, int orgs) {
        for (int o = 0; o < orgs; o++) {
            gh.createOrg(org(o));
        }
        for (int r = 0; r < repos; r++) {
            Map<String, String> files = new LinkedHashMap<>();
            for (String[] c : CONTROLS.values()) {
                files.put(c[0], String.format(Locale.ROOT, c[3], "r" + r));
            }
            files.put(".github/fixgate.yml", "mode: autonomous\ncaps: {max_open_pull_requests: " + cap
                    + ", max_pull_requests_per_hour: 20}\n");
            gh.createRepo(owner(r, orgs), "r" + r, "main", files);
            gh.protectBranch(owner(r, orgs), "r" + r, "main", new BranchProtection(List.of("ci"), false, 0, false));
        }
    }

    /**
     * The repository's ({@code owner/name}) five findings in fixgate's own format (one per control, each naming its
     * file and resource).
     */
    static String findings(String repo) {
        List<String> items = new ArrayList<>();
        for (Map.Entry<String, String[]> c : CONTROLS.entrySet()) {
            String[] v = c.getValue();
            items.add("{\"control\":\"" + c.getKey() + "\",\"severity\":\"medium\",\"code\":{\"repo\":\"" + repo
                    + "\",\"path\":\"" + v[0] + "\",\"address\":\"" + v[1] + "." + v[2] + "\",\"type\":\"" + v[1]
                    + "\",\"line\":1}}");
        }
        return "{\"schema\":\"fixgate/findings/v1\",\"tool\":\"checkov\",\"findings\":[" + String.join(",", items) + "]}";
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }

    private ReplicaKillBench() {
    }
}
