package dev.fixgate.bench.locate;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.ingest.ParserRegistry;
import dev.fixgate.app.locate.CloudMap;
import dev.fixgate.app.locate.FindingLocator;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.locate.ResourceTypes;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.playbooks.controls.ControlCatalog;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Code-to-cloud on a deployed TerraGoat: how many of the corpus's Security Hub findings (every ASFF file copied into
 * providers/aws's test resources: the AFSBP findings of aws-solutions/automated-security-response-on-aws and
 * Prowler's ASFF example) locate on the TerraGoat fixture with its state (bot/app's test resources, c2c/README.md),
 * <b>before</b> — names only, what locate did until then — and <b>after</b>: Terraform state, Yor tags, stack tags,
 * then names. Counted twice: any resource block of the repository ({@code any block}), and only blocks of a type
 * the playbook the catalog selects for the finding fixes (what the pipeline does; a finding without a playbook is
 * not located there at all). Prints a Markdown table, one row per finding, and the totals.
 *
 * <pre>./bench run dev.fixgate.bench.locate.LocateBench</pre>
 */
public final class LocateBench {

    /** Relative to the repository root, where ./bench runs: TerraGoat's AWS module and its state (c2c/README.md). */
    static final Path MODULE = Path.of("iac-patchers/src/test/resources/corpus/terragoat/terraform/aws");
    static final Path STATE = Path.of("bot/app/src/test/resources/c2c/terragoat-aws.tfstate");
    static final List<Path> CORPUS = List.of(Path.of("providers/aws/src/test/resources/corpus/asff-securityhub/afsbp"),
            Path.of("providers/aws/src/test/resources/corpus/prowler-asff"));
    /** The fixture's repository: TerraGoat's Yor tags say git_org bridgecrewio, git_repo terragoat. */
    static final String REPOSITORY = "bridgecrewio/terragoat";

    private LocateBench() {
    }

    /** One finding's outcome; {@code before}/{@code after} are {@code located}, a NotFound code, or {@code no playbook}. */
    public record Row(String file, String control, String type, String resource, boolean typeDeployed, String before,
                      String after, String beforeWithPlaybook, String afterWithPlaybook, String via) {
    }

    /**
     * @param stateMillis  reading and indexing the state (the first locate that needs it pays this)
     * @param locateMicros the median time of one locate "after", the state already read
     */
    public record Measurement(List<Row> rows, int stateInstances, long stateMillis, long locateMicros) {
        public long count(java.util.function.Predicate<Row> p) {
            return rows.stream().filter(p).count();
        }
    }

