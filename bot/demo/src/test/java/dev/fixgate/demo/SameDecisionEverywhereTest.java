package dev.fixgate.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.app.enrich.EvidenceFile;
import dev.fixgate.app.enrich.EvidenceIndex;
import dev.fixgate.app.cli.Main;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.config.ServiceConfigLoader;
import dev.fixgate.app.github.GitHubAppCredentials;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.RateLimitPolicy;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.ingest.Input;
import dev.fixgate.app.jobs.WorkerSettings;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.pipeline.RemediateJobHandler;
import dev.fixgate.app.pipeline.RemediationResult;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.wiring.FixgateService;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import dev.fixgate.spi.finding.InitiativeId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The same inputs get the same decision from {@code fixgate assess}, {@code fixgate plan} and the service — the
 * {@link FixgateService} that {@code fixgate serve} and {@code fixgate demo} both run (ingest → remediation job →
 * the pipeline, against a GitHub). Over the demo's repository with its Security Hub and Checkov findings and
 * evidence, and the seed's S3-HTTPS scenario (an empty bucket, one served 100 % over HTTPS, one with 45 plain-HTTP
 * requests in 90 days): any non-empty subset of the findings, in any order.
 */
class SameDecisionEverywhereTest {

    private static final long APP_ID = 5151;
    private static final String SEED_ACCOUNT = "222222222222";

    private static LocalGitHub gh;
    private static GitHubClients clients;
    private static Path root;

    /** One scenario: a repository, its findings (one JSON document each), its evidence. */
    record Scenario(String repo, Map<String, String> files, List<JsonNode> findings, String findingsWrapper,
                    JsonNode evidence, boolean withCheckov) {
    }

    /** What every path must agree on for one fix (keyed {@code playbook file:address}). */
    record Decision(String rci, double confidence, String gate, String action) {
    }

    @BeforeContainer
    static void github() throws Exception {
        root = Files.createTempDirectory("fixgate-same-decision");
        gh = LocalGitHub.start(LocalGitHubOptions.in(root.resolve("github")));
        gh.createOrg("acme");
        gh.createRepo("acme", "infra", "main", DemoLoop.repoFiles());
        gh.createRepo("acme", "seed", "main", seed().files());
        KeyPair key = LocalGitHub.generateAppKey();
        gh.registerApp(APP_ID, "fixgate", key.getPublic(), null, null);
        gh.installApp(APP_ID, "acme");
        Clock clock = Clock.systemUTC();
        clients = new GitHubClients(URI.create(gh.apiUrl()),
                GitHubAppCredentials.of(APP_ID, Secret.of(LocalGitHub.pem(key.getPrivate()))), clock,
                RateLimitPolicy.defaults(clock));
    }

    @AfterContainer
    static void stop() {
        if (gh != null) {
            gh.close();
        }
    }

    private static Scenario demo() throws IOException {
        JsonNode asff = read(DemoLoop.resource("findings/01-securityhub.asff.json"));
        List<JsonNode> findings = new ArrayList<>();
        asff.get("Findings").forEach(findings::add);
        return new Scenario("infra", DemoLoop.repoFiles(), findings, "Findings", read(DemoLoop.resource("evidence.json")),
                true);
    }

