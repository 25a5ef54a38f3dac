package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.PatchException;
import dev.fixgate.patch.Refusal;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads facts about a selected CloudFormation resource, for guards that decide whether an operation applies. */
public final class CfnTargets {

    private CfnTargets() {
    }

    /** The scalar value of a top-level property ({@code <expr>} for anything else); empty when absent or unreadable. */
    public static Optional<String> property(SourceFile file, ResourceSelector target, String name) {
        try {
            CfnDocument doc = CfnDocument.parse(file.path(), file.text(), file.format() == IacFormat.CLOUDFORMATION_JSON);
            CfnDocument.Resource r = CloudFormationOperation.locate(doc, target);
            return CloudFormationOperation.at(r, List.of(name)).map(n -> n instanceof ScalarNode s
                    && Intrinsics.name(n).isEmpty() ? s.getValue() : "<expr>");
        } catch (PatchException | Refusal e) {
            return Optional.empty();
        }
    }
}