    /** The deployed repository in a temporary directory: the module at terraform/aws with its terraform.tfstate. */
    static Path deployed(Path root) throws IOException {
        Path repo = java.nio.file.Files.createTempDirectory("fixgate-terragoat-");
        Path aws = java.nio.file.Files.createDirectories(repo.resolve("terraform/aws"));
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(root.resolve(MODULE))) {
            for (Path tf : files.filter(p -> p.getFileName().toString().endsWith(".tf")).toList()) {
                java.nio.file.Files.copy(tf, aws.resolve(tf.getFileName().toString()));
            }
        }
        java.nio.file.Files.copy(root.resolve(STATE), aws.resolve("terraform.tfstate"));
        return repo;
    }

    public static Measurement measure(Path root) throws IOException {
        RepoScan scan = RepoScan.of(deployed(root));
        CloudMap before = CloudMap.namesOnly(scan);
        CloudMap after = CloudMap.of(scan, REPOSITORY, RepoConfig.defaults(), StateSources.localOnly());
        long start = System.nanoTime();
        int instances = after.stateInstances();
        long stateMillis = (System.nanoTime() - start) / 1_000_000;
        PlaybookCatalog catalog = PlaybookCatalog.builtIn();
        FindingParser asff = ParserRegistry.discover().require("asff");
        ControlCatalog controls = ControlCatalog.builtIn();
        List<Row> rows = new ArrayList<>();
        List<Long> nanos = new ArrayList<>();
        for (Path file : files(root)) {
            for (Finding f : parse(asff, controls, file)) {
                if (!(f.resource() instanceof CloudResource r)) {
                    continue;
                }
                boolean deployed = ResourceTypes.terraform(r).stream()
                        .anyMatch(t -> scan.resources().stream().anyMatch(l -> l.resource().type().equals(t)));
                FindingLocator.Result b = FindingLocator.locate(before, f, (fmt, t) -> true, "resource");
                long t = System.nanoTime();
                FindingLocator.Result a = FindingLocator.locate(after, f, (fmt, type) -> true, "resource");
                nanos.add(System.nanoTime() - t);
                Optional<Playbook> p = catalog.select(f);
                String bp = p.map(pb -> outcome(FindingLocator.locate(before, f, pb))).orElse("no playbook");
                String ap = p.map(pb -> outcome(FindingLocator.locate(after, f, pb))).orElse("no playbook");
                String via = a instanceof FindingLocator.Result.Found found
                        ? found.located().resource().file() + " " + found.located().resource().address() + " ← " + found.via()
                        : "";
                rows.add(new Row(root.relativize(file).getFileName().toString(), f.sourceControlId(), r.type(), r.id(),
                        deployed, outcome(b), outcome(a), bp, ap, via));
            }
        }
        nanos.sort(null);
        return new Measurement(rows, instances, stateMillis, nanos.isEmpty() ? 0 : nanos.get(nanos.size() / 2) / 1000);
    }

    private static String outcome(FindingLocator.Result r) {
        return switch (r) {
            case FindingLocator.Result.Found f -> "located";
            case FindingLocator.Result.NotFound nf -> nf.code().replace("locate.", "");
        };
    }

    private static List<Path> files(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path dir : CORPUS) {
            try (Stream<Path> s = Files.list(root.resolve(dir))) {
                s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    private static List<Finding> parse(FindingParser asff, ControlCatalog controls, Path file) {
        List<Finding> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            asff.parse(in, new ParseContext(file.toString(), controls, Instant.parse("2026-12-07T00:00:00Z"),
                    ParseLimits.defaults()), new FindingParser.Sink() {
                        @Override
                        public void finding(Finding f) {
                            out.add(f);
                        }

                        @Override
                        public void rejected(SourceLocation where, String code, String reason) {
                            throw new IllegalStateException(where + ": " + reason + " [" + code + "]");
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static void main(String[] args) throws IOException {
        Measurement m = measure(Path.of(args.length > 0 ? args[0] : "."));
        System.out.println("| file | control | resource | TerraGoat deploys its type | before (any block) | after (any block)"
                + " | before (playbook) | after (playbook) | found at ← by |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : m.rows()) {
            System.out.printf("| %s | %s | `%s` | %s | %s | %s | %s | %s | %s |%n", r.file(), r.control(), r.resource(),
                    r.typeDeployed() ? "yes" : "no", r.before(), r.after(), r.beforeWithPlaybook(), r.afterWithPlaybook(),
                    r.via().replace("|", "\\|"));
        }
        long n = m.rows().size();
        long deployed = m.count(Row::typeDeployed);
        long withPlaybook = m.count(r -> !r.afterWithPlaybook().equals("no playbook"));
        System.out.printf("%nfindings: %d; of a resource type TerraGoat deploys: %d; with a playbook in the catalog: %d%n",
                n, deployed, withPlaybook);
        System.out.printf("located, any block:       before %d / %d, after %d / %d%n",
                m.count(r -> r.before().equals("located")), n, m.count(r -> r.after().equals("located")), n);
        System.out.printf("located, for the playbook: before %d / %d, after %d / %d%n",
                m.count(r -> r.beforeWithPlaybook().equals("located")), withPlaybook,
                m.count(r -> r.afterWithPlaybook().equals("located")), withPlaybook);
        System.out.printf("state: %d instances read and indexed in %d ms; one locate (after): median %d µs%n",
                m.stateInstances(), m.stateMillis(), m.locateMicros());
    }
}
