package dev.fixgate.patch.corpus;

import dev.fixgate.patch.OperationRegistry;
import dev.fixgate.patch.cloudformation.CfnDocument;
import dev.fixgate.patch.terraform.Body;
import dev.fixgate.patch.terraform.HclDocument;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Applies a fix mapping's operations to one finding (file + line) and classifies what happened. */
final class CorpusRunner {

    static final OperationRegistry REGISTRY = OperationRegistry.load();

    /** The block a line falls in: {@code resource:aws_s3_bucket}, {@code module:<source>}, {@code cfn:<Type>}. */
    record Target(String kind, String address, int line) {
    }

    sealed interface Outcome {
        /** {@code violation} is what the independent check still finds wrong, empty when compliant. */
        record Fixed(String text, List<String> notes, String violation) implements Outcome {
            boolean compliant() {
                return violation.isEmpty();
            }
        }

        record Compliant(String reason) implements Outcome {
        }

        record Refused(String code, String reason, String location) implements Outcome {
        }

        record Unsupported(String reason) implements Outcome {
        }

        record Skipped(String reason) implements Outcome {
        }

        record NoStep(String kind) implements Outcome {
        }
    }

    private CorpusRunner() {
    }

    static Path resource(String name) {
        try {
            return Path.of(CorpusRunner.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code target/corpus-report/<name>.md}: a title, counts, then a section of details. */
    static void report(String name, String title, java.util.Map<String, Integer> counts, String section, CharSequence details)
            throws java.io.IOException {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        counts.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
        sb.append("\n## ").append(section).append("\n\n").append(details);
        Path out = Path.of("target/corpus-report/" + name + ".md");
        java.nio.file.Files.createDirectories(out.getParent());
        java.nio.file.Files.writeString(out, sb.toString());
    }

    static IacFormat format(Path p) {
        return IacFormat.ofPath(p.toString()).orElseThrow();
    }

    static Optional<Target> targetAt(SourceFile f, int line) {
        return targets(f).stream().filter(t -> t.line() <= line && line <= endLine(f, t)).reduce((a, b) -> b);
    }

    private static int endLine(SourceFile f, Target t) {
        // targets() records start lines; the block ends before the next one starts (good enough to pick the
        // enclosing block, since blocks do not nest at the top level)
        List<Target> all = targets(f);
        int i = all.indexOf(t);
        return i + 1 < all.size() ? all.get(i + 1).line() - 1 : Integer.MAX_VALUE;
    }

    /** Every top-level resource/module block (Terraform) or resource (CloudFormation) in the file. */
    static List<Target> targets(SourceFile f) {
        List<Target> out = new ArrayList<>();
        if (f.format() == IacFormat.TERRAFORM) {
            HclDocument d = HclDocument.parse(f.path(), f.text());
            for (Body.Block b : d.blocks()) {
                if (b.type().equals("resource")) {
                    out.add(new Target("resource:" + b.label(0), b.address(), d.lineOf(b.start())));
                } else if (b.type().equals("module")) {
                    String src = b.attribute("source").map(a -> a.value().source().replace("\"", "")).orElse("?");
                    out.add(new Target("module:" + src, b.address(), d.lineOf(b.start())));
                } else {
                    out.add(new Target(b.type(), b.address(), d.lineOf(b.start())));
                }
            }
        } else {
            CfnDocument d = CfnDocument.parse(f.path(), f.text(), f.format() == IacFormat.CLOUDFORMATION_JSON);
            for (CfnDocument.Resource r : d.resources()) {
                out.add(new Target("cfn:" + r.type(), r.logicalId(), d.line(r.key())));
            }
        }
        return out;
    }

    /** Runs the mapping's steps for {@code target}; {@code line} (when > 0) is the finding's line. */
    static Outcome fix(FixMapping m, FixMapping.Query q, SourceFile f, Target target, int line, PatchContext ctx) {
        Optional<FixMapping.Step> step = m.stepsFor(q).stream().filter(s -> FixMapping.matches(s.target(), target.kind())).findFirst();
        if (step.isEmpty()) {
            return m.unsupported().stream().filter(u -> FixMapping.matches(u.target(), target.kind())).findFirst()
                    .<Outcome>map(u -> new Outcome.Unsupported(u.reason())).orElse(new Outcome.NoStep(target.kind()));
        }
        String text = f.text();
        List<String> notes = new ArrayList<>();
        List<String> compliant = new ArrayList<>();
        for (FixMapping.OpCall call : step.get().ops()) {
            PatchOperation op = REGISTRY.create(call.op(), call.params(q.with()));
            ResourceSelector sel = line > 0 && text.equals(f.text()) ? new ResourceSelector.ByLine(line)
                    : new ResourceSelector.ByAddress(target.address());
            PatchResult r = op.apply(new SourceFile(f.path(), text, f.format()), sel, ctx);
            switch (r) {
                case PatchResult.Changed c -> {
                    text = c.text();
                    notes.add(c.summary());
                }
                case PatchResult.AlreadyCompliant a -> compliant.add(a.reason());
                case PatchResult.CannotPatch c -> {
                    return new Outcome.Refused(c.code(), c.reason(), c.location().toString());
                }
            }
        }
        if (text.equals(f.text())) {
            return new Outcome.Compliant(String.join("; ", compliant));
        }
        String violation = m.check().equals("none") ? ""
                : ComplianceChecks.violation(m.check(), f.format() == IacFormat.TERRAFORM, text, target.address(), q.with())
                        .orElse("");
        return new Outcome.Fixed(text, notes, violation);
    }
}
