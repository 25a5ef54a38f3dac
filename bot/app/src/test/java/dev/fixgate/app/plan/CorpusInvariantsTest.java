package dev.fixgate.app.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.prevent.Checker;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.PlaybookCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invariants between {@code check} and {@code plan}, over every corpus in the repository ({@link Corpora}: the
 * KICS samples, TerraGoat and every playbook's fixtures, whoever added them):
 * <ol>
 *   <li>{@code detect} never errors;</li>
 *   <li>a resource {@code check} reports failing is never "already-compliant" in {@code plan}: it is fixed, or
 *       refused with a code and a reason;</li>
 *   <li>every failing resource of a file is fixed in one plan (no fix is lost putting them together);</li>
 *   <li>re-applying the fixes to their own output changes nothing, and {@code check} then passes the fixed
 *       resources (OpenRewrite's two cycles);</li>
 *   <li>every reference a fix adds resolves in the module or template ({@link References}).</li>
 * </ol>
 * A per-corpus tally lands in {@code target/corpus-report/invariants.md}.
 */
class CorpusInvariantsTest {

    static final PlaybookCatalog CATALOG = PlaybookCatalog.builtIn();
    static final Checker CHECKER = new Checker(CATALOG, new Detector());
    static final Planner PLANNER = Planner.standard();
    static final Map<String, int[]> TALLY = new TreeMap<>(); // corpus → repos, failing, patched, refused
    static final Map<String, Integer> CODES = new TreeMap<>(); // refusal or declaration code → count
    static final List<String> REFUSED = new ArrayList<>();

    @TempDir
    static Path tmp;

    @TestFactory
    Stream<DynamicTest> everyCorpus() {
        List<Corpora.Repo> repos = Corpora.all();
        assertThat(repos).hasSizeGreaterThan(300);
        int[] n = {0};
        return repos.stream().map(r -> DynamicTest.dynamicTest(r.corpus() + ": " + r.name(),
                () -> invariants(r, tmp.resolve("r" + n[0]++))));
    }

    static void invariants(Corpora.Repo r, Path dir) throws IOException {
        Path repo = r.materialise(dir.resolve("in"));
        RepoScan scan = RepoScan.of(repo);
        Checker.Report report = CHECKER.check(scan, Map.of());
        List<String> violations = new ArrayList<>();
        report.errors().stream().filter(e -> e.code().equals("check.detect-error"))
                .forEach(e -> violations.add("detect errors: " + e));

        List<Checker.Result> failing = report.failures();
        List<Planner.Item> items = new ArrayList<>();
        for (Checker.Result f : failing) {
            Planner.Item it = PLANNER.plan(new Planner.Request(f.playbook(), f.target(), "check"), Map.of());
            items.add(it);
            String what = f.playbook().id() + " on " + f.resource() + " (" + f.file() + ")";
            if (it.status() == Planner.Status.ALREADY_COMPLIANT) {
                violations.add("check fails but plan says already-compliant: " + what + ": " + it.reason());
            } else if (it.status() == Planner.Status.CANNOT_PATCH && (it.code().isBlank() || it.reason().isBlank())) {
                violations.add("refused without a code and a reason: " + what);
            }
        }
        Planner.Result composed = PLANNER.compose(items, Map.of());
        composed.items().stream().filter(i -> i.code().equals("plan.overlapping-fixes"))
                .forEach(i -> violations.add("lost when fixes were put together: " + i.request().playbook().id()
                        + " on " + i.request().target().resource().address() + ": " + i.reason()));
        long patched = composed.items().stream().filter(i -> i.status() == Planner.Status.PATCHED).count();
        synchronized (TALLY) {
            for (Planner.Item i : composed.items()) {
                if (!i.code().isEmpty()) {
                    CODES.merge(i.code(), 1, Integer::sum);
                }
                if (i.status() == Planner.Status.CANNOT_PATCH) {
                    REFUSED.add("| " + r.corpus() + " | " + r.name() + " | " + i.request().playbook().id() + " | "
                            + i.request().target().resource().address() + " | " + i.code() + " | "
                            + i.reason().replace("|", "\\|").replace("\n", " ") + " |");
                }
            }
            int[] t = TALLY.computeIfAbsent(r.corpus(), k -> new int[4]);
            t[0]++;
            t[1] += failing.size();
            t[2] += (int) patched;
            t[3] += failing.size() - (int) patched;
        }

        if (!composed.changed().isEmpty()) {
            // write the fixed repository and run both commands again over it
            Path fixed = dir.resolve("out");
            Files.createDirectories(fixed);
            for (Path f : r.files()) {
                String name = f.getFileName().toString();
                String text = composed.changed().getOrDefault(name, Files.readString(f, StandardCharsets.UTF_8));
                Files.writeString(fixed.resolve(name), text, StandardCharsets.UTF_8);
            }
            Map<String, String> before = new LinkedHashMap<>();
            Map<String, String> after = new LinkedHashMap<>();
            for (Path f : r.files()) {
                String name = f.getFileName().toString();
                before.put(name, Files.readString(f, StandardCharsets.UTF_8));
                after.put(name, Files.readString(fixed.resolve(name), StandardCharsets.UTF_8));
            }
            violations.addAll(References.unresolved(before, after));
            RepoScan again = RepoScan.of(fixed);
            Checker.Report second = CHECKER.check(again, Map.of());
            Set<String> fixedKeys = composed.items().stream().filter(i -> i.status() == Planner.Status.PATCHED)
                    .map(i -> i.request().playbook().id() + " " + i.request().target().resource().address())
                    .collect(Collectors.toSet());
            for (Checker.Result f : second.failures()) {
                String key = f.playbook().id() + " " + f.resource();
                if (fixedKeys.contains(key)) {
                    violations.add("still failing after its fix: " + key);
                }
            }
            for (Checker.Result f : second.results()) {
                String key = f.playbook().id() + " " + f.resource();
                if (!fixedKeys.contains(key)) {
                    continue;
                }
                Planner.Item twice = PLANNER.plan(new Planner.Request(f.playbook(), f.target(), "check"), Map.of());
                if (twice.status() == Planner.Status.PATCHED) {
                    violations.add("the second cycle changes " + key + " again:\n" + twice.diff());
                }
            }
        }
        assertThat(violations).as(r.corpus() + ": " + r.name()).isEmpty();
    }

    @AfterAll
    static void report() throws IOException {
        Path out = Path.of("target/corpus-report/invariants.md");
        Files.createDirectories(out.getParent());
        StringBuilder sb = new StringBuilder("| corpus | repositories | failing resources | fixed | refused |\n|---|---|---|---|---|\n");
        Map<String, int[]> copy;
        synchronized (TALLY) {
            copy = new LinkedHashMap<>(TALLY);
        }
        copy.forEach((k, t) -> sb.append("| ").append(k).append(" | ").append(t[0]).append(" | ").append(t[1])
                .append(" | ").append(t[2]).append(" | ").append(t[3]).append(" |\n"));
        sb.append("\n| code | items |\n|---|---|\n");
        CODES.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        sb.append("\n| corpus | case | playbook | resource | code | reason |\n|---|---|---|---|---|---|\n");
        REFUSED.stream().sorted().forEach(l -> sb.append(l).append("\n"));
        Files.writeString(out, sb.toString());
    }
}
