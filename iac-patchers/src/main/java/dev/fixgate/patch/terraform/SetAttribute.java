package dev.fixgate.patch.terraform;

import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.patch.Params;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.List;

/**
 * {@code terraform.set_attribute}: makes one attribute hold a value ({@code encrypted = true},
 * {@code versioning.enabled = true}), adding it (and missing parent blocks) when absent. When the current value is
 * a {@code var.}/{@code local.} reference it is followed to the variable default, the tfvars or the local that
 * sets it, if that is one place used only here; otherwise the operation refuses.
 *
 * @param path           dotted path; all but the last segment are nested blocks (or object attributes)
 * @param value          the value to hold
 * @param nestedAsObject create missing parents as {@code name = { ... }}
 * @param onlyIfPresent  leave an absent attribute absent ({@code when_absent: skip}): for settings whose provider
 *                       default is already the safe value, e.g. {@code publicly_accessible} defaults to false
 * @param resourceTypes  resource types this applies to (empty: any)
 */
public record SetAttribute(List<String> path, HclValue value, boolean nestedAsObject, boolean onlyIfPresent,
                           List<String> resourceTypes)
        implements TerraformOperation {

    public static final String ID = "terraform.set_attribute";

    public SetAttribute {
        path = List.copyOf(path);
        resourceTypes = List.copyOf(resourceTypes);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String patch(ModuleView module, Locator.Located target, Edits edits) {
        if (onlyIfPresent && !EnsureBlock.present(Container.of(target.block()), path)) {
            return String.join(".", path) + " is not set, and its default is the safe value";
        }
        // Setting one attribute is ensuring a block path that holds just it.
        new EnsureBlock(path.subList(0, path.size() - 1), new HclValue.Spec(java.util.Map.of(path.get(path.size() - 1), value)),
                nestedAsObject, false, resourceTypes).patch(module, target, edits);
        return String.join(".", path) + " is already " + value.source();
    }

    static PatchOperation create(Params p) {
        p.allowOnly("path", "value", "nested_as", "when_absent", "resource_types");
        String whenAbsent = p.oneOf("when_absent", "add", "add", "skip");
        List<String> path = EnsureBlock.dotted(p.string("path"));
        for (String s : path) {
            if (!s.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                throw p.invalid("path segment '" + s + "' is not an HCL identifier");
            }
        }
        return new SetAttribute(path, HclValue.of(p.value("value"), p, "value"), EnsureBlock.nestedAsObject(p),
                whenAbsent.equals("skip"),
                p.stringList("resource_types"));
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends SimpleFactory {
        public Factory() {
            super(ID, "set or add one attribute: path (dotted), value (scalar, list or {expr: ...}), nested_as"
                    + " (block|object), when_absent (add|skip), resource_types", SetAttribute::create);
        }
    }
}
