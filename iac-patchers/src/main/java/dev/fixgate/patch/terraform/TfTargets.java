package dev.fixgate.patch.terraform;

import dev.fixgate.patch.PatchException;
import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.TargetReader;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads facts about a selected Terraform resource, for guards that decide whether an operation applies. */
public final class TfTargets implements TargetReader {

    /** For {@link java.util.ServiceLoader}; the static helpers are the same reads. */
    public TfTargets() {
    }

    @Override
    public Set<IacFormat> formats() {
        return Set.of(IacFormat.TERRAFORM);
    }

    @Override
    public Optional<String> attribute(SourceFile file, ResourceSelector target, String name) {
        return attributeOf(file, target, name);
    }

    @Override
    public List<Map<String, String>> companions(SourceFile file, ResourceSelector target, PatchContext context,
                                                String type, String ownerAttribute) {
        return companionsOf(file, target, context, type, ownerAttribute);
    }

    /**
     * The literal value of the target's top-level attribute ({@code <expr>} when it is an expression); empty when
     * absent or when the file or target cannot be read (the guarded operation then reports that itself).
     */
    public static Optional<String> attributeOf(SourceFile file, ResourceSelector target, String name) {
        try {
            Body.Block b = Locator.locate(HclDocument.parse(file.path(), file.text()), target).block();
            // a dotted name reads through the first nested block of each type: metadata_options.http_endpoint
            String[] path = name.split("\\.");
            for (int i = 0; i < path.length - 1; i++) {
                List<Body.Block> nested = b.blocks(path[i]);
                if (nested.isEmpty()) {
                    return Optional.empty();
                }
                b = nested.get(0);
            }
            return b.attribute(path[path.length - 1]).map(a -> a.value() instanceof Value.Literal l ? l.text() : "<expr>");
        } catch (PatchException | Refusal e) {
            return Optional.empty();
        }
    }

    /**
     * The literal attributes of each {@code type} resource that points at the target's owner (the target itself,
     * or the resource its {@code ownerAttribute} refers to: an {@code aws_s3_bucket_acl}'s bucket). Empty when
     * there is none or the file cannot be read.
     */
    public static List<Map<String, String>> companionsOf(SourceFile file, ResourceSelector target, PatchContext context,
                                                         String type, String ownerAttribute) {
        try {
            HclDocument doc = HclDocument.parse(file.path(), file.text());
            ModuleView module = new ModuleView(doc, context);
            Body.Block owner = Companions.ownerOf(module, Locator.locate(doc, target).block(), ownerAttribute);
            List<Map<String, String>> out = new ArrayList<>();
            for (Companions.Companion c : Companions.of(module, owner, type, ownerAttribute)) {
                Map<String, String> attributes = new LinkedHashMap<>();
                for (Body.Item item : c.block().body()) {
                    if (item instanceof Body.Attribute a) {
                        attributes.put(a.name(), a.value() instanceof Value.Literal l ? l.text() : "<expr>");
                    }
                }
                out.add(attributes);
            }
            return out;
        } catch (PatchException | Refusal e) {
            return List.of();
        }
    }
}
