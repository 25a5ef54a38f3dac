package dev.fixgate.app.locate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCacheTest {

    @TempDir
    Path tmp;

    private RepoScan scan(String name, int chars) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        String pad = "#".repeat(Math.max(0, chars - 60)) + "\n";
        Files.writeString(dir.resolve("main.tf"), pad + "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"" + name + "\"\n}\n");
        return RepoScan.of(dir);
    }

    @Test
    void aKnownTreeGivesItsScanRootedWhereTheNewCheckoutIs() throws Exception {
        ScanCache cache = ScanCache.defaults();
        RepoScan scan = scan("a", 100);
        cache.put("tree-a", new ScanCache.Entry(scan, Map.of("terraform.tfstate", "0123")));

        Path elsewhere = tmp.resolve("next-checkout");
        ScanCache.Entry hit = cache.get("tree-a", elsewhere).orElseThrow();

        assertThat(hit.scan().root()).isEqualTo(elsewhere.toAbsolutePath().normalize());
        assertThat(hit.scan().modules()).isEqualTo(scan.modules());
        assertThat(hit.stateFiles()).containsExactly(Map.entry("terraform.tfstate", "0123"));
        assertThat(cache.get("tree-b", elsewhere)).isEmpty();
    }

    @Test
    void theLeastRecentlyUsedTreeGoesFirstWhenEntriesOrTextAreOverTheBound() throws Exception {
        RepoScan a = scan("a", 1000);
        long one = a.textChars();
        ScanCache cache = new ScanCache(2, 3 * one);
        cache.put("a", new ScanCache.Entry(a, Map.of()));
        cache.put("b", new ScanCache.Entry(scan("b", 1000), Map.of()));
        cache.get("a", tmp); // a is used again: b is now the eldest
        cache.put("c", new ScanCache.Entry(scan("c", 1000), Map.of()));

        assertThat(cache.get("b", tmp)).isEmpty();
        assertThat(cache.get("a", tmp)).isPresent();
        assertThat(cache.get("c", tmp)).isPresent();
        assertThat(cache.size()).isEqualTo(2);

        // text: one scan of twice the size leaves room for it and at most one other
        cache.put("d", new ScanCache.Entry(scan("d", 2000), Map.of()));
        assertThat(cache.chars()).isLessThanOrEqualTo(3 * one);
        assertThat(cache.get("d", tmp)).isPresent();
    }

    @Test
    void aScanOverTheBoundByItselfIsNotKept() throws Exception {
        ScanCache cache = new ScanCache(10, 50);
        cache.put("big", new ScanCache.Entry(scan("big", 1000), Map.of()));
        assertThat(cache.size()).isZero();
        assertThat(cache.chars()).isZero();
    }

    @Test
    void readsWhatTheScanAndTheStateSourcesRead() {
        assertThat(RepoScan.reads("infra/main.tf")).isTrue();
        assertThat(RepoScan.reads("env/prod.tfvars")).isTrue();
        assertThat(RepoScan.reads("cfn/stack.yaml")).isTrue();
        assertThat(RepoScan.reads("cfn/stack.template")).isTrue();
        assertThat(RepoScan.reads("package.json")).isTrue(); // could be a template: only its text can say
        assertThat(RepoScan.reads("infra/terraform.tfstate")).isTrue();
        assertThat(RepoScan.reads("infra/terraform.tfstate.d/prod/terraform.tfstate")).isTrue();
        assertThat(RepoScan.reads("infra/prod.tfbackend")).isTrue();
        assertThat(RepoScan.reads("src/Main.java")).isFalse();
        assertThat(RepoScan.reads("infra/main.tf.json")).isFalse();
        assertThat(RepoScan.reads("node_modules/x/main.tf")).isFalse();
        assertThat(RepoScan.reads("infra/.terraform/modules/m/main.tf")).isFalse();
        assertThat(RepoScan.stateFile("infra/terraform.tfstate")).isTrue();
        assertThat(RepoScan.stateFile("infra/main.tf")).isFalse();
    }
}
