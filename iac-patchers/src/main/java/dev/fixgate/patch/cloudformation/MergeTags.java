package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.Outcomes;
import dev.fixgate.patch.Params;
import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.patch.Tagging;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.ArrayList;
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
 * {@code cloudformation.merge_tags}: makes a resource carry the given tags. CloudFormation spells tags two ways:
 * a list of {@code {Key, Value}} (most types; {@code AWS::EFS::FileSystem} calls it {@code FileSystemTags}) and a
 * plain map (SAM's {@code AWS::Serverless::*}); both are handled. Existing keys keep their values unless
 * {@code overwrite}; a tags value computed by an intrinsic is refused.
 *
 * @param tags          key → value
 * @param property      tags property; empty to pick by resource type
 * @param overwrite     replace values of existing keys
 * @param tagging       when a resource counts as tagged already ({@code skip_if_tagged}, {@code ignore_keys})
 * @param resourceTypes resource types this applies to (empty: any)
 */
public record MergeTags(Map<String, String> tags, String property, boolean overwrite, Tagging tagging,
                        List<String> resourceTypes)
        implements CloudFormationOperation {

    public static final String ID = "cloudformation.merge_tags";

    public MergeTags {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        resourceTypes = List.copyOf(resourceTypes);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String patch(CfnDocument doc, CfnDocument.Resource r, CfnEdits edits) {
        boolean mapStyle = r.type().startsWith("AWS::Serverless::");
        String prop = !property.isEmpty() ? property : r.type().equals("AWS::EFS::FileSystem") ? "FileSystemTags" : "Tags";
        String where = r.logicalId() + ".Properties." + prop;
        Optional<Node> existing = CloudFormationOperation.at(r, List.of(prop));
        if (existing.isEmpty() || CfnMerger.isNull(existing.get())) {
            Object value = mapStyle ? tags : asList(tags);
            new CfnMerger(doc, edits).merge(r.body(), Map.of("Properties", Map.of(prop, value)), r.logicalId());
            return "";
        }
        Node n = existing.get();
        if (tagging.satisfiedBy(tagKeys(n))) {
            return "already tagged (" + tagging + ")";
        }
        if (Intrinsics.name(n).isPresent() || doc.shared(n)) {
            throw Refusal.of(doc.shared(n) ? Outcomes.VALUE_SHARED : Outcomes.VALUE_IS_EXPRESSION,
                    where + " is " + (doc.shared(n) ? "a YAML anchor used elsewhere" : "computed by " + Intrinsics.name(n).get())
                            + "; add the tags where they are built", doc.path(), doc.line(n));
        }
        CfnMerger merger = new CfnMerger(doc, edits);
        if (n instanceof MappingNode m) {
            Map<String, Object> add = new LinkedHashMap<>();
            for (Map.Entry<String, String> t : tags.entrySet()) {
                Optional<NodeTuple> e = CfnDocument.entry(m, t.getKey());
                if (e.isEmpty()) {
                    add.put(t.getKey(), t.getValue());
                } else if (overwrite) {
                    merger.mergeValue(e.get(), t.getValue(), where + "." + t.getKey());
                }
            }
            if (!add.isEmpty()) {
                merger.merge(m, add, where);
            }
            return "tags " + tags.keySet() + " already set";
        }
        if (!(n instanceof SequenceNode s)) {
            throw Refusal.of(Outcomes.NOT_APPLICABLE, where + " is neither a list nor a map", doc.path(), doc.line(n));
        }
        Map<String, String> missing = new LinkedHashMap<>(tags);
        for (Node item : s.getValue()) {
            if (!(item instanceof MappingNode im)) {
                continue;
            }
            Optional<String> key = CfnDocument.get(im, "Key").filter(ScalarNode.class::isInstance).map(k -> ((ScalarNode) k).getValue());
            if (key.isPresent() && missing.containsKey(key.get())) {
                String want = missing.remove(key.get());
                if (overwrite) {
                    merger.merge(im, Map.of("Value", want), where + "[" + key.get() + "]");
                }
            }
        }
        if (missing.isEmpty()) {
            return "tags " + tags.keySet() + " already set";
        }
        if (s.getValue().isEmpty()) {
            NodeTuple entry = CfnDocument.entry((MappingNode) CfnDocument.get(r.body(), "Properties").orElseThrow(), prop).orElseThrow();
            edits.add(new CfnWriter(doc).replaceValue(entry, asList(missing)), "set " + where + " " + missing.keySet());
        } else {
            edits.add(new CfnWriter(doc).append(s, new ArrayList<>(asList(missing))), "added " + where + " " + missing.keySet());
        }
        return "";
    }

    /** Keys of a tags value in either form; intrinsic items are ignored. */
    private static List<String> tagKeys(Node n) {
        List<String> keys = new ArrayList<>();
        if (n instanceof MappingNode m) {
            m.getValue().forEach(t -> keys.add(t.getKeyNode() instanceof ScalarNode k ? k.getValue() : ""));
        } else if (n instanceof SequenceNode s) {
            for (Node item : s.getValue()) {
                if (item instanceof MappingNode im) {
                    CfnDocument.get(im, "Key").filter(ScalarNode.class::isInstance).ifPresent(k -> keys.add(((ScalarNode) k).getValue()));
                }
            }
        }
        return keys;
    }

    private static List<Object> asList(Map<String, String> tags) {
        List<Object> out = new ArrayList<>();
        tags.forEach((k, v) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("Key", k);
            item.put("Value", v);
            out.add(item);
        });
        return out;
    }

    static PatchOperation create(Params p) {
        p.allowOnly("tags", "property", "overwrite", "skip_if_tagged", "ignore_keys", "resource_types");
        Map<String, String> tags = p.stringMap("tags");
        return new MergeTags(tags, p.optString("property").orElse(""), p.bool("overwrite", false),
                Tagging.param(p), p.stringList("resource_types"));
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends SimpleFactory {
        public Factory() {
            super(ID, "merge tags (list or SAM map form): tags (map), property (default by type), overwrite,"
                    + " skip_if_tagged + ignore_keys, resource_types", MergeTags::create);
        }
    }
}
