package dev.fixgate.patch.terraform;

import dev.fixgate.patch.PatchException;
import dev.fixgate.patch.Refusal;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.Optional;

/** Reads facts about a selected Terraform resource, for guards that decide whether an operation applies. */
public final class TfTargets {

    private TfTargets() {
    }

    /**
     * The literal value of the target's top-level attribute ({@code <expr>} when it is an expression); empty when
     * absent or when the file or target cannot be read (the guarded operation then reports that itself).
     */
    public static Optional<String> attribute(SourceFile file, ResourceSelector target, String name) {
        try {
            Body.Block b = Locator.locate(HclDocument.parse(file.path(), file.text()), target).block();
            return b.attribute(name).map(a -> a.value() instanceof Value.Literal l ? l.text() : "<expr>");
        } catch (PatchException | Refusal e) {
            return Optional.empty();
        }
    }
}
