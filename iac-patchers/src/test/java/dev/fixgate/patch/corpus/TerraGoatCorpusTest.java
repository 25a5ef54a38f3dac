package dev.fixgate.patch.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.patch.corpus.CorpusRunner.Outcome;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * TerraGoat (vulnerable by design, no expected results): every resource a mapping has a step for is patched with
 * its module as context; whatever changed must parse and pass the independent check. Refusals are fine and
 * counted by code (computed tags, values from variables used elsewhere...). Counts go to
 * {@code target/corpus-report/terragoat.md}.
 */
class TerraGoatCorpusTest {

    @Test
    void everyPatchedResourceIsCompliantAndEveryRefusalHasAReason() throws IOException {
        List<CorpusPatches.Attempt> attempts = CorpusPatches.terragoat();
        assertThat(attempts).as("TerraGoat has AWS resources the mappings cover").hasSizeGreaterThan(20);
        Map<String, Integer> counts = new TreeMap<>();
        StringBuilder refusals = new StringBuilder();
        for (CorpusPatches.Attempt a : attempts) {
            String what = switch (a.outcome()) {
                case Outcome.Fixed f -> {
                    assertThat(f.violation()).as("%s %s %s after %s", a.mapping(), a.file(), a.target(), f.notes()).isEmpty();
                    yield "patched";
                }
                case Outcome.Compliant c -> "already-compliant";
                case Outcome.Refused r -> {
                    assertThat(r.reason()).isNotBlank();
                    refusals.append("- ").append(a.mapping()).append(' ').append(a.target()).append(" (").append(r.location())
                            .append("): ").append(r.code()).append(" — ").append(r.reason()).append('\n');
                    yield "cannot-patch " + r.code();
                }
                case Outcome.Unsupported u -> "unsupported";
                case Outcome.Skipped s -> "skipped";
                case Outcome.NoStep n -> throw new AssertionError("filtered out");
            };
            counts.merge(what, 1, Integer::sum);
            counts.merge(what + " | " + a.mapping(), 1, Integer::sum);
        }
        assertThat(counts).containsKey("patched");
        CorpusRunner.report("terragoat", "TerraGoat", counts, "Cannot patch", refusals);
    }
}
