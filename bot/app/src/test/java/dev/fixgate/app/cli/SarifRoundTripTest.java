package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the loop with the scanners: {@code fixgate check --sarif} over every failing fixture of the catalog, ingested
 * back with {@code fixgate ingest}, maps every result to fixgate's canonical controls — none is
 * {@code unmapped:fixgate:…}.
 */
class SarifRoundTripTest {

    private static final Path CATALOG = Path.of("").toAbsolutePath().getParent().getParent().resolve("playbooks/catalog");

    @TempDir
    Path dir;

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", dir.resolve("home").toString()),
                dir, Clock.systemUTC());
        return new String[] {String.valueOf(exit), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void checksSarifIngestsBackWithEveryRuleMapped() throws Exception {
        Path repo = dir.resolve("repo");
        int fixtures = copyFailingFixtures(repo);
        assertThat(fixtures).isGreaterThan(80);

        String[] check = run("check", "--repo", "repo", "--sarif", "check.sarif");
        assertThat(check[0]).as(check[2]).isEqualTo("1");
        JsonNode sarif = Json.mapper().readTree(dir.resolve("check.sarif").toFile());
        JsonNode results = sarif.path("runs").get(0).path("results");
        Set<String> rules = new HashSet<>();
        results.forEach(r -> rules.add(r.path("ruleId").asText()));
        assertThat(rules).as("every primary playbook's failing fixture fails its own rule").hasSizeGreaterThan(45);

        String[] ingest = run("ingest", "--json", "check.sarif");
        assertThat(ingest[0]).as(ingest[2]).isEqualTo("0");
        JsonNode summary = Json.mapper().readTree(ingest[1]);
        assertThat(summary.path("unmapped")).as("rules that came back as unmapped:fixgate:…").isEmpty();
        assertThat(summary.path("records").asInt()).isEqualTo(results.size());
        assertThat(summary.path("errors")).isEmpty();
    }

    /** Each playbook's fail_* fixtures' {@code before} files, each in a folder of its own so they do not meet. */
    private static int copyFailingFixtures(Path repo) throws IOException {
        int n = 0;
        try (Stream<Path> files = Files.walk(CATALOG)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith("before."))
                    .filter(p -> p.getParent().getFileName().toString().startsWith("fail_")).sorted().toList()) {
                Path rel = CATALOG.relativize(f);
                Path target = repo.resolve(rel);
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
                n++;
            }
        }
        return n;
    }
}
