package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.Outcomes;
import dev.fixgate.patch.PatchException;
import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.TextEdit;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The shared shape of CloudFormation operations: compose, locate the resource (logical id, physical name or
 * line), collect edits, splice, and re-read the output before returning it.
 */
interface CloudFormationOperation extends PatchOperation {

    /** Collects edits making {@code r} compliant, or returns why it already is; throws {@link Refusal} to refuse. */
    String patch(CfnDocument doc, CfnDocument.Resource r, CfnEdits edits);

    /** Resource types ({@code AWS::S3::Bucket}) this applies to; empty means any. */
    List<String> resourceTypes();

    @Override
    default Set<IacFormat> formats() {
        return Set.of(IacFormat.CLOUDFORMATION_YAML, IacFormat.CLOUDFORMATION_JSON);
    }

    @Override
    default PatchResult apply(SourceFile file, ResourceSelector target) {
        if (!formats().contains(file.format())) {
            return Outcomes.cannot(Outcomes.NOT_APPLICABLE, id() + " edits CloudFormation, not " + file.format(), file.path(), 0);
        }
        boolean json = file.format() == IacFormat.CLOUDFORMATION_JSON;
        try {
            CfnDocument doc = CfnDocument.parse(file.path(), file.text(), json);
            CfnDocument.Resource r = locate(doc, target);
            if (!resourceTypes().isEmpty() && !resourceTypes().contains(r.type())) {
                return Outcomes.cannot(Outcomes.NOT_APPLICABLE, id() + " applies to " + resourceTypes() + ", not "
                        + r.logicalId() + " (" + r.type() + ")", file.path(), doc.line(r.key()));
            }
            CfnEdits edits = new CfnEdits();
            String compliant = patch(doc, r, edits);
            if (edits.isEmpty()) {
                return new PatchResult.AlreadyCompliant(r.logicalId() + ": " + compliant);
            }
            String out = TextEdit.apply(file.text(), edits.edits);
            try {
                CfnDocument.parse(file.path(), out, json);
            } catch (PatchException e) {
                return Outcomes.cannot(Outcomes.SELF_CHECK_FAILED, "the patched template no longer parses ("
                        + e.getMessage() + "); nothing was changed", file.path(), e.location().map(l -> l.line()).orElse(0L));
            }
            return new PatchResult.Changed(out, r.logicalId() + ": " + String.join("; ", edits.notes));
        } catch (Refusal refusal) {
            return refusal.result();
        } catch (PatchException e) {
            return Outcomes.of(e, file.path());
        }
    }

    static CfnDocument.Resource locate(CfnDocument doc, ResourceSelector target) {
        List<CfnDocument.Resource> found = switch (target) {
            case ResourceSelector.ByAddress a -> doc.resources().stream().filter(r -> r.logicalId().equals(a.address())).toList();
            case ResourceSelector.ByAttribute a -> doc.resources().stream().filter(r -> r.type().equals(a.type())
                    && CfnDocument.get(r.body(), "Properties").filter(p -> p instanceof org.snakeyaml.engine.v2.nodes.MappingNode)
                    .flatMap(p -> CfnDocument.get((org.snakeyaml.engine.v2.nodes.MappingNode) p, a.name()))
                    .filter(v -> v instanceof ScalarNode s && s.getValue().equals(a.value()) && Intrinsics.name(v).isEmpty())
                    .isPresent()).toList();
            case ResourceSelector.ByLine l -> doc.resources().stream().filter(r -> doc.line(r.key()) <= l.line()
                    && l.line() <= doc.lineOf(Math.max(doc.start(r.key()), doc.contentEnd(r.body()) - 1))).toList();
        };
        if (found.isEmpty()) {
            long line = target instanceof ResourceSelector.ByLine l ? l.line() : 0;
            throw Refusal.of(Outcomes.RESOURCE_NOT_FOUND, "no resource matches " + describe(target), doc.path(), line);
        }
        if (found.size() > 1) {
            throw Refusal.of(Outcomes.AMBIGUOUS, found.size() + " resources match " + describe(target)
                    + " (several documents in one file?)", doc.path(), doc.line(found.get(1).key()));
        }
        return found.get(0);
    }

    private static String describe(ResourceSelector s) {
        return switch (s) {
            case ResourceSelector.ByAddress a -> "logical id " + a.address();
            case ResourceSelector.ByAttribute a -> a.type() + " with " + a.name() + " = " + a.value();
            case ResourceSelector.ByLine l -> "line " + l.line();
        };
    }

    /** The node at a dotted path under Properties, if every step exists. */
    static Optional<Node> at(CfnDocument.Resource r, List<String> path) {
        Optional<Node> n = CfnDocument.get(r.body(), "Properties");
        for (String p : path) {
            if (n.isEmpty() || !(n.get() instanceof org.snakeyaml.engine.v2.nodes.MappingNode m)) {
                return Optional.empty();
            }
            n = CfnDocument.get(m, p);
        }
        return n;
    }
}
