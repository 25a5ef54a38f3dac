package dev.fixgate.app.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.prevent.Checker;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.PlaybookCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The independent tools over what fixgate writes, for every playbook and every corpus in the repository:
 * <ul>
 *   <li>every playbook fixture (before and after) passes HashiCorp's HCL parser or the CloudFormation resource
 *       specification checker ({@code scripts/validators/install.sh});</li>
 *   <li>patched Terraform is {@code terraform fmt}-clean wherever the input was: {@code hclfmt} (hcl/v2's
 *       {@code hclwrite.Format}, the formatter {@code terraform fmt} uses, built from Debian's Go packages by
 *       {@code install.sh --with-go}) over the input and the output of planning every corpus repository.</li>
 * </ul>
 * Each part is skipped, saying why, when its tool is not installed — and fails instead under
 * {@code FIXGATE_REQUIRE_VALIDATORS=1} (CI installs them).
 */
class CorpusValidatorsIT {

    static final Path VALIDATORS = Path.of("").toAbsolutePath().getParent().getParent().resolve(".validators");

    @TempDir
    Path tmp;

    static Path require(Path tool, String what) {
        boolean present = Files.isRegularFile(tool);
        if (!present && "1".equals(System.getenv("FIXGATE_REQUIRE_VALIDATORS"))) {
            fail("FIXGATE_REQUIRE_VALIDATORS=1 but " + what + " is not installed at " + tool
                    + "; run: bash scripts/validators/install.sh --with-go");
        }
        Assumptions.assumeTrue(present, what + " is not installed at " + tool
                + " (bash scripts/validators/install.sh --with-go); skipping this check");
        return tool;
    }

    /** hclfmt: {@code FIXGATE_HCLFMT}, else {@code <repo>/.validators/bin/hclfmt}. */
    static Path hclfmt() {
        String env = System.getenv("FIXGATE_HCLFMT");
        return require(env != null && !env.isBlank() ? Path.of(env) : VALIDATORS.resolve("bin/hclfmt"),
                "hclfmt (terraform fmt's formatter, built from Debian's hcl/v2 Go packages)");
    }

    @Test
    void everyPlaybookFixtureIsAcceptedByTheRealParsers() throws Exception {
        require(VALIDATORS.resolve("hcl2json-check.js"), "HashiCorp's HCL parser (hcl2json-check.js)");
        List<Path> tf = new ArrayList<>();
        List<Path> cfn = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Corpora.CATALOG)) {
            s.filter(Files::isRegularFile).filter(p -> p.toString().contains("/fixtures/")).forEach(p -> {
                String n = p.getFileName().toString();
                if (p.toString().contains("/fixtures/terraform/") && n.endsWith(".tf")) {
                    tf.add(p.toAbsolutePath());
                } else if (p.toString().contains("/fixtures/cloudformation/")
                        && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"))) {
                    cfn.add(p.toAbsolutePath());
                }
            });
        }
        assertThat(tf).hasSizeGreaterThan(50);
        assertThat(cfn).hasSizeGreaterThan(20);
        node("hcl2json-check.js", tf);
        node("cfn-props-check.js", cfn);
    }

    @Test
    void patchedTerraformIsFmtCleanWhereTheInputWas() throws Exception {
        Path hclfmt = hclfmt();
        Checker checker = new Checker(PlaybookCatalog.builtIn(), new Detector());
        Planner planner = Planner.standard();
        List<Path[]> pairs = new ArrayList<>();
        int n = 0;
        for (Corpora.Repo r : Corpora.all()) {
            if (r.files().stream().noneMatch(f -> f.toString().endsWith(".tf"))) {
                continue;
            }
            Path in = r.materialise(tmp.resolve("in/" + n));
            Path out = tmp.resolve("out/" + n++);
            RepoScan scan = RepoScan.of(in);
            List<Planner.Item> items = checker.check(scan, Map.of()).failures().stream()
                    .map(f -> planner.plan(new Planner.Request(f.playbook(), f.target(), "check"), Map.of())).toList();
            Planner.Result result = planner.compose(items, Map.of());
            for (var e : result.changed().entrySet()) {
                if (e.getKey().endsWith(".tf")) {
                    Path o = out.resolve(e.getKey());
                    Files.createDirectories(o.getParent());
                    Files.writeString(o, e.getValue(), StandardCharsets.UTF_8);
                    pairs.add(new Path[] {in.resolve(e.getKey()), o, Path.of(r.corpus() + ": " + r.name())});
                }
            }
        }
        assertThat(pairs).as("patched Terraform files").hasSizeGreaterThan(100);
        Map<String, Boolean> inputs = formatted(hclfmt, pairs.stream().map(p -> p[0]).toList());
        Map<String, Boolean> outputs = formatted(hclfmt, pairs.stream().map(p -> p[1]).toList());
        List<String> broken = new ArrayList<>();
        int clean = 0;
        for (Path[] p : pairs) {
            if (Boolean.TRUE.equals(inputs.get(p[0].toString()))) {
                clean++;
                if (!Boolean.TRUE.equals(outputs.get(p[1].toString()))) {
                    broken.add(p[2] + " " + p[0].getFileName() + ":\n" + diff(p[0], p[1], hclfmt));
                }
            }
        }
        assertThat(clean).as("fmt-clean inputs that were patched").isGreaterThan(20);
        assertThat(broken).as("patched files that terraform fmt would change although their input was clean").isEmpty();
    }

    /** file → whether hclfmt finds it formatted. */
    private static Map<String, Boolean> formatted(Path hclfmt, List<Path> files) throws Exception {
        Map<String, Boolean> out = new java.util.HashMap<>();
        for (int i = 0; i < files.size(); i += 200) {
            List<String> cmd = new ArrayList<>(List.of(hclfmt.toString()));
            files.subList(i, Math.min(files.size(), i + 200)).forEach(f -> cmd.add(f.toString()));
            String stdout = run(cmd, null).stdout;
            for (String line : stdout.lines().toList()) {
                if (line.startsWith("{")) {
                    JsonNode j = Json.mapper().readTree(line);
                    out.put(j.path("file").asText(), j.path("formatted").asBoolean());
                }
            }
        }
        return out;
    }

    /** What terraform fmt would change in the output, as the lines around the first difference. */
    private static String diff(Path in, Path out, Path hclfmt) throws Exception {
        Path copy = Files.createTempFile("fmt", ".tf");
        Files.copy(out, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        run(List.of(hclfmt.toString(), "-w", copy.toString()), null);
        List<String> a = Files.readAllLines(out);
        List<String> b = Files.readAllLines(copy);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.max(a.size(), b.size()) && sb.length() < 2000; i++) {
            String x = i < a.size() ? a.get(i) : "";
            String y = i < b.size() ? b.get(i) : "";
            if (!x.equals(y)) {
                sb.append("  line ").append(i + 1).append(": written  |").append(x).append("|\n")
                        .append("          fmt wants |").append(y).append("|\n");
            }
        }
        return sb.toString();
    }

    private static void node(String script, List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("node", VALIDATORS.resolve(script).toString()));
        files.forEach(f -> cmd.add(f.toString()));
        Run r = run(cmd, Map.of("NODE_PATH", VALIDATORS.resolve("node_modules").toString()));
        assertThat(r.stdout).as(script + " over every playbook fixture").containsPattern("(?m)^\\d+ passed, 0 failed$");
        assertThat(r.exit).as(r.stdout).isZero();
    }

    record Run(int exit, String stdout) {
    }

    private static Run run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (env != null) {
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(cmd.get(0) + " did not finish in 5 minutes");
        }
        return new Run(p.exitValue(), out);
    }
}