    private static Scenario seed() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("main.tf", text("/seed/main.tf"));
        // the seed's own configuration without its change window, so the decision does not depend on the hour
        files.put(".github/fixgate.yml", "mode: autonomous\nreviewers: {teams: [acme/platform]}\naccounts: [\""
                + SEED_ACCOUNT + "\"]\n");
        List<JsonNode> findings = new ArrayList<>();
        read(SameDecisionEverywhereTest.class.getResourceAsStream("/seed/findings.json")).get("findings")
                .forEach(f -> {
                    ((ObjectNode) f.get("resource")).put("account", SEED_ACCOUNT); // the seed repository's account
                    findings.add(f);
                });
        return new Scenario("seed", files, findings, "findings",
                read(SameDecisionEverywhereTest.class.getResourceAsStream("/seed/evidence.json")), false);
    }

    @Provide
    Arbitrary<Scenario> cases() {
        return Arbitraries.of("demo", "seed").flatMap(name -> {
            Scenario s;
            try {
                s = name.equals("demo") ? demo() : seed();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            int n = s.findings().size();
            Arbitrary<List<JsonNode>> subset = Arbitraries.integers().between(0, n - 1).set().ofMinSize(1).ofMaxSize(n)
                    .flatMap(indexes -> Arbitraries.just(new ArrayList<>(indexes)).flatMap(l ->
                            Arbitraries.shuffle(l).map(order -> order.stream().map(s.findings()::get).toList())));
            Arbitrary<Boolean> checkov = s.withCheckov() ? Arbitraries.of(true, false) : Arbitraries.just(false);
            return Combinators.combine(subset, checkov).as((f, c) -> new Scenario(s.repo(), s.files(), f,
                    s.findingsWrapper(), s.evidence(), c));
        });
    }

    @Property(tries = 15, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void assessPlanAndTheServiceDecideAlike(@ForAll("cases") Scenario s) throws Exception {
        Path dir = Files.createTempDirectory(root, "try");
        List<String> findingFiles = write(dir, s);

        Map<String, Decision> assessed = assess(dir, findingFiles);
        Map<String, Decision> planned = plan(dir, findingFiles);
        Map<String, Decision> served = serve(dir, findingFiles);

        assertThat(assessed).as("assess decided something").isNotEmpty();
        assertThat(served).as("the service (serve, demo) against assess").isEqualTo(assessed);
        // plan prints the RCI level and the action, not the confidence or the gate's verdict
        Map<String, Decision> assessedForPlan = new LinkedHashMap<>();
        assessed.forEach((k, d) -> assessedForPlan.put(k, new Decision(d.rci(), 0, "", d.action())));
        assertThat(planned).as("plan against assess").isEqualTo(assessedForPlan);
    }

    /** The repository checkout, the findings files (the subset, in order) and fresh evidence. */
    private static List<String> write(Path dir, Scenario s) throws IOException {
        for (Map.Entry<String, String> f : s.files().entrySet()) {
            Path p = dir.resolve("repo").resolve(s.repo()).resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        ObjectNode doc = Json.mapper().createObjectNode();
        if (s.findingsWrapper().equals("findings")) {
            doc.put("schema", "fixgate/findings/v1").put("tool", "acme-scanner");
        }
        ArrayNode list = doc.putArray(s.findingsWrapper());
        s.findings().forEach(list::add);
        List<String> files = new ArrayList<>(List.of("findings.json"));
        Files.writeString(dir.resolve("findings.json"), Json.mapper().writeValueAsString(doc));
        if (s.withCheckov()) {
            try (InputStream in = DemoLoop.resource("findings/02-checkov.sarif")) {
                Files.write(dir.resolve("checkov.sarif"), in.readAllBytes());
            }
            files.add("checkov.sarif");
        }
        // observed a day ago, so no path sees it as stale
        ObjectNode evidence = s.evidence().deepCopy();
        String observed = Clock.systemUTC().instant().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString();
        evidence.path("evidence").forEach(e -> ((ObjectNode) e).put("observedAt", observed));
        Files.writeString(dir.resolve("evidence.json"), Json.mapper().writeValueAsString(evidence));
        Files.writeString(dir.resolve("repo-name"), s.repo());
        return files;
    }

    private static Map<String, Decision> assess(Path dir, List<String> findings) throws IOException {
        List<String> args = new ArrayList<>(List.of("assess", "--repo", "repo/" + repoName(dir), "--findings"));
        args.addAll(findings);
        args.addAll(List.of("--evidence", "evidence.json", "--json"));
        JsonNode out = Json.mapper().readTree(cli(dir, args));
        Map<String, Decision> m = new LinkedHashMap<>();
        out.get("initiatives").forEach(i -> i.get("resources").forEach(r -> m.put(r.get("playbook").asText() + " "
                + r.get("file").asText() + ":" + r.get("address").asText(), new Decision(r.at("/rci/level").asText(), r.at("/rci/confidence").asDouble(),
                r.at("/gate/decision").asText(), r.get("action").asText()))));
        return m;
    }

    private static Map<String, Decision> plan(Path dir, List<String> findings) throws IOException {
        List<String> args = new ArrayList<>(List.of("plan", "--repo", "repo/" + repoName(dir), "--findings"));
        args.addAll(findings);
        args.addAll(List.of("--evidence", "evidence.json", "--json"));
        JsonNode out = Json.mapper().readTree(cli(dir, args));
        Map<String, Decision> m = new LinkedHashMap<>();
        out.get("results").forEach(r -> {
            if (r.has("action")) {
                m.put(r.get("playbook").asText() + " " + r.get("file").asText() + ":" + r.get("resource").asText(),
                        new Decision(r.get("rci").asText(), 0, "", r.get("action").asText()));
            }
        });
        return m;
    }

    /** The service as serve and the demo assemble it, on a fresh database: ingest, then its remediation jobs. */
    private static Map<String, Decision> serve(Path dir, List<String> findings) throws Exception {
        Set<String> kinds = new LinkedHashSet<>();
        Wiring.catalog().all().forEach(p -> p.risk().evidence().forEach(r -> kinds.add(r.kind())));
        EvidenceIndex evidence = new EvidenceIndex(EvidenceFile.read(dir.resolve("evidence.json"), kinds).observations());
        List<RemediateJobHandler.Report> reports = new CopyOnWriteArrayList<>();
        Set<InitiativeId> queued = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Clock clock = Clock.systemUTC();
        try (Database db = Database.open(Database.embeddedUrl(dir.resolve("db")), "", Secret.none(), 4);
             FixgateService service = FixgateService.from(ServiceConfigLoader.load(Optional.empty(), dir, Map.of()), db, clock)
                     .github(clients, APP_ID, "fixgate[bot]", Secret.of("unused-webhook-secret-0123456789"))
                     .workDir(dir.resolve("work"))
                     .evidence(dev.fixgate.app.enrich.EvidenceSource.of(evidence))
                     .workers(WorkerSettings.defaults(2).withPollInterval(Duration.ofMillis(50)))
                     .onRemediated(reports::add)
                     .onQueued(queued::add)
                     .build().start()) {
            Intake intake = service.intake();
            intake.run(findings.stream().<Intake.Source>map(name -> () -> Input.of(name,
                    Files.newInputStream(dir.resolve(name)))).toList(), Optional.empty(), "test", b -> { });
            await().atMost(Duration.ofSeconds(60)).until(() -> reports.stream().map(RemediateJobHandler.Report::initiative)
                    .collect(java.util.stream.Collectors.toSet()).containsAll(queued));
        }
        Map<String, Decision> m = new LinkedHashMap<>();
        for (RemediateJobHandler.Report r : reports) {
            for (RemediationResult res : r.results()) {
                m.put(res.subject().playbook().id() + " " + res.location(), new Decision(res.rci().level().name(), res.rci().confidence(),
                        res.decision().gate().decisionId(), res.action().id()));
            }
        }
        return m;
    }

    private static String repoName(Path dir) throws IOException {
        return Files.readString(dir.resolve("repo-name"));
    }

    private static String cli(Path dir, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", dir.resolve("home").toString()),
                dir, Clock.systemUTC());
        assertThat(err.toString(StandardCharsets.UTF_8)).as(String.join(" ", args)).isEmpty();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode read(InputStream in) throws IOException {
        try (in) {
            return Json.mapper().readTree(in);
        }
    }

    private static String text(String resource) throws IOException {
        try (InputStream in = SameDecisionEverywhereTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
