package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.Outcomes;
import dev.fixgate.patch.Params;
import dev.fixgate.patch.PortFilter;
import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.patch.TextEdit;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code terraform.remove_list_element} and {@code terraform.replace_list_element}: take {@code 0.0.0.0/0} out of
 * {@code cidr_blocks}, or swap it for an internal range, in the resource body or in the nested blocks of one type
 * ({@code ingress}). A finding's line picks the one nested block it points into; {@code port} keeps only rules
 * whose ports cover that port (or that allow all protocols) — AWS {@code from_port..to_port}, Azure
 * {@code destination_port_range(s)} ({@code 22}, {@code *}, {@code 20-30}), GCP {@code allow { ports }} — and
 * {@code where} only rules whose literal attributes hold one of the given values (an Azure NSG rule's
 * {@code direction: Inbound}, {@code access: Allow}; case-insensitive; an absent or computed attribute does not
 * exclude a rule). Removing the last element is refused: a rule without a source is a different rule, not a fix.
 *
 * @param replace       true for replace, false for remove
 * @param attributes    list attributes to edit ({@code cidr_blocks}, {@code ipv6_cidr_blocks}); scalars are edited too
 * @param values        elements to take out
 * @param replacement   what replaces them (replace only)
 * @param block         nested block type holding the attribute, empty for the body itself
 * @param port          only rules covering this port or range; empty for all
 * @param where         only rules whose attribute (key) literally holds one of the values; empty for all
 * @param resourceTypes resource types this applies to (empty: any)
 */
