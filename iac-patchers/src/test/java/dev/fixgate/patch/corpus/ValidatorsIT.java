package dev.fixgate.patch.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.fixgate.patch.corpus.CorpusRunner.Outcome;
import dev.fixgate.spi.iac.IacFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The validator tier: every file the corpus runs patched is handed to independent tools — HashiCorp's HCL parser
 * (hcl2json, Go compiled to wasm) for Terraform and the CloudFormation resource specification checker for
 * templates — installed by {@code scripts/validators/install.sh} into {@code <repo>/.validators}. Without them the
 * tier is skipped, unless {@code FIXGATE_REQUIRE_VALIDATORS=1} (CI), where their absence fails the build.
 * Multi-document YAML samples are split per document first, as the checker reads one template per file.
 */
class ValidatorsIT {

    private static final Pattern TALLY = Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$");
    private static final Path OUT = Path.of("target/validator-input");

    static Path validators;

    /** Fails (CI) or skips the test, with the reason, when the validators are not installed. */
    static void findValidators() {
        Path dir = Path.of("").toAbsolutePath().getParent().resolve(".validators");
        boolean present = Files.isRegularFile(dir.resolve("hcl2json-check.js"))
                && Files.isDirectory(dir.resolve("node_modules/@cdktf/hcl2json"));
        if (!present && "1".equals(System.getenv("FIXGATE_REQUIRE_VALIDATORS"))) {
            fail("FIXGATE_REQUIRE_VALIDATORS=1 but no validators in " + dir
                    + "; run: bash scripts/validators/install.sh " + dir);
        }
        Assumptions.assumeTrue(present, "validators not installed in " + dir
                + " (bash scripts/validators/install.sh); skipping the validator tier");
        validators = dir;
    }

    @Test
    void everyPatchedCorpusFileIsAcceptedByTheRealTools() throws Exception {
        findValidators();
        List<CorpusPatches.Attempt> attempts = new ArrayList<>(CorpusPatches.kicsPositives());
        attempts.addAll(CorpusPatches.terragoat());
        deleteTree(OUT);
        int tf = 0;
        int cfn = 0;
        int i = 0;
        for (CorpusPatches.Attempt a : attempts) {
            if (!(a.outcome() instanceof Outcome.Fixed f)) {
                continue;
            }
            String base = String.format("%04d-%s-%s", i++, a.corpus(), a.file().replaceAll("[^A-Za-z0-9.]+", "_"));
            if (a.format() == IacFormat.TERRAFORM) {
                write(OUT.resolve("tf").resolve(base), f.text());
                write(OUT.resolve("tf-original").resolve(base), a.original());
                tf++;
            } else {
                cfn += writeTemplates(OUT.resolve("cfn"), base, f.text(), a.format());
                writeTemplates(OUT.resolve("cfn-original"), base, a.original(), a.format());
            }
        }
        assertThat(tf).as("patched Terraform files").isGreaterThan(50);
        int generated = 0;
        for (String text : dev.fixgate.patch.PatchProperties.sampleTerraformOutputs(300)) {
            write(OUT.resolve("tf").resolve(String.format("gen-%04d.tf", generated++)), text);
        }
        assertThat(generated).as("generated outputs that changed").isGreaterThan(200);
        tf += generated;
        assertThat(cfn).as("patched CloudFormation templates").isGreaterThan(30);

        Tally hcl = run("hcl2json-check.js", OUT.resolve("tf"));
        Tally spec = run("cfn-props-check.js", OUT.resolve("cfn"));
        Tally specBefore = run("cfn-props-check.js", OUT.resolve("cfn-original"));
        String summary = "hcl2json: " + hcl.passed + " passed, " + hcl.failed + " failed\n"
                + "cfn-props-check (patched): " + spec.passed + " passed, " + spec.failed + " failed\n"
                + "cfn-props-check (originals): " + specBefore.passed + " passed, " + specBefore.failed + " failed\n";
        Files.writeString(Path.of("target/corpus-report/validators.md"), "# Validators\n\n" + summary);
        System.out.print(summary);
        assertThat(hcl.failed).as("HashiCorp's parser rejected patched files:\n%s", hcl.output).isZero();
        assertThat(hcl.passed).isEqualTo(tf);
        // A patch must never make a template invalid: it may not fix one that was invalid before it.
        assertThat(spec.failed).as("the resource spec rejects patched templates:\n%s", spec.output)
                .isLessThanOrEqualTo(specBefore.failed);
        assertThat(spec.output.lines().filter(l -> l.startsWith("INVALID") || l.startsWith("PARSE-ERROR")).toList())
                .as("patched templates that fail").allSatisfy(l -> assertThat(specBefore.output)
                        .contains(l.replace("/cfn/", "/cfn-original/")));
    }

    private static int writeTemplates(Path dir, String base, String text, IacFormat format) throws IOException {
        if (format == IacFormat.CLOUDFORMATION_JSON) {
            write(dir.resolve(base), text);
            return 1;
        }
        String[] docs = text.split("(?m)^---\\s*$");
        int n = 0;
        for (String d : docs) {
            if (!d.isBlank()) {
                write(dir.resolve(base.replaceFirst("\\.(ya?ml|template)$", "") + "-doc" + n++ + ".yaml"), d);
            }
        }
        return n;
    }

    private record Tally(int passed, int failed, String output) {
    }

    private static Tally run(String script, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", validators.resolve(script).toString(), dir.toAbsolutePath().toString())
                .redirectErrorStream(true);
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
