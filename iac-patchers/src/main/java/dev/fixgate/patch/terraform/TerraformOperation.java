package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.Outcomes;
import dev.fixgate.patch.PatchException;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.List;
import java.util.Set;

/**
 * The shared shape of Terraform operations: parse, locate, collect edits, and only then splice. The output of
 * every change is parsed again before it is returned, so a bug can refuse but never emit a broken file.
 */
interface TerraformOperation extends PatchOperation {

    /**
     * Collects the edits that make {@code target} compliant into {@code edits}, or returns why it already is.
     * Throws {@link Refusal} to refuse. Returns the already-compliant reason; ignored when edits were made.
     */
    String patch(ModuleView module, Locator.Located target, Edits edits);

    /** Resource types this operation is for; empty means any. */
    List<String> resourceTypes();

    @Override
    default Set<IacFormat> formats() {
        return Set.of(IacFormat.TERRAFORM);
    }

    @Override
    default PatchResult apply(SourceFile file, ResourceSelector target) {
        return apply(file, target, PatchContext.none());
    }

    @Override
    default PatchResult apply(SourceFile file, ResourceSelector target, PatchContext context) {
        if (file.format() != IacFormat.TERRAFORM) {
            return Outcomes.cannot(Outcomes.NOT_APPLICABLE, id() + " edits Terraform, not " + file.format(), file.path(), 0);
        }
        try {
            HclDocument doc = HclDocument.parse(file.path(), file.text());
            Locator.Located located = Locator.locate(doc, target);
            Body.Block b = located.block();
            if (!resourceTypes().isEmpty() && !(b.type().equals("resource") && resourceTypes().contains(b.label(0)))) {
                return Outcomes.cannot(Outcomes.NOT_APPLICABLE, id() + " applies to " + resourceTypes() + ", not "
                        + b.address(), file.path(), doc.lineOf(b.start()));
            }
            Edits edits = new Edits(doc);
            String compliant = patch(new ModuleView(doc, context), located, edits);
            if (edits.isEmpty()) {
                return new PatchResult.AlreadyCompliant(b.address() + ": " + compliant);
            }
            PatchResult.Changed changed = edits.result(b.address()
                    + (located.note().isEmpty() ? "" : " (" + located.note() + ")"));
            selfCheck(file.path(), changed.text());
            for (SourceFile other : changed.otherFiles()) {
                selfCheck(other.path(), other.text());
            }
            return changed;
        } catch (Refusal r) {
            return r.result();
        } catch (PatchException e) {
            return Outcomes.of(e, file.path());
        }
    }

    private static void selfCheck(String path, String text) {
        try {
            HclDocument.parse(path, text);
        } catch (PatchException e) {
            throw new Refusal(Outcomes.cannot(Outcomes.SELF_CHECK_FAILED,
                    "the patched text no longer parses (" + e.getMessage() + "); nothing was changed", path,
                    e.location().map(l -> l.line()).orElse(0L)));
        }
    }
}
