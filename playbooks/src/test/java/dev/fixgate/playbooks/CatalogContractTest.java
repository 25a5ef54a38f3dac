package dev.fixgate.playbooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.patch.model.IacModel;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.controls.ControlCatalog;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Walks every playbook folder under {@code playbooks/catalog} and holds it to the contract: schema-valid manifest
 * with id == folder (checked by loading the catalog), a README, at least one failing and one passing fixture per
 * format; every failing fixture is fixed into its {@code after} byte for byte and then satisfies {@code detect};
 * every passing fixture satisfies {@code detect} and is left unchanged; every sample finding selects the playbook;
 * every tool id resolves, through the control catalog, to one of the playbook's controls.
 */
class CatalogContractTest {

    static final Path ROOT = Path.of("catalog");
    static final PlaybookCatalog CATALOG = PlaybookCatalog.load(ROOT);
    static final Detector DETECTOR = new Detector();
    static final Fixer FIXER = Fixer.standard();
    static final ControlCatalog CONTROLS = ControlCatalog.builtIn();
    /** How the app compiles a verify rule's {@code when}: a boolean over one dynamic {@code value}. */
    static final dev.cel.compiler.CelCompiler VERIFY_CEL = dev.cel.compiler.CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
            .addVar("value", dev.cel.common.types.SimpleType.DYN).setResultType(dev.cel.common.types.SimpleType.BOOL)
            .build();

    @Test
    void theBuiltInCatalogIsTheFolderCatalog() {
        assertThat(PlaybookCatalog.builtIn().all()).extracting(Playbook::id)
                .containsExactlyElementsOf(CATALOG.all().stream().map(Playbook::id).toList());
    }

    @TestFactory
    Stream<DynamicNode> everyPlaybook() {
        return CATALOG.all().stream().map(p -> DynamicContainer.dynamicContainer(p.id(), contract(p)));
    }

