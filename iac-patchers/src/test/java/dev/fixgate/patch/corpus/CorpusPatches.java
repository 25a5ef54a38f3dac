package dev.fixgate.patch.corpus;

import dev.fixgate.patch.corpus.CorpusRunner.Outcome;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the fix mappings over the two corpora and returns every attempt with its outcome: the KICS positive
 * findings (by line), and every resource or module of TerraGoat that a mapping has a step for (by address, with
 * the rest of its module as context). Shared by the corpus tests and the validator tier.
 */
final class CorpusPatches {

    static final Path TERRAGOAT = CorpusRunner.resource("/corpus/terragoat/terraform");

    /** One attempt: where, which mapping, the original text and what came of it. */
    record Attempt(String corpus, String mapping, String file, String target, String original, IacFormat format,
                   Outcome outcome) {
    }

    private CorpusPatches() {
    }

    static List<Attempt> kicsPositives() {
        List<Attempt> out = new ArrayList<>();
        try {
            for (KicsCorpusTest.Finding f : KicsCorpusTest.positives()) {
                SourceFile sf = KicsCorpusTest.read(f.file());
                out.add(new Attempt("kics", f.mapping().id(), sf.path(), "line " + f.line(), sf.text(), sf.format(),
                        KicsCorpusTest.fixPositive(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Attempt> terragoat() {
        List<Attempt> out = new ArrayList<>();
        List<FixMapping> mappings = KicsCorpusTest.MAPPINGS;
        try (Stream<Path> files = Files.walk(TERRAGOAT)) {
            for (Path p : files.filter(x -> x.toString().endsWith(".tf")).sorted().toList()) {
                SourceFile f = new SourceFile(TERRAGOAT.relativize(p).toString(), Files.readString(p), IacFormat.TERRAFORM);
                PatchContext ctx = module(p);
                for (CorpusRunner.Target t : CorpusRunner.targets(f)) {
                    for (FixMapping m : mappings) {
                        for (FixMapping.Query q : stepSets(m)) {
                            Outcome o = CorpusRunner.fix(m, q, f, t, 0, ctx);
                            if (!(o instanceof Outcome.NoStep)) {
                                out.add(new Attempt("terragoat", m.id(), f.path(), t.address(), f.text(), f.format(), o));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The mapping's own steps plus every Terraform query's override, each with its {@code with}. */
    private static List<FixMapping.Query> stepSets(FixMapping m) {
        List<FixMapping.Query> out = new ArrayList<>();
        if (!m.steps().isEmpty() || !m.unsupported().isEmpty()) {
            out.add(new FixMapping.Query("terragoat", Map.of(), Map.of(), List.of(), List.of()));
        }
        for (FixMapping.Query q : m.queries()) {
            if (q.path().startsWith("terraform/") && !q.steps().isEmpty()) {
                out.add(q);
            }
        }
        return out;
    }

    private static PatchContext module(Path file) throws IOException {
        List<SourceFile> siblings = new ArrayList<>();
        try (Stream<Path> s = Files.list(file.getParent())) {
            for (Path p : s.filter(x -> x.toString().endsWith(".tf") && !x.equals(file)).sorted().toList()) {
                siblings.add(new SourceFile(TERRAGOAT.relativize(p).toString(), Files.readString(p), IacFormat.TERRAFORM));
            }
        }
        return new PatchContext(siblings);
    }
}
