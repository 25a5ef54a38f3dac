package dev.fixgate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.cli.Main;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.report.OscalSchema;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fixgate report} on what {@code fixgate demo} leaves behind: the OSCAL document validates against NIST's
 * schema, and the HTML page, opened in headless Chromium, draws its three charts with the JSON's series and shows
 * the JSON's numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportOnTheDemoTest {

    /** The colour of "remediated" / "fixed" in the page (#2563eb), drawn solid in two charts. */
    private static final int BLUE = 0x2563eb;

    @TempDir
    static Path home;

    private Path demoHome;
    private JsonNode report;

    @BeforeAll
    void runTheDemoThenTheReport() throws Exception {
        run(home, "demo", "--json");
        demoHome = home.resolve("demo");
        // one range for the four formats, so they describe the same data
        String to = java.time.Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        for (String format : List.of("json", "oscal", "html", "csv")) {
            run(home, "--home", demoHome.toString(), "report", "--to", to, "--format", format, "--out",
                    out(format).toString());
        }
        report = Json.mapper().readTree(Files.readString(out("json")));
    }

    private Path out(String format) {
        return home.resolve("report." + format);
    }

    private static String run(Path home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", home.toString()), home,
                Clock.systemUTC());
        assertThat(exit).as(String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theJsonCoversTheDemosFindingsFixesAndMerges() {
        assertThat(report.at("/scope/framework").asText()).isEqualTo("nist-800-53");
        assertThat(report.at("/summary/findings").asInt()).isPositive();
        // three pull requests merged in the demo: their findings are remediated, with a merge commit and audit hashes
        assertThat(report.at("/summary/remediated").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(report.at("/mttr/overall/detectToMerge/count").asInt()).isEqualTo(report.at("/summary/remediated").asInt());
        assertThat(report.at("/mttr/verificationRecorded").asBoolean()).isFalse();
        assertThat(report.at("/mttr/overall/mergeToVerify/count").asInt()).isZero();
        List<JsonNode> merged = new ArrayList<>();
        report.get("items").forEach(i -> {
            if (i.path("status").asText().equals("remediated")) {
                merged.add(i);
            }
        });
        assertThat(merged).allSatisfy(i -> {
            assertThat(i.at("/fix/mergeSha").asText()).matches("[0-9a-f]{40}");
            assertThat(i.at("/fix/pullRequest").asText()).contains("/acme/infra/pull/");
            assertThat(i.get("audit").findValuesAsText("type")).contains("remediation.delivered", "remediation.merged");
            assertThat(i.get("audit").findValuesAsText("hash")).allMatch(h -> h.matches("[0-9a-f]{64}"));
            assertThat(i.get("frameworkControls")).isNotEmpty();
        });
        assertThat(report.get("controls").findValuesAsText("control")).contains("SC-8", "CP-9");
    }

    @Test
    void theOscalDocumentValidatesAgainstNistsSchema() throws Exception {
        String oscal = Files.readString(out("oscal"));
        assertThat(OscalSchema.problems(oscal)).isEmpty();
        JsonNode ar = Json.mapper().readTree(oscal).get("assessment-results");
        assertThat(ar.at("/metadata/oscal-version").asText()).isEqualTo("1.0.6");
        JsonNode result = ar.at("/results/0");
        int sightings = 0;
        for (JsonNode i : report.get("items")) {
            sightings += i.get("sightings").size();
        }
        long tests = 0;
        long steps = 0;
        for (JsonNode o : result.get("observations")) {
            if (o.at("/types/0").asText().equals("finding")) {
                tests++;
            } else {
                steps++;
            }
        }
        assertThat(tests).as("one observation per sighting").isEqualTo(sightings);
        assertThat(steps).as("pull request opened and merged, per remediation").isGreaterThanOrEqualTo(6);
        assertThat(result.toString()).contains("audit-hash", "merge-commit", "/acme/infra/pull/");
        assertThat(result.get("findings").findValuesAsText("target-id")).contains("sc-8_obj");
    }

    @Test
    void theCsvHasOneRowPerFinding() throws Exception {
        List<String> lines = Files.readAllLines(out("csv"));
        assertThat(lines.getFirst()).startsWith("fingerprint,control,framework,framework_controls,severity");
        assertThat(lines).hasSize(1 + report.get("items").size());
    }

    @Test
    void theHtmlPageDrawsItsChartsInHeadlessChromiumAndShowsTheJsonsNumbers() throws Exception {
        Path chromium = HeadlessChromium.require();
        try (HeadlessChromium browser = HeadlessChromium.open(chromium, out("html"), 1280, 2400)) {
            browser.await("window.fixgateChartsReady === true", Duration.ofSeconds(30));

            // every chart exists and painted pixels
            for (String id : List.of("chart-mttr", "chart-weekly", "chart-controls")) {
                JsonNode painted = browser.eval("(() => { const c = document.getElementById('" + id + "');"
                        + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                        + " for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; }"
                        + " return { chart: !!Chart.getChart(c), w: c.width, h: c.height, painted: n }; })()");
                assertThat(painted.path("chart").asBoolean()).as(id + " is a Chart.js chart").isTrue();
                assertThat(painted.path("w").asInt()).as(id + " width").isGreaterThan(100);
                assertThat(painted.path("painted").asInt()).as(id + " painted pixels").isGreaterThan(2_000);
            }

            // the charts plot the JSON's series
            JsonNode weekly = browser.eval("Chart.getChart(document.getElementById('chart-weekly')).data.datasets"
                    + ".map(d => d.data)");
            List<Integer> detected = new ArrayList<>();
            List<Integer> fixed = new ArrayList<>();
            List<Integer> open = new ArrayList<>();
            report.get("weekly").forEach(w -> {
                detected.add(w.get("detected").asInt());
                fixed.add(w.get("fixed").asInt());
                open.add(w.get("openAtEnd").asInt());
            });
            assertThat(ints(weekly.get(0))).isEqualTo(detected);
            assertThat(ints(weekly.get(1))).isEqualTo(fixed);
            assertThat(ints(weekly.get(2))).isEqualTo(open);
            JsonNode trend = browser.eval("Chart.getChart(document.getElementById('chart-mttr')).data.datasets"
                    + ".map(d => d.data)");
            for (int w = 0; w < report.at("/mttr/trend").size(); w++) {
                JsonNode expected = report.at("/mttr/trend/" + w + "/detectToMerge/medianDays");
                assertThat(trend.get(0).get(w).isNull() ? null : trend.get(0).get(w).asDouble())
                        .isEqualTo(expected.isNull() ? null : expected.asDouble());
                assertThat(trend.get(2).get(w).asDouble()).as("the baseline").isEqualTo(128.0);
            }
            JsonNode controls = browser.eval("(() => { const c = Chart.getChart(document.getElementById('chart-controls'));"
                    + " return { labels: c.data.labels, open: c.data.datasets[0].data, remediated: c.data.datasets[1].data }; })()");
            for (int c = 0; c < report.get("controls").size(); c++) {
                JsonNode row = report.get("controls").get(c);
                assertThat(controls.get("labels").get(c).asText()).isEqualTo(row.get("control").asText());
                assertThat(controls.get("open").get(c).asInt()).isEqualTo(row.at("/counts/open").asInt());
                assertThat(controls.get("remediated").get(c).asInt()).isEqualTo(row.at("/counts/remediated").asInt());
            }

            // every number on the page is the JSON's
            JsonNode metrics = browser.eval("[...document.querySelectorAll('[data-metric]')]"
                    + ".map(e => [e.getAttribute('data-metric'), e.textContent.trim()])");
            assertThat(metrics.size()).isGreaterThan(30);
            for (JsonNode m : metrics) {
                JsonNode value = at(report, m.get(0).asText());
                String shown = m.get(1).asText();
                if (value.isNull() || value.isMissingNode()) {
                    assertThat(shown).as(m.get(0).asText()).isEqualTo("—");
                } else if (value.isNumber()) {
                    assertThat(Double.parseDouble(shown)).as(m.get(0).asText()).isEqualTo(value.asDouble());
                } else {
                    assertThat(shown).as(m.get(0).asText()).isEqualTo(value.asText());
                }
            }

            // and a person would see them: the screenshot has the charts' solid blue in it
            byte[] png = browser.screenshot();
            Path shot = Path.of("target", "report-screenshot.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, png);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            long blue = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    if ((image.getRGB(x, y) & 0xffffff) == BLUE) {
                        blue++;
                    }
                }
            }
            assertThat(blue).as("pixels of the charts' blue in " + shot.toAbsolutePath()).isGreaterThan(500);
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    /** {@code mttr.bySeverity.0.merged} → that node of the report. */
    private static JsonNode at(JsonNode root, String path) {
        return root.at("/" + path.replace('.', '/'));
    }
}
