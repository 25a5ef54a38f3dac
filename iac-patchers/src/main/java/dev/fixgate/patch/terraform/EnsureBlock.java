package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.patch.Params;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code terraform.ensure_block}: makes the target contain a (nested) block with the given sub-attributes and
 * sub-blocks, creating what is missing and correcting literal values that differ, e.g.
 * <pre>
 * block: server_side_encryption_configuration.rule.apply_server_side_encryption_by_default
 * attributes: {sse_algorithm: "aws:kms"}
 * </pre>
 * With {@code nested_as: object}, missing levels are written as object attributes ({@code versioning = {...}}),
 * which is how module inputs such as the terraform-aws-modules S3 module take them.
 *
 * @param block          dotted path of nested block types, empty for the resource body itself
 * @param spec           what the innermost block must contain
 * @param nestedAsObject write missing levels as {@code name = { ... }} instead of {@code name { ... }}
 * @param keepExisting   {@code when_present: keep}: a block that exists already counts as compliant, whatever it
 *                       holds (an existing {@code logging} target is the owner's choice, not ours to overwrite)
 * @param resourceTypes  resource types this applies to (empty: any block, including module calls)
 */
public record EnsureBlock(List<String> block, HclValue.Spec spec, boolean nestedAsObject, boolean keepExisting,
                          List<String> resourceTypes)
        implements TerraformOperation {

    public static final String ID = "terraform.ensure_block";

    public EnsureBlock {
        block = List.copyOf(block);
        resourceTypes = List.copyOf(resourceTypes);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String patch(ModuleView module, Locator.Located target, Edits edits) {
        if (keepExisting && !block.isEmpty() && present(Container.of(target.block()), block)) {
            return String.join(".", block) + " is present; kept as it is";
        }
        HclValue.Spec full = spec;
        for (int i = block.size() - 1; i >= 0; i--) {
            full = new HclValue.Spec(Map.of(block.get(i), full));
        }
        Optional<dev.fixgate.spi.iac.PatchResult.CannotPatch> r = new Ensurer(module, edits, nestedAsObject)
                .ensure(module.primary(), Container.of(target.block()), full, "");
        if (r.isPresent()) {
            throw new Refusal(r.get());
        }
        return (block.isEmpty() ? "" : String.join(".", block) + " ") + "already has " + spec.entries().keySet();
    }

    /** Whether the dotted path exists, each step a nested block or an object-valued attribute. */
    static boolean present(Container c, List<String> path) {
        if (path.isEmpty()) {
            return true;
        }
        String name = path.get(0);
        List<String> rest = path.subList(1, path.size());
        if (rest.isEmpty() && c.attribute(name).isPresent()) {
            return true;
        }
        for (Body.Block b : c.blocks(name)) {
            if (present(Container.of(b), rest)) {
                return true;
            }
        }
        return c.attribute(name).map(a -> a.value() instanceof Value.Object o && present(Container.of(o), rest)).orElse(false);
    }

    static boolean keepExisting(Params p) {
        return p.oneOf("when_present", "merge", "merge", "keep").equals("keep");
    }

    static boolean nestedAsObject(Params p) {
        return p.oneOf("nested_as", "block", "block", "object").equals("object");
    }

    static List<String> dotted(String path) {
        return path.isBlank() ? List.of() : Arrays.asList(path.split("\\."));
    }

    static PatchOperation create(Params p) {
        p.allowOnly("block", "attributes", "nested_as", "when_present", "resource_types");
        return new EnsureBlock(dotted(p.optString("block").orElse("")),
                HclValue.Spec.of(p.map("attributes"), p, "attributes"), nestedAsObject(p), keepExisting(p),
                p.stringList("resource_types"));
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends SimpleFactory {
        public Factory() {
            super(ID, "ensure a nested block with sub-attributes: block (dotted path), attributes (map; nested maps are"
                    + " sub-blocks, {expr: ...} a raw expression), nested_as (block|object), when_present (merge|keep),"
                    + " resource_types", EnsureBlock::create);
        }
    }
}