    private Stream<DynamicNode> contract(Playbook p) {
        Path folder = Path.of(p.folder());
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("README.md", () -> assertThat(folder.resolve("README.md"))
                .as("every playbook explains itself").isRegularFile()));
        tests.add(DynamicTest.dynamicTest("every parameter is declared", () -> {
            // name, type, description, default and example, as OpenRewrite's @Option: what `fixgate playbooks show`
            // prints and what a repository's playbooks.<id>.params is checked against
            for (Playbook.Param param : p.declaredParams()) {
                assertThat(param.description()).as("%s: description of param %s", p.id(), param.name()).isNotBlank();
                assertThat(param.type()).as("%s: type of param %s", p.id(), param.name()).isIn(Playbook.PARAM_TYPES);
                assertThat(param.check(param.defaultValue())).as("%s: default of %s", p.id(), param.name()).isEmpty();
                assertThat(param.check(param.example())).as("%s: example of %s", p.id(), param.name()).isEmpty();
                assertThat(p.resolveParams(Map.of(param.name(), param.example()))).containsKey(param.name());
            }
        }));
        tests.add(DynamicTest.dynamicTest("tool ids resolve to its controls", () -> {
            p.toolIds().forEach((tool, ids) -> ids.forEach(id -> assertThat(CONTROLS.resolve(tool, id))
                    .as("%s id %s", tool, id).isIn(p.controls())));
        }));
        tests.add(DynamicTest.dynamicTest("fixgate check's SARIF rule id (the playbook id) maps to its first control",
                () -> assertThat(CONTROLS.resolve("fixgate", p.id())).as("controls/*.yaml tools.fixgate must list %s"
                        + " under %s, so fixgate's own SARIF ingests mapped", p.id(), p.controls().getFirst())
                        .isEqualTo(p.controls().getFirst())));
        tests.add(DynamicTest.dynamicTest("evidence kinds are registered for its cloud", () -> p.risk().evidence()
                .forEach(rule -> assertThat(dev.fixgate.spi.evidence.EvidenceKinds.spec(rule.kind()))
                        .as("%s names evidence kind %s; register it in the SPI's EvidenceKinds", p.id(), rule.kind())
                        .hasValueSatisfying(spec -> assertThat(spec.clouds()).as("clouds answering %s", rule.kind())
                                .contains(p.cloud())))));
        tests.add(DynamicTest.dynamicTest("verify rules read registered kinds and compile", () -> p.verify()
                .forEach(rule -> {
                    assertThat(dev.fixgate.spi.evidence.EvidenceKinds.spec(rule.kind()))
                            .as("%s verifies with evidence kind %s; register it in the SPI's EvidenceKinds", p.id(),
                                    rule.kind())
                            .hasValueSatisfying(spec -> assertThat(spec.clouds()).contains(p.cloud()));
                    var compiled = VERIFY_CEL.compile(rule.when());
                    assertThat(compiled.hasError()).as("%s: verify when `%s`: %s", p.id(), rule.when(),
                            compiled.hasError() ? compiled.getErrorString() : "").isFalse();
                })));
        for (String format : p.formats()) {
            Path dir = folder.resolve("fixtures").resolve(format);
            List<Path> cases = list(dir);
            tests.add(DynamicTest.dynamicTest(format + " has fail and pass fixtures", () -> {
                assertThat(cases).as("fail_* cases in %s", dir).anyMatch(c -> c.getFileName().toString().startsWith("fail_"));
                assertThat(cases).as("pass_* cases in %s", dir).anyMatch(c -> c.getFileName().toString().startsWith("pass_"));
            }));
            for (Path c : cases) {
                String name = c.getFileName().toString();
                if (name.startsWith("fail_")) {
                    tests.add(DynamicTest.dynamicTest(format + "/" + name, () -> failCase(p, format, c)));
                } else if (name.startsWith("pass_")) {
                    tests.add(DynamicTest.dynamicTest(format + "/" + name, () -> passCase(p, format, c)));
                } else {
                    tests.add(DynamicTest.dynamicTest(format + "/" + name, () -> assertThat(name)
                            .as("fixture folders are fail_<case> or pass_<case>").startsWith("fail_")));
                }
            }
        }
        if (p.guardrail().awsScp().isPresent()) {
            // the app's GuardrailValidatorsIT simulates the SCP against these requests
            tests.add(DynamicTest.dynamicTest("its SCP has requests it denies and allows", () -> {
                Path file = folder.resolve("fixtures/guardrail/aws_scp.yaml");
                assertThat(file).as("an SCP is proved by simulation: write %s", file).isRegularFile();
                Object doc = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                        new org.yaml.snakeyaml.LoaderOptions())).load(java.nio.file.Files.readString(file));
                assertThat(doc).isInstanceOf(java.util.Map.class);
                for (String key : List.of("denies", "allows")) {
                    Object requests = ((java.util.Map<?, ?>) doc).get(key);
                    assertThat(requests).as("%s in %s", key, file).isInstanceOf(List.class);
                    assertThat((List<?>) requests).as("%s in %s", key, file).isNotEmpty().allSatisfy(r -> assertThat(
                            ((java.util.Map<?, ?>) r).keySet().stream().map(String::valueOf).toList())
                            .contains("action", "resource", "principal"));
                }
            }));
        }
        // that each sample finding selects this playbook is checked where the parsers are: the app's
        // PlaybookSampleFindingsTest (providers test against this module, so it cannot test against them)
        Path findings = folder.resolve("fixtures").resolve("findings");
        tests.add(DynamicTest.dynamicTest("has sample findings", () -> assertThat(list(findings)).isNotEmpty()));
        return tests.stream();
    }

    static void failCase(Playbook p, String format, Path dir) throws IOException {
        Fixture fx = Fixture.read(format, dir);
        List<ModelResource> before = fx.model(fx.before.text());
        List<ModelResource> targets = targets(p, format, before);
        assertThat(targets).as("resources of %s in %s", p.resourceTypes().get(format), fx.before.path()).isNotEmpty();
        List<ModelResource> failing = new ArrayList<>();
        for (ModelResource r : targets) {
            Detector.Result res = DETECTOR.evaluate(p, r, before, Map.of());
            assertThat(res).as("detect on %s", r.address()).isNotInstanceOf(Detector.Result.Error.class);
            if (res instanceof Detector.Result.NonCompliant) {
                failing.add(r);
            }
        }
        assertThat(failing).as("a fail fixture has a non-compliant resource").isNotEmpty();
        String text = fx.before.text();
        for (ModelResource r : failing) {
            SourceFile current = new SourceFile(fx.before.path(), text, fx.before.format());
            PatchResult result = FIXER.apply(p, format, current, new ResourceSelector.ByAddress(r.address()),
                    fx.context(), Map.of(), r.type());
            assertThat(result).as("fix of %s", r.address()).isInstanceOf(PatchResult.Changed.class);
            PatchResult.Changed changed = (PatchResult.Changed) result;
            assertThat(changed.otherFiles()).as("fixtures change one file").isEmpty();
            text = changed.text();
        }
        if (!Files.exists(fx.after) && Boolean.getBoolean("playbooks.writeAfter")) {
            // authoring aid: -Dplaybooks.writeAfter=true writes a missing after file; review it like any diff
            Files.writeString(fx.after, text, StandardCharsets.UTF_8);
        }
        assertThat(fx.after).as("%s has an after file", dir).exists();
        String expected = Files.readString(fx.after, StandardCharsets.UTF_8);
        if (!text.equals(expected)) {
            Path actual = Path.of("target/fixture-actual").resolve(fx.after);
            Files.createDirectories(actual.getParent());
            Files.writeString(actual, text, StandardCharsets.UTF_8);
            throw new AssertionError(dir + ": the fix does not produce " + fx.after + "; it produced "
                    + actual + " (diff them)");
        }
        List<ModelResource> after = fx.model(text);
        for (ModelResource r : targets(p, format, after)) {
            assertThat(DETECTOR.evaluate(p, r, after, Map.of())).as("detect on fixed %s", r.address())
                    .isInstanceOf(Detector.Result.Compliant.class);
            // the second cycle (OpenRewrite's RewriteTest): the fix applied to its own output changes nothing
            if (failing.stream().noneMatch(f -> f.address().equals(r.address()))) {
                continue;
            }
            SourceFile fixed = new SourceFile(fx.before.path(), text, fx.before.format());
            PatchResult again = FIXER.apply(p, format, fixed, new ResourceSelector.ByAddress(r.address()),
                    fx.context(), Map.of(), r.type());
            if (again instanceof PatchResult.Changed c) {
                assertThat(c.text()).as("second cycle of the fix on %s", r.address()).isEqualTo(text);
            }
        }
    }

    static void passCase(Playbook p, String format, Path dir) throws IOException {
        Fixture fx = Fixture.read(format, dir);
        assertThat(fx.after).as("a pass fixture has no after file").doesNotExist();
        List<ModelResource> model = fx.model(fx.before.text());
        List<ModelResource> targets = targets(p, format, model);
        assertThat(targets).as("resources of %s in %s", p.resourceTypes().get(format), fx.before.path()).isNotEmpty();
        for (ModelResource r : targets) {
            assertThat(DETECTOR.evaluate(p, r, model, Map.of())).as("detect on %s", r.address())
                    .isInstanceOf(Detector.Result.Compliant.class);
            PatchResult result = FIXER.apply(p, format, fx.before, new ResourceSelector.ByAddress(r.address()),
                    fx.context(), Map.of(), r.type());
            if (result instanceof PatchResult.Changed c) {
                assertThat(c.text()).as("fix on compliant %s", r.address()).isEqualTo(fx.before.text());
            } else {
                // AlreadyCompliant, or a refusal (an existing document a person must merge): either way unchanged
                assertThat(result).as("fix on compliant %s", r.address()).isInstanceOfAny(
                        PatchResult.AlreadyCompliant.class, PatchResult.CannotPatch.class);
            }
        }
    }

    static List<ModelResource> targets(Playbook p, String format, List<ModelResource> model) {
        return model.stream().filter(r -> p.appliesTo(format, r.type())).toList();
    }

    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A case folder: {@code before.<ext>} (the file patched), {@code after.<ext>}, other module files as context. */
    record Fixture(String format, SourceFile before, Path after, List<SourceFile> others) {

        static Fixture read(String format, Path dir) throws IOException {
            List<Path> files = list(dir);
            Path before = files.stream().filter(f -> f.getFileName().toString().startsWith("before.")).findFirst()
                    .orElseThrow(() -> new AssertionError("no before.* in " + dir));
            String ext = before.getFileName().toString().substring("before.".length());
            IacFormat f = IacFormat.ofPath(before.toString()).orElseThrow();
            List<SourceFile> others = new ArrayList<>();
            for (Path o : files) {
                String n = o.getFileName().toString();
                if (!n.startsWith("before.") && !n.startsWith("after.") && IacFormat.ofPath(n).isPresent()) {
                    others.add(new SourceFile(o.toString(), Files.readString(o, StandardCharsets.UTF_8), f));
                }
            }
            return new Fixture(format, new SourceFile(before.toString(), Files.readString(before, StandardCharsets.UTF_8), f),
                    dir.resolve("after." + ext), others);
        }

        PatchContext context() {
            return new PatchContext(others);
        }

        List<ModelResource> model(String text) {
            SourceFile file = new SourceFile(before.path(), text, before.format());
            if (format.equals(Playbook.TERRAFORM)) {
                List<SourceFile> all = new ArrayList<>();
                all.add(file);
                all.addAll(others);
                return IacModel.terraform(all).stream().filter(r -> r.file().equals(before.path())).toList();
            }
            return IacModel.cloudFormation(file);
        }
    }

    static ControlId control(String id) {
        return ControlId.canonical(id);
    }
}
