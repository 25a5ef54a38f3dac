package dev.fixgate.playbooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.playbooks.controls.ControlCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/coverage.md} true: the report is rendered from the catalog (which scanner ids each playbook
 * fixes) and must equal the file. Regenerate it with
 * {@code ./mvn21 -o -pl playbooks -am test -Dtest=CoverageReportTest -Dcoverage.write=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CoverageReportTest {

    static final Path REPORT = Path.of("../docs/coverage.md");
    static final List<String> SCANNERS = List.of("securityhub", "prowler", "checkov", "kics", "trivy", "tfsec", "wiz");
    static final List<String> CLOUDS = List.of("aws", "azure", "gcp");

    @Test
    void docsCoverageMatchesTheCatalog() throws IOException {
        String expected = render(PlaybookCatalog.load(CatalogContractTest.ROOT).all(), ControlCatalog.builtIn());
        if (Boolean.getBoolean("coverage.write")) {
            Files.writeString(REPORT, expected, StandardCharsets.UTF_8);
        }
        assertThat(REPORT).as("docs/coverage.md exists (regenerate: -Dcoverage.write=true)").exists();
        assertThat(Files.readString(REPORT, StandardCharsets.UTF_8))
                .as("docs/coverage.md is out of date; regenerate it with ./mvn21 -o -pl playbooks -am test "
                        + "-Dtest=CoverageReportTest -Dcoverage.write=true -Dsurefire.failIfNoSpecifiedTests=false")
                .isEqualTo(expected);
    }

    static String render(Collection<Playbook> playbooks, ControlCatalog controls) {
        // scanner -> cloud -> ids fixed by a playbook of that cloud
        Map<String, Map<String, Set<String>>> fixed = new TreeMap<>();
        Map<String, Integer> perCloud = new TreeMap<>();
        int total = 0;
        for (Playbook p : playbooks) {
            String cloud = p.cloud().name().toLowerCase(Locale.ROOT);
            perCloud.merge(cloud, 1, Integer::sum);
            for (Map.Entry<String, List<String>> e : p.toolIds().entrySet()) {
                for (String id : e.getValue()) {
                    if (fixed.computeIfAbsent(e.getKey(), k -> new TreeMap<>())
                            .computeIfAbsent(cloud, k -> new TreeSet<>()).add(id)) {
                        total++;
                    }
                }
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("# Scanner coverage\n\n");
        md.append("Generated from the playbook catalog by `CoverageReportTest` — do not edit by hand. Regenerate with\n");
        md.append("`./mvn21 -o -pl playbooks -am test -Dtest=CoverageReportTest -Dcoverage.write=true "
                + "-Dsurefire.failIfNoSpecifiedTests=false`.\n\n");
        md.append("A scanner id is *covered* when a playbook lists it under `tool_ids`: a finding with that id selects the\n");
        md.append("playbook, whose fix clears it. Ids the control catalog knows without a playbook (findings fixgate can name\n");
        md.append("and group but not fix) are counted separately.\n\n");
        md.append("## Playbooks\n\n| cloud | playbooks |\n|---|---:|\n");
        for (String c : CLOUDS) {
            md.append("| ").append(c).append(" | ").append(perCloud.getOrDefault(c, 0)).append(" |\n");
        }
        md.append("| **all** | **").append(playbooks.size()).append("** |\n\n");
        md.append("## Covered scanner ids\n\n| scanner | aws | azure | gcp | total | known to the control catalog, no playbook |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (String s : SCANNERS) {
            Map<String, Set<String>> byCloud = fixed.getOrDefault(s, Map.of());
            int sum = 0;
            md.append("| ").append(s);
            for (String c : CLOUDS) {
                int n = byCloud.getOrDefault(c, Set.of()).size();
                sum += n;
                md.append(" | ").append(n);
            }
            Set<String> covered = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
            byCloud.values().forEach(covered::addAll);
            long unfixed = controls.controls().stream()
                    .flatMap(c -> c.toolIds().getOrDefault(s, List.of()).stream())
                    .filter(id -> !covered.contains(id)).distinct().count();
            md.append(" | ").append(sum).append(" | ").append(unfixed).append(" |\n");
        }
        md.append("| **all** | | | | **").append(total).append("** | |\n\n");
        md.append("## Per playbook\n\n| playbook | cloud | formats | default risk | ids |\n|---|---|---|---|---|\n");
        for (Playbook p : playbooks) {
            List<String> ids = new ArrayList<>();
            for (String s : SCANNERS) {
                List<String> l = p.toolIds().getOrDefault(s, List.of());
                if (!l.isEmpty()) {
                    ids.add(s + ": " + String.join(", ", l.stream().map(i -> "`" + i + "`").toList()));
                }
            }
            md.append("| ").append(p.id()).append(" | ").append(p.cloud().name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(String.join(", ", p.formats())).append(" | ").append(p.risk().defaultLevel()).append(" | ")
                    .append(String.join("; ", ids)).append(" |\n");
        }
        return md.toString();
    }
}
