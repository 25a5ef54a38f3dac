package dev.fixgate.patch.corpus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * An independent reading of a CloudFormation template for compliance checks: snakeyaml-engine's constructor
 * (not the patchers' composer and marks) builds plain maps; CFN short tags ({@code !Ref x}) become
 * {@code {"Ref": x}} / {@code {"Fn::Sub": ...}} like the long form.
 */
record CfnModel(Map<String, Map<String, Object>> resources) {

    @SuppressWarnings("unchecked")
    static CfnModel parse(String text) {
        LoadSettings settings = LoadSettings.builder().build();
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object doc : new Load(settings, new Lenient(settings)).loadAllFromString(text)) {
            if (doc instanceof Map<?, ?> m && m.get("Resources") instanceof Map<?, ?> rs) {
                rs.forEach((k, v) -> out.put(String.valueOf(k), (Map<String, Object>) v));
            }
        }
        return new CfnModel(out);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> properties(String logicalId) {
        Object p = resources.get(logicalId).get("Properties");
        return p instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    String type(String logicalId) {
        return String.valueOf(resources.get(logicalId).get("Type"));
    }

    /** The value at a dotted path, if every step is a map that has it. */
    static Optional<Object> at(Map<String, Object> m, String path) {
        Object cur = m;
        for (String p : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> mm) || !mm.containsKey(p)) {
                return Optional.empty();
            }
            cur = mm.get(p);
        }
        return Optional.ofNullable(cur);
    }

    /** Builds unknown (CloudFormation) tags as the long-form intrinsic they abbreviate. */
    private static final class Lenient extends StandardConstructor {
        Lenient(LoadSettings s) {
            super(s);
        }

        @Override
        protected Optional<ConstructNode> findConstructorFor(Node node) {
            Optional<ConstructNode> std = super.findConstructorFor(node);
            String tag = node.getTag().getValue();
            if (std.isPresent() || !tag.startsWith("!")) {
                return std;
            }
            String fn = tag.equals("!Ref") || tag.equals("!Condition") ? tag.substring(1) : "Fn::" + tag.substring(1);
            return Optional.of(new ConstructNode() {
                @Override
                public Object construct(Node n) {
                    Object v = switch (n) {
                        case ScalarNode s -> s.getValue();
                        case SequenceNode q -> new ArrayList<>(q.getValue().stream().map(Lenient.this::constructObject).toList());
                        case MappingNode m -> constructMapping(m);
                        default -> null;
                    };
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put(fn, v);
                    return r;
                }
            });
        }
    }

    static List<Object> list(Object o) {
        return o instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }
}
