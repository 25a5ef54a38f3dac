package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.PatchException;
import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.TargetReader;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Reads facts about a selected CloudFormation resource, for guards that decide whether an operation applies. */
public final class CfnTargets implements TargetReader {

    /** For {@link java.util.ServiceLoader}. */
    public CfnTargets() {
    }

    @Override
    public Set<IacFormat> formats() {
        return Set.of(IacFormat.CLOUDFORMATION_YAML, IacFormat.CLOUDFORMATION_JSON);
    }

    @Override
    public Optional<String> attribute(SourceFile file, ResourceSelector target, String name) {
        return property(file, target, name);
    }

    /** CloudFormation has no companion resources that point at a target the way Terraform's do. */
    @Override
    public List<Map<String, String>> companions(SourceFile file, ResourceSelector target, PatchContext context,
                                                String type, String ownerAttribute) {
        return List.of();
    }

    /**
     * The scalar value of a property, top-level or dotted ({@code MetadataOptions.HttpEndpoint}; {@code <expr>} for
     * anything else); empty when absent or unreadable.
     */
    public static Optional<String> property(SourceFile file, ResourceSelector target, String name) {
        try {
            CfnDocument doc = CfnDocument.parse(file.path(), file.text(), file.format() == IacFormat.CLOUDFORMATION_JSON);
            CfnDocument.Resource r = CloudFormationOperation.locate(doc, target);
            return CloudFormationOperation.at(r, List.of(name.split("\\."))).map(n -> n instanceof ScalarNode s
                    && Intrinsics.name(n).isEmpty() ? s.getValue() : "<expr>");
        } catch (PatchException | Refusal e) {
            return Optional.empty();
        }
    }
}
