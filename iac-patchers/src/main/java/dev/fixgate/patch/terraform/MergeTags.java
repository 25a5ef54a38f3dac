package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Params;
import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.patch.Tagging;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code terraform.merge_tags}: makes the resource carry the given tags. Keys the AWS provider's
 * {@code default_tags} already supply (the provider the resource uses, alias included) count as present, so a
 * module that tags centrally is not cluttered. Existing keys keep their values unless {@code overwrite} is set.
 * A {@code tags} computed by an expression ({@code merge(...)}, {@code var.tags}) is refused, not guessed at.
 *
 * @param tags          key → value
 * @param attribute     the tags attribute ({@code tags}; {@code tags_all} is computed and never written)
 * @param overwrite     replace values of keys that exist with other values
 * @param tagging       when a resource counts as tagged already ({@code skip_if_tagged}, {@code ignore_keys})
 * @param resourceTypes resource types this applies to (empty: any)
 */
public record MergeTags(Map<String, String> tags, String attribute, boolean overwrite, Tagging tagging,
                        List<String> resourceTypes)
        implements TerraformOperation {

    public static final String ID = "terraform.merge_tags";

    public MergeTags {
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        resourceTypes = List.copyOf(resourceTypes);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String patch(ModuleView module, Locator.Located target, Edits edits) {
        HclDocument doc = module.primary();
        Body.Block r = target.block();
        Map<String, String> defaults = defaultTags(module, r);
        Map<String, String> wanted = new LinkedHashMap<>();
        tags.forEach((k, v) -> {
            if (!v.equals(defaults.get(k))) {
                wanted.put(k, v);
            }
        });
        if (wanted.isEmpty()) {
            return "tags " + tags.keySet() + " come from the provider's default_tags";
        }
        Optional<Body.Attribute> existing = r.attribute(attribute);
        if (existing.isPresent() && existing.get().value() instanceof Value.Object o
                && tagging.satisfiedBy(o.entries().stream().map(Body.Item::name).toList())) {
            return "already tagged (" + tagging + ")";
        }
        HclWriter w = new HclWriter(doc);
        if (existing.isEmpty()) {
            String in = w.entryIndent(Container.of(r)) + w.indentUnit();
            StringBuilder obj = new StringBuilder("{").append(w.newline());
            int width = wanted.keySet().stream().mapToInt(k -> key(k).length()).max().orElse(0);
            wanted.forEach((k, v) -> obj.append(in).append(key(k)).append(" ".repeat(width - key(k).length() + 1))
                    .append("= ").append(HclValue.quote(v)).append(w.newline()));
            obj.append(w.entryIndent(Container.of(r))).append('}');
            edits.addAll(doc, w.insert(Container.of(r), Map.of(attribute, obj.toString()), Map.of(), false),
                    "added " + attribute + " " + wanted.keySet());
            return "";
        }
        if (!(existing.get().value() instanceof Value.Object o)) {
            throw Refusals.at(existing.get().value() instanceof Value.Reference ? dev.fixgate.patch.Outcomes.VALUE_FROM_VARIABLE
                            : dev.fixgate.patch.Outcomes.VALUE_IS_EXPRESSION,
                    attribute + " is computed by `" + dev.fixgate.patch.Quoting.snippet(existing.get().value().source()) + "`; add the tags where it is built",
                    doc, existing.get().valueStart());
        }
        Container c = Container.of(o);
        Map<String, String> add = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : wanted.entrySet()) {
            Optional<Body.Attribute> have = c.attribute(t.getKey());
            if (have.isEmpty()) {
                add.put(key(t.getKey()), HclValue.quote(t.getValue()));
            } else if (overwrite && !(have.get().value() instanceof Value.Literal l && l.text().equals(t.getValue()))) {
                edits.add(doc, w.replaceValue(have.get(), HclValue.quote(t.getValue())),
                        "set tag " + t.getKey() + " (was " + have.get().value().source() + ")");
            }
        }
        if (!add.isEmpty()) {
            edits.addAll(doc, w.insert(c, add, Map.of(), true), "added tags " + add.keySet());
        }
        return "tags " + tags.keySet() + " are already set";
    }

    /** Tag keys that are not identifiers ({@code kubernetes.io/role}) are quoted. */
    private static String key(String k) {
        return k.matches("[A-Za-z_][A-Za-z0-9_-]*") ? k : HclValue.quote(k);
    }

    /** The literal default_tags of the aws provider (by alias when the resource names one) in this module. */
    static Map<String, String> defaultTags(ModuleView module, Body.Block resource) {
        String alias = resource.attribute("provider").map(a -> a.value().source().strip())
                .filter(s -> s.startsWith("aws.")).map(s -> s.substring(4)).orElse("");
        Map<String, String> out = new LinkedHashMap<>();
        for (HclDocument d : module.tfDocuments()) {
            for (Body.Block p : d.blocks()) {
                if (!p.type().equals("provider") || !p.label(0).equals("aws")) {
                    continue;
                }
                String pAlias = p.attribute("alias").filter(a -> a.value() instanceof Value.Literal)
                        .map(a -> ((Value.Literal) a.value()).text()).orElse("");
                if (!pAlias.equals(alias)) {
                    continue;
                }
                for (Body.Block dt : p.blocks("default_tags")) {
                    dt.attribute("tags").filter(a -> a.value() instanceof Value.Object).ifPresent(a -> {
                        for (Body.Item i : ((Value.Object) a.value()).entries()) {
                            if (i instanceof Body.Attribute e && e.value() instanceof Value.Literal l) {
                                out.put(e.name(), l.text());
                            }
                        }
                    });
                }
            }
        }
        return out;
    }

    static PatchOperation create(Params p) {
        p.allowOnly("tags", "attribute", "overwrite", "skip_if_tagged", "ignore_keys", "resource_types");
        Map<String, String> tags = p.stringMap("tags");
        return new MergeTags(tags, p.optString("attribute").orElse("tags"), p.bool("overwrite", false),
                Tagging.param(p), p.stringList("resource_types"));
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends SimpleFactory {
        public Factory() {
            super(ID, "merge tags, aware of provider default_tags: tags (map), attribute (default tags), overwrite"
                    + " (default false), skip_if_tagged + ignore_keys, resource_types", MergeTags::create);
        }
    }
}
