package dev.fixgate.playbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fixgate.patch.model.IacModel;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in catalog is read without the schema and without compiling its conditions up front (the build checks
 * them, {@link CatalogContractTest}): it must read exactly what the validating load reads, and a condition that does
 * not compile must still fail, when it is used, instead of passing.
 */
class PlaybookCatalogBuiltInTest {

    @Test
    void theBuiltInReadReadsWhatTheValidatingLoadReads() throws IOException {
        List<Playbook> validated = PlaybookCatalog.read(CatalogContractTest.ROOT, "catalog", true);
        assertThat(PlaybookCatalog.read(CatalogContractTest.ROOT, "catalog", false)).isEqualTo(validated);
        // and what is packaged on the class path is that catalog, field for field
        assertThat(List.copyOf(PlaybookCatalog.builtIn().all())).isEqualTo(validated.stream()
                .sorted(java.util.Comparator.comparing(Playbook::id)).toList());
    }

    @Test
    void aBuiltInConditionThatDoesNotCompileFailsWhenItIsEvaluated(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("aws/s3_bucket_versioning");
        Files.createDirectories(folder);
        String manifest = Files.readString(CatalogContractTest.ROOT.resolve("aws/s3_bucket_versioning/playbook.yaml"),
                StandardCharsets.UTF_8);
        String broken = manifest.replaceFirst("(?s)detect:\\n  terraform: >-\\n.*?\\n(  \\S)",
                "detect:\n  terraform: resource.versioning.no_such_macro_in_cel_xyz(v, v)\n$1");
        assertThat(broken).isNotEqualTo(manifest).contains("no_such_macro_in_cel_xyz");
        Files.writeString(folder.resolve("playbook.yaml"), broken, StandardCharsets.UTF_8);

        // a user's catalog is refused when it is loaded
        PlaybookException eager = catchThrowableOfType(PlaybookException.class, () -> PlaybookCatalog.load(dir));
        assertThat(eager.code()).isEqualTo("playbook.detect-invalid");

        // read as the built-in one is, it loads; the condition fails closed the first time it is used
        PlaybookCatalog lazy = PlaybookCatalog.builtIn(dir);
        Playbook p = lazy.byId("s3_bucket_versioning").orElseThrow();
        List<ModelResource> model = IacModel.terraform(List.of(new SourceFile("main.tf",
                "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n", IacFormat.TERRAFORM)));
        PlaybookException late = catchThrowableOfType(PlaybookException.class,
                () -> new Detector().evaluate(p, model.get(0), model, Map.of()));
        assertThat(late.code()).isEqualTo("playbook.detect-invalid");
        assertThat(late.getMessage()).contains("does not compile");
        assertThat(late.toString()).contains("catalog/aws/s3_bucket_versioning/playbook.yaml");
    }

    @Test
    void aBrokenManifestIsStillRefusedByTheBuiltInRead(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("aws/not_its_id");
        Files.createDirectories(folder);
        Files.copy(CatalogContractTest.ROOT.resolve("aws/s3_bucket_versioning/playbook.yaml"), folder.resolve("playbook.yaml"));

        PlaybookException e = catchThrowableOfType(PlaybookException.class, () -> PlaybookCatalog.builtIn(dir));
        assertThat(e.code()).isEqualTo("playbook.id-mismatch");
    }

    @Test
    void aSubsetKeepsItsPlaybooksAndStillNeedsAVariantsPrimary() {
        PlaybookCatalog all = PlaybookCatalog.builtIn();
        assertThat(all.only(Set.of("s3_bucket_versioning", "no_such_playbook")).all()).extracting(Playbook::id)
                .containsExactly("s3_bucket_versioning");
        Playbook variant = all.all().stream().filter(p -> p.variantOf().isPresent()).findFirst().orElseThrow();
        PlaybookException e = catchThrowableOfType(PlaybookException.class, () -> all.only(Set.of(variant.id())));
        assertThat(e.code()).isEqualTo("playbook.variant-unknown");
    }
}
