package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Outcomes;
import dev.fixgate.spi.iac.PatchResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes a block (or object) contain a {@link HclValue.Spec}: missing attributes and nested blocks are added,
 * differing literal values are replaced, matching ones are left alone. A value that comes from a variable or
 * local is followed to where it is set when that place is unambiguous, otherwise the whole operation refuses.
 */
final class Ensurer {

    private final ModuleView module;
    private final Edits edits;
    private final boolean nestedAsObject;

    Ensurer(ModuleView module, Edits edits, boolean nestedAsObject) {
        this.module = module;
        this.edits = edits;
        this.nestedAsObject = nestedAsObject;
    }

    /** Returns a refusal, or empty when the spec is (or has been made) satisfied. */
    Optional<PatchResult.CannotPatch> ensure(HclDocument doc, Container c, HclValue.Spec spec, String where) {
        HclWriter w = new HclWriter(doc);
        Map<String, String> newAttributes = new LinkedHashMap<>();
        Map<String, HclValue.Spec> newBlocks = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : spec.entries().entrySet()) {
            String name = e.getKey();
            String path = where.isEmpty() ? name : where + "." + name;
            if (e.getValue() instanceof HclValue desired) {
                Optional<Body.Attribute> existing = c.attribute(name);
                if (existing.isEmpty()) {
                    if (!c.blocks(name).isEmpty()) {
                        return Optional.of(refuse(Outcomes.NOT_APPLICABLE, path + " is a nested block here, not an attribute",
                                doc, c.blocks(name).get(0).start()));
                    }
                    newAttributes.put(name, desired.source());
                    continue;
                }
                Optional<PatchResult.CannotPatch> r = setValue(doc, existing.get(), desired, path);
                if (r.isPresent()) {
                    return r;
                }
            } else {
                HclValue.Spec nested = (HclValue.Spec) e.getValue();
                List<Body.Block> blocks = c.blocks(name);
                if (blocks.size() > 1) {
                    return Optional.of(refuse(Outcomes.AMBIGUOUS, path + " appears " + blocks.size()
                            + " times; which one to change is a judgement call", doc, blocks.get(1).start()));
                }
                if (blocks.size() == 1) {
                    Optional<PatchResult.CannotPatch> r = ensure(doc, Container.of(blocks.get(0)), nested, path);
                    if (r.isPresent()) {
                        return r;
                    }
                    continue;
                }
                Optional<Body.Attribute> attr = c.attribute(name);
                if (attr.isPresent()) {
                    if (attr.get().value() instanceof Value.Object o) {
                        Optional<PatchResult.CannotPatch> r = new Ensurer(module, edits, true)
                                .ensure(doc, Container.of(o), nested, path);
                        if (r.isPresent()) {
                            return r;
                        }
                        continue;
                    }
                    return Optional.of(refuse(Outcomes.VALUE_IS_EXPRESSION, path + " is set by the expression `"
                            + dev.fixgate.patch.Quoting.snippet(attr.get().value().source()) + "`, not a literal object", doc, attr.get().start()));
                }
                newBlocks.put(name, nested);
            }
        }
        if (!newAttributes.isEmpty() || !newBlocks.isEmpty()) {
            boolean asObject = c.object() || nestedAsObject;
            List<String> added = new java.util.ArrayList<>(newAttributes.keySet().stream()
                    .map(k -> (where.isEmpty() ? "" : where + ".") + k).toList());
            newBlocks.keySet().forEach(k -> added.add((where.isEmpty() ? "" : where + ".") + k));
            edits.addAll(doc, w.insert(c, newAttributes, newBlocks, asObject), "added " + String.join(", ", added));
        }
        return Optional.empty();
    }

    /** Makes an existing attribute hold {@code desired}, following var./local. references when safe. */
    Optional<PatchResult.CannotPatch> setValue(HclDocument doc, Body.Attribute a, HclValue desired, String path) {
        Value v = a.value();
        if (desired.matches(v)) {
            return Optional.empty();
        }
        if (v instanceof Value.Literal || v instanceof Value.Tuple && desired instanceof HclValue.ListOf) {
            edits.add(doc, new HclWriter(doc).replaceValue(a, desired.source()),
                    "set " + path + " = " + desired.source() + " (was " + v.source() + ")");
            return Optional.empty();
        }
        if (v instanceof Value.Reference ref) {
            return follow(doc, a, ref, desired, path);
        }
        return Optional.of(refuse(Outcomes.VALUE_IS_EXPRESSION, path + " is computed by `" + dev.fixgate.patch.Quoting.snippet(v.source())
                + "`; changing an expression is left to a person", doc, a.valueStart()));
    }

    private Optional<PatchResult.CannotPatch> follow(HclDocument doc, Body.Attribute a, Value.Reference ref,
                                                     HclValue desired, String path) {
        List<String> uses = module.usages(ref.kind(), ref.name());
        if (uses.size() > 1) {
            return Optional.of(refuse(Outcomes.VALUE_SHARED, path + " comes from " + ref.source()
                    + ", which is also used at " + uses.stream().filter(u -> !u.equals(doc.path() + ":" + doc.lineOf(a.valueStart())))
                    .toList() + "; changing it would change those too", doc, a.valueStart()));
        }
        if (ref.kind().equals("local")) {
            List<Origin> defs = module.tfDocuments().stream().flatMap(d -> d.blocks().stream()
                    .filter(b -> b.type().equals("locals"))
                    .flatMap(b -> b.attribute(ref.name()).stream().map(x -> new Origin(d, x)))).toList();
            if (defs.size() != 1) {
                return Optional.of(refuse(Outcomes.VALUE_FROM_VARIABLE, path + " comes from " + ref.source()
                        + ", defined " + defs.size() + " times in this module", doc, a.valueStart()));
            }
            return setOrigin(defs.get(0), desired, path + " (via " + ref.source() + ")", doc, a);
        }
        if (module.hasTfvarsJson()) {
            return Optional.of(refuse(Outcomes.VALUE_FROM_VARIABLE, path + " comes from " + ref.source()
                    + " and this module has .tfvars.json files we do not edit", doc, a.valueStart()));
        }
        List<Declared> declared = module.tfDocuments().stream().flatMap(d -> d.blocks().stream()
                .filter(b -> b.type().equals("variable") && b.label(0).equals(ref.name()))
                .map(b -> new Declared(d, b))).toList();
        if (declared.size() != 1) {
            return Optional.of(refuse(Outcomes.VALUE_FROM_VARIABLE, path + " comes from " + ref.source()
                    + ", declared " + declared.size() + " times in the files we were given", doc, a.valueStart()));
        }
        List<Origin> setters = module.tfvars().stream().flatMap(d -> d.items().stream()
                .filter(i -> i instanceof Body.Attribute x && x.name().equals(ref.name()))
                .map(i -> new Origin(d, (Body.Attribute) i))).toList();
        if (setters.size() > 1) {
            return Optional.of(refuse(Outcomes.VALUE_FROM_VARIABLE, path + " comes from " + ref.source()
                    + ", set in " + setters.size() + " tfvars files; which one applies depends on how it is run",
                    doc, a.valueStart()));
        }
        if (setters.size() == 1) {
            return setOrigin(setters.get(0), desired, path + " (via " + ref.source() + " in tfvars)", doc, a);
        }
        Optional<Body.Attribute> dflt = declared.get(0).block().attribute("default");
        if (dflt.isPresent() && !module.looksLikeRootModule()) {
            // Without a provider or backend this is probably a child module: its callers may set the variable,
            // and changing the default would then fix nothing while looking like a fix.
            return Optional.of(refuse(Outcomes.VALUE_FROM_VARIABLE, path + " comes from " + ref.source()
                    + " and this looks like a child module (no provider or backend): its callers may set it",
                    doc, a.valueStart()));
        }
        if (dflt.isEmpty()) {
            return Optional.of(refuse(Outcomes.VALUE_FROM_VARIABLE, path + " comes from " + ref.source()
                    + ", which has no default and no tfvars: the caller sets it", doc, a.valueStart()));
        }
        return setOrigin(new Origin(declared.get(0).doc(), dflt.get()), desired,
                path + " (via the default of " + ref.source() + ")", doc, a);
    }

    private Optional<PatchResult.CannotPatch> setOrigin(Origin o, HclValue desired, String path,
                                                        HclDocument doc, Body.Attribute use) {
        Value v = o.attribute().value();
        if (desired.matches(v)) {
            return Optional.empty();
        }
        if (!(v instanceof Value.Literal)) {
            return Optional.of(refuse(v instanceof Value.Reference ? Outcomes.VALUE_FROM_VARIABLE : Outcomes.VALUE_IS_EXPRESSION,
                    path + " is set by `" + dev.fixgate.patch.Quoting.snippet(v.source()) + "` at " + o.doc().path() + ":" + o.doc().lineOf(o.attribute().start())
                            + "; not a literal we can change", doc, use.valueStart()));
        }
        edits.add(o.doc(), new HclWriter(o.doc()).replaceValue(o.attribute(), desired.source()),
                "set " + path + " = " + desired.source() + " at " + o.doc().path() + ":"
                        + o.doc().lineOf(o.attribute().start()) + " (was " + v.source() + ")");
        return Optional.empty();
    }

    static PatchResult.CannotPatch refuse(String code, String reason, HclDocument doc, int offset) {
        return Outcomes.cannot(code, reason, doc.path(), doc.lineOf(offset));
    }

    /** Where a value is set: a tfvars entry, a variable default or a local. */
    private record Origin(HclDocument doc, Body.Attribute attribute) {
    }

    /** A {@code variable} block. */
    private record Declared(HclDocument doc, Body.Block block) {
    }
}