public record ListElementEdit(boolean replace, List<String> attributes, List<String> values, String replacement,
                              String block, PortFilter port, java.util.Map<String, List<String>> where,
                              List<String> resourceTypes)
        implements TerraformOperation {

    public static final String REMOVE_ID = "terraform.remove_list_element";
    public static final String REPLACE_ID = "terraform.replace_list_element";

    public ListElementEdit {
        attributes = List.copyOf(attributes);
        values = List.copyOf(values);
        where = java.util.Map.copyOf(where);
        resourceTypes = List.copyOf(resourceTypes);
    }

    @Override
    public String id() {
        return replace ? REPLACE_ID : REMOVE_ID;
    }

    @Override
    public String patch(ModuleView module, Locator.Located target, Edits edits) {
        HclDocument doc = module.primary();
        List<Body.Block> scopes = new ArrayList<>();
        if (block.isEmpty()) {
            // a standalone rule (aws_security_group_rule) carries its ports in its own body
            if (coversPort(target.block())) {
                scopes.add(target.block());
            }
        } else {
            // Rules a `dynamic "ingress"` block generates are not in the text: we cannot tell they are closed.
            target.block().blocks("dynamic").stream().filter(d -> d.label(0).equals(block)).findFirst().ifPresent(d -> {
                throw Refusals.at(Outcomes.VALUE_IS_EXPRESSION, "some " + block + " rules come from a dynamic block;"
                        + " their " + attributes + " are computed", doc, d.start());
            });
            List<Body.Block> nested = target.block().blocks(block).stream().filter(this::coversPort).toList();
            List<Body.Block> atLine = nested.stream().filter(b -> target.line() > 0
                    && doc.lineOf(b.start()) <= target.line() && target.line() <= doc.lineOf(b.end() - 1)).toList();
            scopes.addAll(atLine.isEmpty() ? nested : atLine);
        }
        for (Body.Block scope : scopes) {
            for (String name : attributes) {
                Optional<Body.Attribute> a = scope.attribute(name);
                if (a.isPresent()) {
                    edit(doc, a.get(), edits);
                }
            }
        }
        return "no " + values + " in " + (block.isEmpty() ? "" : block + ".") + attributes
                + (port instanceof PortFilter.Any ? "" : " of rules covering " + port);
    }

    private void edit(HclDocument doc, Body.Attribute a, Edits edits) {
        HclWriter w = new HclWriter(doc);
        if (a.value() instanceof Value.Literal lit) {
            if (!values.contains(lit.text())) {
                return;
            }
            if (!replace) {
                throw Refusals.at(Outcomes.UNSAFE_EDIT, a.name() + " holds only " + lit.source()
                        + "; removing it would leave the rule without a source", doc, a.start());
            }
            edits.add(doc, w.replaceValue(a, HclValue.quote(replacement)), "replaced " + a.name() + " " + lit.source()
                    + " with \"" + replacement + "\" at line " + doc.lineOf(a.start()));
            return;
        }
        if (!(a.value() instanceof Value.Tuple t)) {
            if (a.value().source().contains("0.0.0.0/0") || values.stream().anyMatch(v -> a.value().source().contains(v))
                    || a.value() instanceof Value.Reference) {
                throw Refusals.at(a.value() instanceof Value.Reference ? Outcomes.VALUE_FROM_VARIABLE : Outcomes.VALUE_IS_EXPRESSION,
                        a.name() + " is computed by `" + dev.fixgate.patch.Quoting.snippet(a.value().source()) + "`; cannot tell which element to change",
                        doc, a.valueStart());
            }
            return;
        }
        List<Value.Element> hits = t.elements().stream()
                .filter(e -> e.value() instanceof Value.Literal l && values.contains(l.text())).toList();
        if (hits.isEmpty()) {
            return;
        }
        boolean hasReplacement = t.elements().stream().anyMatch(e -> e.value() instanceof Value.Literal l
                && l.text().equals(replacement));
        if (replace && !hasReplacement) {
            // The first hit becomes the replacement, further hits go: no duplicate entries.
            edits.add(doc, new TextEdit(hits.get(0).start(), hits.get(0).end(), HclValue.quote(replacement)),
                    "replaced " + hits.get(0).value().source() + " with \"" + replacement + "\" in " + a.name()
                            + " at line " + doc.lineOf(a.start()));
            hits = hits.subList(1, hits.size());
            if (hits.isEmpty()) {
                return;
            }
        }
        if (hits.size() == t.elements().size()) {
            throw Refusal.of(Outcomes.UNSAFE_EDIT, "removing " + values + " would leave " + a.name() + " empty", doc.path(), doc.lineOf(a.start()));
        }
        removeElements(doc, t, hits, a, edits);
    }

    /** Removes elements with their separators; each element's trailing comma (if any) goes with it. */
    private static void removeElements(HclDocument doc, Value.Tuple t, List<Value.Element> hits, Body.Attribute a, Edits edits) {
        List<Value.Element> all = t.elements();
        String text = doc.text();
        for (Value.Element e : hits) {
            int i = all.indexOf(e);
            int start;
            int end;
            if (i < all.size() - 1) {
                start = e.start();
                end = all.get(i + 1).start();
                if (doc.lineOf(e.start()) != doc.lineOf(end)) {
                    // One element per line: drop the whole line.
                    start = doc.lines().startOfLineAt(e.start());
                    end = doc.lines().startOfLineAt(end);
                }
            } else {
                Value.Element prev = all.get(i - 1);
                if (hits.contains(prev)) {
                    continue; // the previous removal is extended below
                }
                int comma = text.indexOf(',', prev.end());
                start = comma >= 0 && comma < e.start() ? comma : prev.end();
                end = e.end();
                if (doc.lineOf(prev.end()) != doc.lineOf(e.start())) {
                    start = doc.lines().nextLineStart(prev.end());
                    end = doc.lines().nextLineStart(e.end());
                    // keep a trailing comma on the previous line: HCL allows it
                }
            }
            edits.add(doc, new TextEdit(start, end, ""), "removed " + e.value().source() + " from " + a.name()
                    + " at line " + doc.lineOf(e.start()));
        }
    }

    private boolean coversPort(Body.Block rule) {
        for (var w : where.entrySet()) {
            Optional<String> v = literal(rule, w.getKey());
            if (v.isPresent() && w.getValue().stream().noneMatch(x -> x.equalsIgnoreCase(v.get()))) {
                return false;
            }
        }
        if (port instanceof PortFilter.Any) {
            return true;
        }
        String protocol = literal(rule, "protocol").orElse("");
        if (rule.attribute("destination_port_range").isPresent() || rule.attribute("destination_port_ranges").isPresent()) {
            List<String> specs = new ArrayList<>();
            for (String name : List.of("destination_port_range", "destination_port_ranges")) {
                Optional<Body.Attribute> a = rule.attribute(name);
                if (a.isEmpty()) {
                    continue;
                }
                if (a.get().value() instanceof Value.Literal l) {
                    specs.add(l.text());
                } else if (a.get().value() instanceof Value.Tuple t) {
                    t.elements().forEach(e -> specs.add(e.value() instanceof Value.Literal l ? l.text() : "?"));
                } else {
                    specs.add("?"); // computed: assumed to cover
                }
            }
            return port.matchesSpecs(protocol, specs);
        }
        if (!rule.blocks("allow").isEmpty() || rule.attribute("source_ranges").isPresent()) {
            // a GCP firewall: its allow blocks' ports (no allow block: a deny rule opens nothing)
            for (Body.Block allow : rule.blocks("allow")) {
                String proto = literal(allow, "protocol").orElse("?");
                if (!proto.equalsIgnoreCase("all") && !proto.equalsIgnoreCase("tcp") && !proto.equals("?")
                        && !proto.equals("6")) {
                    continue;
                }
                List<String> specs = new ArrayList<>();
                allow.attribute("ports").ifPresent(a -> {
                    if (a.value() instanceof Value.Tuple t) {
                        t.elements().forEach(e -> specs.add(e.value() instanceof Value.Literal l ? l.text() : "?"));
                    } else {
                        specs.add("?");
                    }
                });
                if (port.matchesSpecs(proto.equalsIgnoreCase("all") ? "all" : proto, specs)) {
                    return true;
                }
            }
            return false;
        }
        return port.matches(protocol, literal(rule, "from_port").orElse(""), literal(rule, "to_port").orElse(""));
    }

    private static Optional<String> literal(Body.Block b, String name) {
        return b.attribute(name).filter(a -> a.value() instanceof Value.Literal).map(a -> ((Value.Literal) a.value()).text());
    }

    static PatchOperation create(Params p, boolean replace) {
        if (replace) {
            p.allowOnly("attribute", "value", "replacement", "block", "port", "where", "resource_types");
        } else {
            p.allowOnly("attribute", "value", "block", "port", "where", "resource_types");
        }
        List<String> attrs = p.stringList("attribute");
        List<String> values = p.stringList("value");
        if (attrs.isEmpty() || values.isEmpty()) {
            throw p.invalid("'attribute' and 'value' are required");
        }
        return new ListElementEdit(replace, attrs, values, replace ? p.string("replacement") : "",
                p.optString("block").orElse(""), PortFilter.param(p, "port"), where(p), p.stringList("resource_types"));
    }

    /** {@code where: {direction: Inbound, access: [Allow]}}: attribute → value or list of values. */
    private static java.util.Map<String, List<String>> where(Params p) {
        if (!p.has("where")) {
            return java.util.Map.of();
        }
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        if (!(p.value("where") instanceof java.util.Map<?, ?> m)) {
            throw p.invalid("'where' must map attribute names to a value or a list of values");
        }
        m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(v))));
        return out;
    }

    /** Registered in META-INF/services. */
    public static final class RemoveFactory extends SimpleFactory {
        public RemoveFactory() {
            super(REMOVE_ID, "remove list elements: attribute (name or list), value (element or list), block (nested"
                    + " type, optional), port (optional), resource_types", p -> ListElementEdit.create(p, false));
        }
    }

    /** Registered in META-INF/services. */
    public static final class ReplaceFactory extends SimpleFactory {
        public ReplaceFactory() {
            super(REPLACE_ID, "replace list elements: attribute, value, replacement, block (optional), port"
                    + " (optional), resource_types", p -> ListElementEdit.create(p, true));
        }
    }
}
