package dev.fixgate.patch.corpus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openrewrite.InMemoryExecutionContext;
import org.openrewrite.PrintOutputCapture;
import org.openrewrite.SourceFile;
import org.openrewrite.Tree;
import org.openrewrite.hcl.HclParser;
import org.openrewrite.hcl.internal.HclPrinter;
import org.openrewrite.hcl.tree.Expression;
import org.openrewrite.hcl.tree.Hcl;

/**
 * An independent reading of a Terraform file for compliance checks: rewrite-hcl's tree turned into plain values
 * directly, without the patchers' offset index. Literals become Boolean/Number/String, tuples lists, objects maps,
 * anything else an {@link Expr} holding its source.
 */
record TfModel(List<Block> blocks) {

    record Block(String type, List<String> labels, Map<String, Object> attrs, List<Block> blocks) {
        String address() {
            return type.equals("module") ? "module." + labels.get(0) : labels.get(0) + "." + labels.get(1);
        }

        List<Block> nested(String t) {
            return blocks.stream().filter(b -> b.type.equals(t)).toList();
        }

        Object attr(String name) {
            return attrs.get(name);
        }
    }

    record Expr(String source) {
    }

    static TfModel parse(String text) {
        List<Throwable> errors = new ArrayList<>();
        SourceFile sf = HclParser.builder().build().parse(new InMemoryExecutionContext(errors::add), text)
                .findFirst().orElseThrow();
        if (!(sf instanceof Hcl.ConfigFile cf) || !errors.isEmpty()) {
            throw new IllegalStateException("patched file does not parse: " + errors);
        }
        List<Block> out = new ArrayList<>();
        for (var c : cf.getBody()) {
            if (c instanceof Hcl.Block b) {
                out.add(block(b));
            }
        }
        return new TfModel(out);
    }

    Optional<Block> find(String address) {
        return blocks.stream().filter(b -> (b.type.equals("resource") || b.type.equals("module"))
                && b.address().equals(address)).findFirst();
    }

    List<Block> resources(String type) {
        return blocks.stream().filter(b -> b.type.equals("resource") && b.labels.get(0).equals(type)).toList();
    }

    private static Block block(Hcl.Block b) {
        List<String> labels = new ArrayList<>();
        for (var l : b.getLabels()) {
            labels.add(print((Tree) l).replace("\"", ""));
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        List<Block> nested = new ArrayList<>();
        for (var c : b.getBody()) {
            if (c instanceof Hcl.Attribute a) {
                attrs.put(print(a.getName()).replace("\"", ""), value(a.getValue()));
            } else if (c instanceof Hcl.Block nb) {
                nested.add(block(nb));
            }
        }
        return new Block(b.getType().getName(), labels, attrs, nested);
    }

    private static Object value(Expression e) {
        if (e instanceof Hcl.Literal l) {
            return l.getValue();
        }
        if (e instanceof Hcl.QuotedTemplate q && q.getExpressions().stream().allMatch(Hcl.Literal.class::isInstance)) {
            StringBuilder sb = new StringBuilder();
            q.getExpressions().forEach(x -> sb.append(((Hcl.Literal) x).getValue()));
            return sb.toString();
        }
        if (e instanceof Hcl.Tuple t) {
            List<Object> out = new ArrayList<>();
            t.getValues().stream().filter(x -> !(x instanceof Hcl.Empty)).forEach(x -> out.add(value(x)));
            return out;
        }
        if (e instanceof Hcl.ObjectValue o) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Expression x : o.getAttributes()) {
                if (x instanceof Hcl.Attribute a) {
                    out.put(print(a.getName()).replace("\"", ""), value(a.getValue()));
                }
            }
            return out;
        }
        return new Expr(print(e));
    }

    private static String print(Tree t) {
        PrintOutputCapture<Integer> out = new PrintOutputCapture<>(0);
        new HclPrinter<Integer>().visit(t, out);
        return out.getOut().trim();
    }
}
