package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fixgate report's options, defaults and errors (its content: ReportBuilderTest; on the demo: ReportOnTheDemoTest). */
class ReportCommandTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:34:56.789Z");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", dir.resolve("home").toString()),
                dir, Clock.fixed(NOW, ZoneOffset.UTC));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anEmptyStoreGivesAnEmptyReportOverTheLast90Days() throws Exception {
        Run r = run("report");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode json = Json.mapper().readTree(r.out());
        assertThat(json.at("/scope/to").asText()).isEqualTo("2026-12-01T12:34:57Z");
        assertThat(json.at("/scope/from").asText()).isEqualTo("2026-09-02T12:34:57Z");
        assertThat(json.at("/scope/framework").asText()).isEqualTo("nist-800-53");
        assertThat(json.at("/summary/findings").asInt()).isZero();
        assertThat(json.get("notes").toString()).contains("no merged fix has been verified");
    }

    @Test
    void datesMeanWholeUtcDaysAndEveryFormatWritesAFile() throws Exception {
        for (String format : new String[] {"json", "csv", "oscal", "html"}) {
            Run r = run("report", "--from", "2026-11-01", "--to", "2026-11-30", "--framework", "cmmc-l2", "--format",
                    format, "-o", "out/report." + format);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).contains(format + " written to").contains("0 findings");
            assertThat(dir.resolve("out/report." + format)).isNotEmptyFile();
        }
        JsonNode json = Json.mapper().readTree(Files.readString(dir.resolve("out/report.json")));
        assertThat(json.at("/scope/from").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(json.at("/scope/to").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(json.at("/scope/frameworkTitle").asText()).isEqualTo("CMMC 2.0 Level 2");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run("report", "--format", "pdf").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("report", "--framework", "iso-27001").err()).contains("--framework must be one of");
        assertThat(run("report", "--from", "yesterday").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("report", "--from", "2026-12-01", "--to", "2026-11-01").err()).contains("--from is after --to");
        assertThat(run("report", "--web-url", "javascript:alert(1)").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void linksGoToGitHubsWebAddressForTheConfiguredApi() {
        assertThat(ReportCommand.webBase(URI.create("https://api.github.com"))).isEqualTo("https://github.com");
        assertThat(ReportCommand.webBase(URI.create("https://ghe.example.com/api/v3"))).isEqualTo("https://ghe.example.com");
        assertThat(ReportCommand.webBase(URI.create("http://127.0.0.1:8090/"))).isEqualTo("http://127.0.0.1:8090");
    }
}
