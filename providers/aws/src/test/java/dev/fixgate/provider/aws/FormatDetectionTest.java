package dev.fixgate.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.playbooks.controls.ControlCatalog;
import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Auto-detection across every sample: each parser's sniff runs on each file, the right one wins, and files that
 * are not a findings format (other KICS report formats, JSON Schemas of results) are claimed by none. Then every
 * sample is parsed by its winner with zero rejections, and every corpus control resolves through the catalog.
 */
class FormatDetectionTest {

    /** Expected format by path fragment; "none" for files no parser may claim. */
    private static String expected(Path file) {
        String p = file.toString().replace('\\', '/');
        if (p.contains("asff-securityhub/") || p.contains("prowler-asff/")) {
            return "asff";
        }
        if (p.endsWith(".ocsf.json") || p.endsWith("prowler-ocsf-example.json")) {
            return "ocsf";
        }
        if (p.endsWith(".csv")) {
            return "prowler-csv";
        }
        if (p.contains("/schemas/") || p.contains("03-gitlab-sast") || p.contains("04-junit")
                || p.contains("05-sonarqube") || p.contains("06-code-climate")) {
            return "none";
        }
        if (p.endsWith(".sarif") || p.endsWith("02-sarif.json")) {
            return "sarif";
        }
        if (p.contains("kics-output/")) {
            return "kics";
        }
        if (p.contains("/wiz/")) {
            return "wiz";
        }
        if (p.contains("/generic/")) {
            return "fixgate";
        }
        throw new AssertionError("no expectation for sample " + p);
    }

    @Test
    void theRightParserWinsOnEverySampleAndNoneClaimsOtherFormats() {
        List<FindingParser> parsers = Samples.parsers();
        assertThat(parsers).extracting(FindingParser::format)
                .containsExactlyInAnyOrder("asff", "ocsf", "prowler-csv", "sarif", "kics", "wiz", "fixgate");
        List<Path> samples = Samples.all();
        assertThat(samples).hasSizeGreaterThan(60);
        Map<Path, String> wrong = new LinkedHashMap<>();
        for (Path sample : samples) {
            byte[] head = Samples.head(sample);
            Map<String, Integer> scores = parsers.stream().collect(Collectors.toMap(FindingParser::format,
                    p -> p.sniff(head, sample.getFileName().toString())));
            String winner = scores.entrySet().stream().filter(e -> e.getValue() > 0)
                    .max(Comparator.comparingInt(Map.Entry::getValue)).map(Map.Entry::getKey).orElse("none");
            long tied = scores.values().stream().filter(v -> v > 0 && v.equals(scores.get(winner))).count();
            if (!winner.equals(expected(sample)) || tied > 1) {
                wrong.put(sample, winner + " " + scores);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyFindingsSampleParsesWithoutRejectionAndEveryCorpusControlIsInTheCatalog() {
        ControlCatalog catalog = ControlCatalog.builtIn();
        Map<Path, String> problems = new LinkedHashMap<>();
        int findings = 0;
        for (Path sample : Samples.all()) {
            String format = expected(sample);
            if (format.equals("none")) {
                continue;
            }
            Parsed parsed = Parsed.file(Samples.parser(format), sample, catalog);
            findings += parsed.findings.size();
            // Fixtures named *-with-errors hold deliberately bad records; their parser tests check the rejections.
            boolean clean = !sample.getFileName().toString().contains("-with-errors");
            if ((clean && !parsed.rejections.isEmpty()) || parsed.findings.isEmpty()) {
                problems.put(sample, parsed.findings.size() + " findings, rejected " + parsed.rejections);
            }
            // Wiz rule ids are tenant data and the generic example names its own tool: no catalog entry expected.
            boolean corpus = !format.equals("wiz") && !format.equals("fixgate");
            List<String> unmapped = parsed.findings.stream().map(Finding::control)
                    .filter(c -> !c.isMapped()).map(Object::toString).toList();
            if (corpus && !unmapped.isEmpty()) {
                problems.put(sample, "unmapped " + unmapped);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(findings).isGreaterThan(120);
    }
}
