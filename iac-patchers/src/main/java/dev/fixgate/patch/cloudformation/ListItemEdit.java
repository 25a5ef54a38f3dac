package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.Outcomes;
import dev.fixgate.patch.Params;
import dev.fixgate.patch.PortFilter;
import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * {@code cloudformation.remove_list_item} and {@code cloudformation.replace_list_item}: find the items of a list
 * property ({@code SecurityGroupIngress}) whose fields match ({@code CidrIp: 0.0.0.0/0}), optionally only those
 * covering a port, and remove them, or set fields on them ({@code CidrIp: 10.0.0.0/8}) and drop others (a
 * listener action that becomes a redirect loses its {@code TargetGroupArn}). Without {@code property},
 * the resource's Properties are the one item (an {@code AWS::EC2::SecurityGroupIngress} resource); removing that
 * is refused, since it would delete the resource.
 *
 * @param replace       true to set fields, false to remove items
 * @param property      dotted path of the list under Properties; empty for Properties itself
 * @param match         field → accepted values; an item matches when every field has one of its values
 * @param set           fields to set on matching items (replace only)
 * @param unset         fields to remove from matching items (replace only); an item is never emptied
 * @param port          only items whose FromPort..ToPort cover it (or IpProtocol -1); empty for all
 * @param resourceTypes resource types this applies to (empty: any)
 */
