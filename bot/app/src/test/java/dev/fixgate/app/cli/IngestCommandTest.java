package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `fixgate ingest` with the real parsers: the JSON summary, bad inputs next to good ones, exit codes. */
class IngestCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.mapper().readTree(out);
        }
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", dir.resolve("home").toString()),
                dir, Clock.systemUTC());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void samples() throws Exception {
        for (String name : new String[] {"01-securityhub-2026-11-20.json", "02-prowler-2026-11-20.ocsf.json"}) {
            try (InputStream in = getClass().getResourceAsStream("/ingest/" + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
    }

    @Test
    void theJsonSummaryHasTheDocumentedFields() throws Exception {
        Run r = run("ingest", "--json", "01-securityhub-2026-11-20.json", "02-prowler-2026-11-20.ocsf.json");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.path("records").asInt()).isEqualTo(7);
        assertThat(s.path("findings").asInt()).isEqualTo(5);
        assertThat(s.path("duplicates").asInt()).isEqualTo(2);
        assertThat(s.path("errors").isArray()).isTrue();
        assertThat(s.path("unmapped").isArray()).isTrue();
        assertThat(s.path("initiatives")).allSatisfy(i -> assertThat(i.path("findings").asInt()).isPositive());
        assertThat(s.path("files").get(1).path("format").asText()).isEqualTo("ocsf");
    }

    @Test
    void badInputsAreReportedWithTheirLocationAndTheGoodOnesAreKept() throws Exception {
        Files.writeString(dir.resolve("truncated.json"), Files.readString(dir.resolve("01-securityhub-2026-11-20.json")).substring(0, 4000));
        Files.write(dir.resolve("latin1.json"), "{\"Findings\":[{\"SchemaVersion\":\"2018-10-08\",\"ProductArn\":\"x\",\"Title\":\"caf\u00e9\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(dir.resolve("nested.json"), "{\"schema\":\"fixgate/findings/v1\",\"tool\":\"t\",\"findings\":["
                + "[".repeat(10_000) + "]".repeat(10_000) + "]}");
        Files.writeString(dir.resolve("huge.json"), "{\"schema\":\"fixgate/findings/v1\",\"tool\":\"t\",\"findings\":[{\"title\":\""
                + "x".repeat(3 << 20) + "\"}]}");
        Files.writeString(dir.resolve("prose.txt"), "This is not tool output.\n");

        Run r = run("ingest", "--json", "truncated.json", "latin1.json", "nested.json", "huge.json", "prose.txt",
                "02-prowler-2026-11-20.ocsf.json");

        assertThat(r.exit()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode s = r.json();
        // What came before the damage is kept: the truncated export's first finding is stored...
        assertThat(s.path("files").get(0).path("findings").asInt()).isPositive();
        // ...so Prowler's report of the same bucket is a duplicate of it; the good file is read whole.
        assertThat(s.path("files").get(5).path("records").asInt()).isEqualTo(3);
        assertThat(s.path("files").get(5).path("error").asText()).isEmpty();
        assertThat(s.path("duplicates").asInt()).isEqualTo(1);
        assertThat(s.path("errors")).extracting(e -> e.path("file").asText() + " " + e.path("code").asText())
                .contains("truncated.json ingest.truncated", "latin1.json ingest.encoding", "nested.json ingest.limit",
                        "huge.json ingest.limit", "prose.txt ingest.unknown-format");
        assertThat(s.path("errors")).allSatisfy(e -> assertThat(e.path("message").asText()).doesNotContain("\tat "));
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void anUnknownForcedFormatIsAUsageError() {
        Run r = run("ingest", "--format", "nessus", "01-securityhub-2026-11-20.json");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown format 'nessus'", "asff", "sarif");
    }

    @Test
    void theHumanSummaryNamesFilesInitiativesAndErrors() throws Exception {
        Files.writeString(dir.resolve("prose.txt"), "nothing to see");
        Run r = run("ingest", "01-securityhub-2026-11-20.json", "prose.txt");
        assertThat(r.exit()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(r.out()).contains("Read 4 records from 2 inputs: 4 findings", "Initiatives (4)", "Errors (1):",
                "prose.txt: cannot tell which tool wrote this input");
    }
}
