package dev.fixgate.app.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.patch.model.IacModel;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixes planned one by one, put together: merged where they touch different lines, applied again where they overlap. */
class PlannerComposeTest {

    @TempDir
    Path repo;

    private final Planner planner = Planner.standard();
    private final PlaybookCatalog catalog = PlaybookCatalog.builtIn();

    private RepoScan.Located located(String address) {
        return RepoScan.of(repo).resources().stream().filter(l -> l.resource().address().equals(address)).findFirst()
                .orElseThrow();
    }

    private Planner.Item plan(String playbook, String address) {
        Playbook p = catalog.byId(playbook).orElseThrow();
        return planner.plan(new Planner.Request(p, located(address), "test"), Map.of());
    }

    private void assertCompliant(String text, String playbook, String address) {
        List<ModelResource> model = IacModel.terraform(List.of(new SourceFile("main.tf", text, IacFormat.TERRAFORM)));
        ModelResource r = model.stream().filter(m -> m.address().equals(address)).findFirst().orElseThrow();
        assertThat(new Detector().evaluate(catalog.byId(playbook).orElseThrow(), r, model, Map.of()))
                .as(playbook + " on " + address).isInstanceOf(Detector.Result.Compliant.class);
    }

    @Test
    void fixesOfDifferentResourcesInOneFileAreMergedWithoutPlanningAgain() throws Exception {
        Files.writeString(repo.resolve("main.tf"), """
                resource "aws_s3_bucket" "a" {
                  bucket = "acme-a"
                }

                resource "aws_s3_bucket" "b" {
                  bucket = "acme-b"
                }
                """);
        Planner.Item a = plan("s3_bucket_versioning", "aws_s3_bucket.a");
        Planner.Item b = plan("s3_bucket_versioning", "aws_s3_bucket.b");
        assertThat(List.of(a.status(), b.status())).containsOnly(Planner.Status.PATCHED);

        Planner.Result r = planner.compose(List.of(a, b), Map.of());

        assertThat(r.items()).extracting(Planner.Item::rebased).containsOnly(false);
        assertThat(r.changed()).containsOnlyKeys("main.tf");
        assertCompliant(r.changed().get("main.tf"), "s3_bucket_versioning", "aws_s3_bucket.a");
        assertCompliant(r.changed().get("main.tf"), "s3_bucket_versioning", "aws_s3_bucket.b");
        // composing is commutative here: the order of the fixes does not change the file
        assertThat(planner.compose(List.of(b, a), Map.of()).changed()).isEqualTo(r.changed());
    }

    @Test
    void twoFixesOfOneResourceThatOverlapAreAppliedOneOnTopOfTheOther() throws Exception {
        Files.writeString(repo.resolve("main.tf"), """
                resource "aws_s3_bucket" "data" {
                  bucket = "acme-data"
                }
                """);
        Planner.Item versioning = plan("s3_bucket_versioning", "aws_s3_bucket.data");
        Planner.Item encryption = plan("s3_bucket_default_encryption", "aws_s3_bucket.data");
        assertThat(List.of(versioning.status(), encryption.status())).containsOnly(Planner.Status.PATCHED);

        Planner.Result r = planner.compose(List.of(versioning, encryption), Map.of());

        // both insert after the same block: a text merge cannot order them, so the second is applied again
        assertThat(r.items()).extracting(Planner.Item::status).containsOnly(Planner.Status.PATCHED);
        assertThat(r.items()).extracting(Planner.Item::rebased).containsExactly(false, true);
        String text = r.changed().get("main.tf");
        assertCompliant(text, "s3_bucket_versioning", "aws_s3_bucket.data");
        assertCompliant(text, "s3_bucket_default_encryption", "aws_s3_bucket.data");
        assertThat(r.diff()).contains("+++ b/main.tf");
    }

    @Test
    void modulesThatShareNoFileAreComposedApartWithTheResultOfOnePassOverAll() throws Exception {
        Files.createDirectories(repo.resolve("a"));
        Files.createDirectories(repo.resolve("b"));
        for (String m : List.of("a", "b")) {
            Files.writeString(repo.resolve(m + "/main.tf"), """
                    resource "aws_s3_bucket" "data" {
                      bucket = "acme-data"
                    }
                    """);
            Files.writeString(repo.resolve(m + "/variables.tf"), "variable \"env\" {}\n");
        }
        List<RepoScan.Located> all = RepoScan.of(repo).resources();
        List<Planner.Item> items = new java.util.ArrayList<>();
        for (RepoScan.Located l : all) {
            for (String playbook : List.of("s3_bucket_versioning", "s3_bucket_default_encryption")) {
                items.add(planner.plan(new Planner.Request(catalog.byId(playbook).orElseThrow(), l, "test"), Map.of()));
            }
        }
        // an item that is not PATCHED stays in its place
        items.add(1, new Planner.Item(items.getFirst().request(), Planner.Status.CANNOT_PATCH, "x", "y", "",
                List.of(), false));
        assertThat(items).extracting(Planner.Item::status).containsOnly(Planner.Status.PATCHED,
                Planner.Status.CANNOT_PATCH).hasSize(5);

        Planner.Result together = planner.compose(items, Map.of());

        // module by module, in order: the same items and texts
        Planner.Result a = planner.compose(List.of(items.get(0), items.get(2)), Map.of());
        Planner.Result b = planner.compose(List.of(items.get(3), items.get(4)), Map.of());
        assertThat(together.items()).containsExactly(a.items().get(0), items.get(1), a.items().get(1),
                b.items().get(0), b.items().get(1));
        assertThat(together.items()).extracting(Planner.Item::rebased).containsExactly(false, false, true, false, true);
        assertThat(together.changed()).containsOnlyKeys("a/main.tf", "b/main.tf")
                .containsEntry("a/main.tf", a.changed().get("a/main.tf"))
                .containsEntry("b/main.tf", b.changed().get("b/main.tf"));
        assertThat(together.originals()).containsAllEntriesOf(a.originals()).containsAllEntriesOf(b.originals());
        assertThat(together.diff()).isEqualTo(a.diff() + b.diff());
    }

    @Test
    void theThreeWayMergeTakesAChangeMadeTwiceOnceAndRefusesChangesToTheSameLines() {
        String base = "a\nb\nc\nd\n";
        assertThat(TextMerge.merge(base, "a\nB\nc\nd\n", "a\nb\nc\nD\n")).isEqualTo(Optional.of("a\nB\nc\nD\n"));
        assertThat(TextMerge.merge(base, "a\nB\nc\nd\n", "a\nB\nc\nd\n")).isEqualTo(Optional.of("a\nB\nc\nd\n"));
        assertThat(TextMerge.merge(base, "a\nX\nc\nd\n", "a\nY\nc\nd\n")).isEmpty();
        assertThat(TextMerge.merge("a\nb", "a\nB", "a\nb\nc")).as("no newline at the end is kept where it was")
                .isEmpty();
        assertThat(TextMerge.merge("x\ny\n", "x\ny\n", "x\ny\nz")).isEqualTo(Optional.of("x\ny\nz"));
    }
}
