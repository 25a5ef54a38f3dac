package dev.fixgate.patch.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.patch.corpus.CorpusRunner.Outcome;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The KICS corpus: every positive finding of the 15 misconfiguration types must be fixed by its mapping's
 * operations (and then pass the independent check), or be one of the documented unsupported/skipped cases; no
 * negative sample may change. Counts go to {@code target/corpus-report/kics.md}.
 */
class KicsCorpusTest {

    static final Path QUERIES = CorpusRunner.resource("/corpus/kics/assets/queries");
    static final List<FixMapping> MAPPINGS = FixMapping.loadAll(CorpusRunner.resource("/corpus/fixes"));

    private static final ConcurrentLinkedQueue<String[]> ROWS = new ConcurrentLinkedQueue<>();

    /** A positive finding: a sample file and the line KICS reports. */
    record Finding(FixMapping mapping, FixMapping.Query query, Path file, int line) {
    }

    static List<Finding> positives() throws IOException {
        List<Finding> out = new ArrayList<>();
        for (FixMapping m : MAPPINGS) {
            for (FixMapping.Query q : m.queries()) {
                Path dir = QUERIES.resolve(q.path()).resolve("test");
                assertThat(dir).as("query folder of %s", m.id()).isDirectory();
                List<Path> samples;
                try (Stream<Path> s = Files.list(dir)) {
                    samples = s.filter(p -> p.getFileName().toString().startsWith("positive")
                            && !p.getFileName().toString().endsWith("_result.json")).sorted().toList();
                }
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> expected = (List<Map<String, Object>>) new Load(LoadSettings.builder().build())
                        .loadFromString(Files.readString(dir.resolve("positive_expected_result.json")));
                for (Map<String, Object> e : expected) {
                    // the upstream files spell the key both ways, and omit it when there is one sample
                    Object name = Optional.ofNullable(e.get("fileName")).orElse(e.get("filename"));
                    Path file = name != null ? dir.resolve(String.valueOf(name)) : samples.get(0);
                    if (name == null) {
                        assertThat(samples).as("samples of %s without fileName", q.path()).hasSize(1);
                    }
                    out.add(new Finding(m, q, file, ((Number) e.get("line")).intValue()));
                }
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyPositiveFindingIsFixedAndThenCompliant() throws IOException {
        return positives().stream().map(f -> DynamicTest.dynamicTest(
                f.mapping().id() + " " + f.query().path() + "/" + f.file().getFileName() + ":" + f.line(), () -> {
                    Outcome o = fixPositive(f);
                    record(f.mapping().id(), "positive", o, f.file().getFileName() + ":" + f.line());
                    switch (o) {
                        case Outcome.Fixed x -> assertThat(x.violation()).as("still non-compliant after %s", x.notes()).isEmpty();
                        case Outcome.Unsupported u -> assertThat(u.reason()).isNotBlank();
                        case Outcome.Skipped s -> assertThat(s.reason()).isNotBlank();
                        default -> throw new AssertionError("positive finding not fixed: " + o);
                    }
                }));
    }

    static Outcome fixPositive(Finding f) throws IOException {
        String skip = f.query().skip().get(f.file().getFileName().toString());
        if (skip != null) {
            return new Outcome.Skipped(skip);
        }
        SourceFile sf = read(f.file());
        Optional<CorpusRunner.Target> t = CorpusRunner.targetAt(sf, f.line());
        if (t.isEmpty() || !f.query().covers(t.get().kind())) {
            return new Outcome.NoStep(t.map(x -> x.kind() + " is not a target of " + f.query().path())
                    .orElse("no block at line " + f.line()));
        }
        return CorpusRunner.fix(f.mapping(), f.query(), sf, t.get(), f.line(), PatchContext.none());
    }

    @TestFactory
    Stream<DynamicTest> noNegativeSampleChanges() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (FixMapping m : MAPPINGS) {
            for (FixMapping.Query q : m.queries()) {
                Path dir = QUERIES.resolve(q.path()).resolve("test");
                List<Path> negatives;
                try (Stream<Path> s = Files.list(dir)) {
                    negatives = s.filter(p -> p.getFileName().toString().startsWith("negative")).sorted().toList();
                }
                for (Path n : negatives) {
                    tests.add(DynamicTest.dynamicTest(m.id() + " " + q.path() + "/" + n.getFileName(), () -> {
                        SourceFile sf = read(n);
                        for (CorpusRunner.Target t : CorpusRunner.targets(sf)) {
                            if (!q.covers(t.kind())) {
                                continue;
                            }
                            Outcome o = CorpusRunner.fix(m, q, sf, t, t.line(), PatchContext.none());
                            if (o instanceof Outcome.NoStep) {
                                continue; // no step for this kind of block: nothing to run, nothing changes
                            }
                            String where = n.getFileName() + ":" + t.line() + " " + t.address();
                            record(m.id(), "negative", o, where);
                            assertThat(o).as("negative sample %s, %s", n.getFileName(), t.address())
                                    .isNotInstanceOf(Outcome.Fixed.class);
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    static SourceFile read(Path p) throws IOException {
        return new SourceFile(QUERIES.relativize(p).toString(), Files.readString(p), CorpusRunner.format(p));
    }

    private static void record(String type, String kind, Outcome o, String where) {
        String what = switch (o) {
            case Outcome.Fixed x -> x.compliant() ? "fixed+verified" : "fixed-but-still-noncompliant";
            case Outcome.Compliant c -> "already-compliant";
            case Outcome.Refused r -> "cannot-patch " + r.code();
            case Outcome.Unsupported u -> "unsupported";
            case Outcome.Skipped s -> "skipped";
            case Outcome.NoStep n -> "no-step " + n.kind();
        };
        String detail = switch (o) {
            case Outcome.Refused r -> r.reason();
            case Outcome.Unsupported u -> u.reason();
            case Outcome.Skipped s -> s.reason();
            default -> "";
        };
        ROWS.add(new String[] {type, kind, what, where, detail});
    }

    @AfterAll
    static void writeReport() throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        StringBuilder details = new StringBuilder();
        for (String[] r : ROWS) {
            counts.merge(r[1] + " | " + r[2], 1, Integer::sum);
            counts.merge(r[1] + " | " + r[2] + " | " + r[0], 1, Integer::sum);
            if (!r[4].isEmpty()) {
                details.append("- ").append(r[1]).append(' ').append(r[0]).append(' ').append(r[3]).append(": ")
                        .append(r[2]).append(" — ").append(r[4]).append('\n');
            }
        }
        CorpusRunner.report("kics", "KICS corpus", counts, "Not patched, with reasons", details);
    }
}
