package dev.fixgate.patch.cloudformation;

import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Recognises CloudFormation intrinsic functions in both forms: {@code !Ref X} and {@code {"Ref": "X"}}. */
final class Intrinsics {

    private Intrinsics() {
    }

    /** The intrinsic's name ({@code Ref}, {@code Fn::If}, ...) if the node is one. */
    static Optional<String> name(Node n) {
        String tag = n.getTag().getValue();
        if (tag.startsWith("!") && !tag.startsWith("!!")) {
            String f = tag.substring(1);
            return Optional.of(f.equals("Ref") || f.equals("Condition") ? f : "Fn::" + f);
        }
        if (n instanceof MappingNode m && m.getValue().size() == 1) {
            NodeTuple t = m.getValue().get(0);
            if (t.getKeyNode() instanceof ScalarNode k && (k.getValue().equals("Ref") || k.getValue().startsWith("Fn::"))) {
                return Optional.of(k.getValue());
            }
        }
        return Optional.empty();
    }

    /** For {@code GetAtt}: the resource whose attribute it reads ({@code !GetAtt X.Arn}, {@code [X, Arn]}, long form). */
    static Optional<String> getAttTarget(Node n) {
        if (!name(n).filter("Fn::GetAtt"::equals).isPresent()) {
            return Optional.empty();
        }
        Node arg = n instanceof MappingNode m && !n.getTag().getValue().startsWith("!") ? m.getValue().get(0).getValueNode() : n;
        if (arg instanceof ScalarNode s) {
            int dot = s.getValue().indexOf('.');
            return Optional.of(dot < 0 ? s.getValue() : s.getValue().substring(0, dot));
        }
        if (arg instanceof org.snakeyaml.engine.v2.nodes.SequenceNode q && !q.getValue().isEmpty()
                && q.getValue().get(0) instanceof ScalarNode first) {
            return Optional.of(first.getValue());
        }
        return Optional.empty();
    }

    /** For {@code Ref}: the referenced name. */
    static Optional<String> refTarget(Node n) {
        if (n instanceof ScalarNode s && n.getTag().getValue().equals("!Ref")) {
            return Optional.of(s.getValue());
        }
        if (n instanceof MappingNode m && m.getValue().size() == 1 && m.getValue().get(0).getKeyNode() instanceof ScalarNode k
                && k.getValue().equals("Ref") && m.getValue().get(0).getValueNode() instanceof ScalarNode v) {
            return Optional.of(v.getValue());
        }
        return Optional.empty();
    }
}
