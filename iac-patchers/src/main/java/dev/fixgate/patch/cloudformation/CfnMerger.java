package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.Outcomes;
import dev.fixgate.patch.Refusal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Deep-merges wanted property values into a mapping: missing keys are added, differing scalars replaced, maps
 * merged key by key. A list that is already there and not empty is kept (an existing encryption rule is not
 * "downgraded" to ours); an empty one is filled. Values computed by intrinsics, and nodes shared through YAML
 * anchors, are refused rather than edited.
 */
final class CfnMerger {

    private final CfnDocument doc;
    private final CfnWriter writer;
    private final CfnEdits edits;

    CfnMerger(CfnDocument doc, CfnEdits edits) {
        this.doc = doc;
        this.writer = new CfnWriter(doc);
        this.edits = edits;
    }

    void merge(MappingNode target, Map<String, Object> wanted, String where) {
        if (doc.shared(target)) {
            throw refuse(Outcomes.VALUE_SHARED, where + " is a YAML anchor used elsewhere too", target);
        }
        Map<String, Object> missing = new LinkedHashMap<>();
        for (Map.Entry<String, Object> w : wanted.entrySet()) {
            String path = where + "." + w.getKey();
            Optional<NodeTuple> entry = CfnDocument.entry(target, w.getKey());
            if (entry.isEmpty()) {
                Optional<Node> inherited = inherited(target, w.getKey());
                if (inherited.isPresent() && satisfies(inherited.get(), w.getValue())) {
                    continue;
                }
                missing.put(w.getKey(), w.getValue());
                continue;
            }
            mergeValue(entry.get(), w.getValue(), path);
        }
        if (!missing.isEmpty()) {
            edits.add(writer.insert(target, missing), "added " + where + "." + String.join(", " + where + ".", missing.keySet()));
        }
    }

    /** Makes the value of {@code entry} satisfy {@code want}. */
    void mergeValue(NodeTuple entry, Object want, String path) {
        Node v = entry.getValueNode();
        if (doc.shared(v)) {
            throw refuse(Outcomes.VALUE_SHARED, path + " is a YAML anchor used elsewhere too", v);
        }
        Optional<String> fn = Intrinsics.name(v);
        if (fn.isPresent() && !satisfies(v, want)) {
            Optional<String> ref = Intrinsics.refTarget(v);
            throw refuse(ref.isPresent() ? Outcomes.VALUE_FROM_VARIABLE : Outcomes.VALUE_IS_EXPRESSION,
                    path + " is computed by " + fn.get() + ref.map(r -> " " + r + " (a parameter or resource, set at"
                            + " deploy time)").orElse("") + "; changing it is left to a person", v);
        }
        if (want instanceof Map<?, ?> wm) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) wm;
            if (v instanceof ScalarNode s && !isNull(v) && isIntrinsic(m)) {
                // a literal becomes a reference (`Principal: '*'` → `Ref: AWS::AccountId`)
                edits.add(writer.replaceValue(entry, m), "set " + path + " = " + m + " (was " + s.getValue() + ")");
                return;
            }
            if (v instanceof MappingNode mn) {
                if (mn.getValue().isEmpty()) {
                    edits.add(writer.replaceValue(entry, m), "set " + path);
                } else {
                    merge(mn, m, path);
                }
            } else if (isNull(v)) {
                edits.add(doc.json() ? writer.replaceValue(entry, m) : writer.insertUnderEmptyKey(entry, m), "set " + path);
            } else {
                throw refuse(Outcomes.NOT_APPLICABLE, path + " is not a mapping here", v);
            }
            return;
        }
        if (want instanceof List<?>) {
            if (v instanceof SequenceNode s && !s.getValue().isEmpty()) {
                return;
            }
            edits.add(writer.replaceValue(entry, want), "set " + path);
            return;
        }
        if (v instanceof ScalarNode s) {
            if (!scalarEquals(s, want)) {
                edits.add(writer.replaceScalar(s, want), "set " + path + " = " + want + " (was " + s.getValue() + ")");
            }
            return;
        }
        throw refuse(Outcomes.NOT_APPLICABLE, path + " is a " + v.getNodeType() + ", not a scalar", v);
    }

    /** {@code {Ref: x}}, {@code {"Fn::Sub": ...}}: one key naming an intrinsic function. */
    static boolean isIntrinsic(Map<String, Object> m) {
        if (m.size() != 1) {
            return false;
        }
        String k = m.keySet().iterator().next();
        return k.equals("Ref") || k.startsWith("Fn::");
    }

    /** Whether {@code n} already means {@code want} (deeply for maps; lists only need to be non-empty). */
    static boolean satisfies(Node n, Object want) {
        if (want instanceof Map<?, ?> wm) {
            if (!(n instanceof MappingNode m)) {
                return false;
            }
            for (Map.Entry<?, ?> e : wm.entrySet()) {
                Optional<Node> v = CfnDocument.get(m, String.valueOf(e.getKey()));
                if (v.isEmpty() || !satisfies(v.get(), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (want instanceof List<?>) {
            return n instanceof SequenceNode s && !s.getValue().isEmpty();
        }
        return n instanceof ScalarNode s && scalarEquals(s, want);
    }

    static boolean scalarEquals(ScalarNode s, Object want) {
        if (!s.getTag().getValue().startsWith("tag:") && s.getTag().getValue().startsWith("!")) {
            return false;
        }
        String have = s.getValue();
        if (want instanceof Boolean) {
            return have.toLowerCase(Locale.ROOT).equals(String.valueOf(want));
        }
        return have.equals(String.valueOf(want));
    }

    static boolean isNull(Node n) {
        return n instanceof ScalarNode s && (s.getValue().isEmpty() && s.isPlain() || s.getValue().equals("~")
                || s.getValue().equals("null") && s.isPlain());
    }

    /** A value brought in by a YAML merge key ({@code <<: *base}). */
    private static Optional<Node> inherited(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("<<") && t.getValueNode() instanceof MappingNode base) {
                Optional<Node> v = CfnDocument.get(base, key);
                if (v.isPresent()) {
                    return v;
                }
            }
        }
        return Optional.empty();
    }

    Refusal refuse(String code, String reason, Node at) {
        return Refusal.of(code, reason, doc.path(), doc.line(at));
    }
}
