package dev.fixgate.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.playbooks.controls.ControlCatalog;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The half of the playbook contract that needs the finding parsers (which test against the playbooks module, so
 * the playbooks module cannot test against them): every sample finding in {@code fixtures/findings/} of every
 * playbook, read by format auto-detection and the real control catalog, selects that playbook.
 */
class PlaybookSampleFindingsTest {

    static final Path CATALOG_DIR = Path.of("../../playbooks/catalog");
    static final ParserRegistry PARSERS = ParserRegistry.discover();
    static final ControlCatalog CONTROLS = ControlCatalog.builtIn();

    @TestFactory
    Stream<DynamicNode> everySampleFindingSelectsItsPlaybook() {
        PlaybookCatalog catalog = PlaybookCatalog.builtIn();
        return catalog.all().stream().map(p -> {
            Path dir = CATALOG_DIR.resolve(p.cloud().name().toLowerCase()).resolve(p.id()).resolve("fixtures/findings");
            List<DynamicNode> tests = new ArrayList<>();
            tests.add(DynamicTest.dynamicTest("has samples", () -> assertThat(list(dir)).as(dir.toString()).isNotEmpty()));
            for (Path f : list(dir)) {
                tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> selects(catalog, p, f)));
            }
            return DynamicContainer.dynamicContainer(p.id(), tests);
        });
    }

    private static void selects(PlaybookCatalog catalog, Playbook p, Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String name = file.getFileName().toString();
        FindingParser parser = PARSERS.detect(Arrays.copyOf(bytes, Math.min(bytes.length, 64 * 1024)), name);
        List<Finding> found = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            parser.parse(in, new ParseContext(name, CONTROLS, Instant.parse("2026-11-20T00:00:00Z"), ParseLimits.defaults()),
                    new FindingParser.Sink() {
                        @Override
                        public void finding(Finding f) {
                            found.add(f);
                        }

                        @Override
                        public void rejected(SourceLocation where, String code, String reason) {
                            rejected.add(where + " " + code + " " + reason);
                        }
                    });
        }
        assertThat(rejected).as("records %s rejected", file).isEmpty();
        assertThat(found).as("findings in %s (read as %s)", file, parser.format()).isNotEmpty();
        for (Finding f : found) {
            assertThat(catalog.select(f, Set.of(p.id()))).as("%s: %s %s → control %s", file, f.sourceTool(),
                    f.sourceControlId(), f.control()).map(Playbook::id).contains(p.id());
        }
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