public record ListItemEdit(boolean replace, List<String> property, Map<String, List<String>> match,
                           Map<String, Object> set, List<String> unset, PortFilter port, List<String> resourceTypes)
        implements CloudFormationOperation {

    public static final String REMOVE_ID = "cloudformation.remove_list_item";
    public static final String REPLACE_ID = "cloudformation.replace_list_item";

    public ListItemEdit {
        property = List.copyOf(property);
        match = Collections.unmodifiableMap(new LinkedHashMap<>(match));
        set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
        unset = List.copyOf(unset);
        resourceTypes = List.copyOf(resourceTypes);
    }

    @Override
    public String id() {
        return replace ? REPLACE_ID : REMOVE_ID;
    }

    @Override
    public String patch(CfnDocument doc, CfnDocument.Resource r, CfnEdits edits) {
        String where = r.logicalId() + ".Properties" + (property.isEmpty() ? "" : "." + String.join(".", property));
        String none = "no item of " + where + " matches " + match + (port instanceof PortFilter.Any ? "" : " on " + port);
        Optional<Node> node = CloudFormationOperation.at(r, property);
        if (node.isEmpty() || CfnMerger.isNull(node.get())) {
            return none;
        }
        Node n = node.get();
        if (Intrinsics.name(n).isPresent()) {
            throw Refusal.of(Intrinsics.refTarget(n).isPresent() ? Outcomes.VALUE_FROM_VARIABLE : Outcomes.VALUE_IS_EXPRESSION,
                    where + " is computed by " + Intrinsics.name(n).get() + "; which items it yields is decided at deploy time",
                    doc.path(), doc.line(n));
        }
        List<Node> items = n instanceof SequenceNode s ? s.getValue() : List.of(n);
        List<MappingNode> hits = new ArrayList<>();
        for (Node item : items) {
            if (item instanceof MappingNode m && matches(m)) {
                hits.add(m);
            } else if (Intrinsics.name(item).isPresent() && mentionsMatch(doc, item)) {
                throw Refusal.of(Outcomes.VALUE_IS_EXPRESSION, "an item of " + where + " is computed by "
                        + Intrinsics.name(item).get() + " and may match " + match, doc.path(), doc.line(item));
            }
        }
        if (hits.isEmpty()) {
            return none;
        }
        if (replace) {
            CfnMerger merger = new CfnMerger(doc, edits);
            CfnWriter w = new CfnWriter(doc);
            for (MappingNode m : hits) {
                String item = where + "[line " + doc.line(m) + "]";
                List<NodeTuple> drop = m.getValue().stream().filter(t -> t.getKeyNode() instanceof ScalarNode k
                        && unset.contains(k.getValue())).toList();
                if (!drop.isEmpty()) {
                    if (drop.size() == m.getValue().size()) {
                        throw Refusal.of(Outcomes.UNSAFE_EDIT, "removing " + unset + " would leave " + item + " empty",
                                doc.path(), doc.line(m));
                    }
                    if (doc.shared(m)) {
                        throw Refusal.of(Outcomes.VALUE_SHARED, item + " is a YAML anchor used elsewhere too",
                                doc.path(), doc.line(m));
                    }
                    List<String> names = drop.stream().map(t -> ((ScalarNode) t.getKeyNode()).getValue()).toList();
                    for (var e : w.removeEntries(m, drop)) {
                        edits.add(e, "removed " + names + " from " + item);
                    }
                }
                if (!set.isEmpty()) {
                    merger.merge(m, set, item);
                }
            }
            return none;
        }
        if (!(n instanceof SequenceNode seq)) {
            throw Refusal.of(Outcomes.UNSAFE_EDIT, "removing the matching item would delete " + r.logicalId()
                    + " itself; use replace_list_item", doc.path(), doc.line(n));
        }
        if (doc.shared(seq)) {
            throw Refusal.of(Outcomes.VALUE_SHARED, where + " is a YAML anchor used elsewhere too", doc.path(), doc.line(seq));
        }
        CfnWriter w = new CfnWriter(doc);
        if (hits.size() == seq.getValue().size()) {
            NodeTuple entry = entryOf(r, property);
            edits.add(w.replaceValue(entry, List.of()), "removed every item of " + where + " (all matched " + match + ")");
        } else {
            for (var e : w.remove(seq, new ArrayList<>(hits))) {
                edits.add(e, "removed the item of " + where + " at line " + doc.lineOf(e.start() + 1));
            }
        }
        return none;
    }

    private boolean matches(MappingNode m) {
        for (Map.Entry<String, List<String>> e : match.entrySet()) {
            Optional<Node> v = CfnDocument.get(m, e.getKey());
            if (v.isEmpty() || !(v.get() instanceof ScalarNode s) || Intrinsics.name(s).isPresent()
                    || !e.getValue().contains(s.getValue())) {
                return false;
            }
        }
        return port.matches(scalar(m, "IpProtocol").orElse(""), scalar(m, "FromPort").orElse(""), scalar(m, "ToPort").orElse(""));
    }

    private boolean mentionsMatch(CfnDocument doc, Node item) {
        String src = doc.text().substring(doc.start(item), doc.end(item));
        return match.values().stream().flatMap(List::stream).anyMatch(src::contains);
    }

    private static Optional<String> scalar(MappingNode m, String key) {
        return CfnDocument.get(m, key).filter(ScalarNode.class::isInstance).map(n -> ((ScalarNode) n).getValue());
    }

    private static NodeTuple entryOf(CfnDocument.Resource r, List<String> path) {
        MappingNode m = (MappingNode) CfnDocument.get(r.body(), "Properties").orElseThrow();
        for (int i = 0; i < path.size() - 1; i++) {
            m = (MappingNode) CfnDocument.get(m, path.get(i)).orElseThrow();
        }
        return CfnDocument.entry(m, path.get(path.size() - 1)).orElseThrow();
    }

    static PatchOperation create(Params p, boolean replace) {
        if (replace) {
            p.allowOnly("property", "match", "set", "unset", "port", "resource_types");
        } else {
            p.allowOnly("property", "match", "port", "resource_types");
        }
        Map<String, List<String>> match = new LinkedHashMap<>();
        p.map("match").forEach((k, v) -> {
            if (v instanceof List<?> l) {
                match.put(k, l.stream().map(String::valueOf).toList());
            } else if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                match.put(k, List.of(String.valueOf(v)));
            } else {
                throw p.invalid("match." + k + " must be a scalar or a list of scalars");
            }
        });
        if (match.isEmpty()) {
            throw p.invalid("'match' must not be empty");
        }
        List<String> property = p.optString("property").map(s -> Arrays.asList(s.split("\\."))).orElse(List.of());
        Map<String, Object> set = replace && p.has("set") ? p.map("set") : Map.of();
        List<String> unset = replace ? p.stringList("unset") : List.of();
        if (replace && set.isEmpty() && unset.isEmpty()) {
            throw p.invalid("'set' or 'unset' must not be empty");
        }
        if (unset.stream().anyMatch(set::containsKey)) {
            throw p.invalid("a field cannot be both in 'set' and in 'unset'");
        }
        return new ListItemEdit(replace, property, match, set, unset, PortFilter.param(p, "port"),
                p.stringList("resource_types"));
    }

    /** Registered in META-INF/services. */
    public static final class RemoveFactory extends SimpleFactory {
        public RemoveFactory() {
            super(REMOVE_ID, "remove list items: property (dotted), match (field: value(s)), port (optional),"
                    + " resource_types", p -> ListItemEdit.create(p, false));
        }
    }

    /** Registered in META-INF/services. */
    public static final class ReplaceFactory extends SimpleFactory {
        public ReplaceFactory() {
            super(REPLACE_ID, "set or remove fields on matching list items: property (dotted, optional), match,"
                    + " set (map), unset (field names), port (optional), resource_types", p -> ListItemEdit.create(p, true));
        }
    }
}
