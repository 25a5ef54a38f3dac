package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.LineIndex;
import dev.fixgate.patch.Quoting;
import dev.fixgate.patch.TextEdit;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Renders parameter values as YAML (block or flow) or JSON in the style of the surrounding template and computes
 * the splice that inserts them. New keys go on new lines after a block mapping's last entry, indented like their
 * siblings; in flow mappings and JSON they follow the last entry after a comma, on a new line when the mapping
 * spans lines. Values are plain YAML scalars when that is unambiguous and quoted otherwise.
 */
final class CfnWriter {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/$][A-Za-z0-9 ._/:@+*$-]*");
    private static final Pattern RESERVED = Pattern.compile(
            "(?i)(true|false|yes|no|on|off|y|n|null|~|[-+]?(\\d[\\d_]*(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|0x[0-9a-f]+|0o[0-7]+|\\.inf|\\.nan)");

    private final CfnDocument doc;
    private final String text;
    private final LineIndex lines;
    private final String nl;
    private final String unit;
    private final boolean indentedSequences;

    CfnWriter(CfnDocument doc) {
        this.doc = doc;
        this.text = doc.text();
        this.lines = doc.lines();
        this.nl = lines.newline();
        this.unit = detectUnit();
        this.indentedSequences = detectIndentedSequences();
    }

    /** Replaces a scalar, keeping its quoting style when it was quoted. */
    TextEdit replaceScalar(ScalarNode old, Object value) {
        String rendered;
        if (old.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED || doc.json() && old.getScalarStyle() != ScalarStyle.PLAIN) {
            rendered = jsonString(String.valueOf(value));
        } else if (old.getScalarStyle() == ScalarStyle.SINGLE_QUOTED) {
            rendered = "'" + String.valueOf(value).replace("'", "''") + "'";
        } else {
            rendered = doc.json() ? json(value, "") : scalar(value);
        }
        return new TextEdit(doc.start(old), doc.end(old), rendered);
    }

    /** Replaces any value node (an empty list, a null) with a rendered value placed after {@code key:}. */
    TextEdit replaceValue(NodeTuple entry, Object value) {
        Node v = entry.getValueNode();
        String keyIndent = " ".repeat(column(entry.getKeyNode()));
        if (doc.json() || inFlow(entry.getKeyNode())) {
            return new TextEdit(doc.start(v), doc.end(v), doc.json() ? json(value, keyIndent) : flow(value));
        }
        int keyEnd = doc.end(entry.getKeyNode());
        int colon = text.indexOf(':', keyEnd);
        return new TextEdit(colon + 1, Math.max(colon + 1, doc.contentEnd(v)), block(value, keyIndent));
    }

    /** Inserts {@code entries} into mapping {@code m}. */
    TextEdit insert(MappingNode m, Map<String, Object> entries) {
        if (m.getFlowStyle() == FlowStyle.FLOW) {
            return insertFlow(m, entries);
        }
        String indent = " ".repeat(column(m.getValue().get(0).getKeyNode()));
        int at = lineAfter(doc.contentEnd(m));
        StringBuilder sb = new StringBuilder();
        if (at == text.length() && !text.isEmpty() && !text.endsWith("\n")) {
            sb.append(nl);
        }
        entries.forEach((k, v) -> sb.append(indent).append(key(k)).append(':').append(block(v, indent)).append(nl));
        return TextEdit.insert(at, sb.toString());
    }

    /** Inserts a mapping under a key whose value is empty ({@code Properties:} with nothing after it). */
    TextEdit insertUnderEmptyKey(NodeTuple entry, Map<String, Object> entries) {
        String indent = " ".repeat(column(entry.getKeyNode())) + unit;
        int at = lineAfter(doc.end(entry.getKeyNode()));
        StringBuilder sb = new StringBuilder();
        if (at == text.length() && !text.endsWith("\n")) {
            sb.append(nl);
        }
        entries.forEach((k, v) -> sb.append(indent).append(key(k)).append(':').append(block(v, indent)).append(nl));
        return TextEdit.insert(at, sb.toString());
    }

    private TextEdit insertFlow(MappingNode m, Map<String, Object> entries) {
        int open = doc.start(m);
        int close = doc.end(m) - 1;
        boolean multiLine = lines.lineOf(open) != lines.lineOf(close);
        List<NodeTuple> es = m.getValue();
        if (es.isEmpty()) {
            if (multiLine || doc.json()) {
                String base = lines.indentAt(open);
                StringBuilder sb = new StringBuilder("{").append(nl);
                String in = base + unit;
                int i = 0;
                for (Map.Entry<String, Object> e : entries.entrySet()) {
                    sb.append(in).append(flowKey(e.getKey())).append(": ").append(doc.json() ? json(e.getValue(), in) : flow(e.getValue()));
                    sb.append(++i < entries.size() ? "," : "").append(nl);
                }
                return new TextEdit(open, close + 1, sb.append(base).append('}').toString());
            }
            StringBuilder sb = new StringBuilder("{ ");
            entries.forEach((k, v) -> sb.append(sb.length() > 2 ? ", " : "").append(flowKey(k)).append(": ").append(flow(v)));
            return new TextEdit(open, close + 1, sb.append(" }").toString());
        }
        NodeTuple last = es.get(es.size() - 1);
        int at = doc.contentEnd(last.getValueNode());
        StringBuilder sb = new StringBuilder();
        String in = indentOf(last.getKeyNode());
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            sb.append(',');
            sb.append(multiLine ? nl + in : " ");
            sb.append(flowKey(e.getKey())).append(": ").append(doc.json() ? json(e.getValue(), in) : flow(e.getValue()));
        }
        return TextEdit.insert(at, sb.toString());
    }

    /** Appends items to a non-empty sequence, after its last item, in its style. */
    TextEdit append(SequenceNode s, List<Object> items) {
        List<Node> es = s.getValue();
        Node last = es.get(es.size() - 1);
        if (s.getFlowStyle() == FlowStyle.BLOCK) {
            String dash = " ".repeat(Math.max(0, column(es.get(0)) - 2));
            int at = lineAfter(doc.contentEnd(s));
            StringBuilder sb = new StringBuilder();
            if (at == text.length() && !text.endsWith("\n")) {
                sb.append(nl);
            }
            for (Object item : items) {
                sb.append(blockItem(item, dash)).append(nl);
            }
            return TextEdit.insert(at, sb.toString());
        }
        boolean multiLine = lines.lineOf(doc.start(s)) != lines.lineOf(doc.end(s) - 1);
        String in = lines.indentAt(doc.start(last));
        StringBuilder sb = new StringBuilder();
        for (Object item : items) {
            sb.append(',').append(multiLine ? nl + in : " ").append(doc.json() ? json(item, in) : flow(item));
        }
        return TextEdit.insert(doc.contentEnd(last), sb.toString());
    }

    /** Removes items from a sequence with their separators; never all of them (callers replace the value then). */
    List<TextEdit> remove(SequenceNode s, List<Node> gone) {
        List<Node> es = s.getValue();
        List<TextEdit> out = new java.util.ArrayList<>();
        for (Node item : gone) {
            int i = es.indexOf(item);
            if (s.getFlowStyle() == FlowStyle.BLOCK) {
                int from = lines.startOfLineAt(doc.start(item));
                int to = i + 1 < es.size() ? lines.startOfLineAt(doc.start(es.get(i + 1))) : lineAfter(doc.contentEnd(item));
                out.add(new TextEdit(from, to, ""));
                continue;
            }
            if (i + 1 < es.size()) {
                int from = doc.start(item);
                int to = doc.start(es.get(i + 1));
                if (lines.lineOf(from) != lines.lineOf(to)) {
                    from = lines.startOfLineAt(from);
                    to = lines.startOfLineAt(to);
                }
                out.add(new TextEdit(from, to, ""));
            } else {
                Node prev = es.get(i - 1);
                if (gone.contains(prev)) {
                    continue;
                }
                out.add(new TextEdit(doc.contentEnd(prev), doc.contentEnd(item), ""));
            }
        }
        return out;
    }

    /**
     * Removes entries of a mapping with their separators: whole lines in block style, {@code key: value} and one
     * comma in flow style and JSON. Never all of them (the caller refuses that: an empty item means something else).
     */
    List<TextEdit> removeEntries(MappingNode m, List<NodeTuple> gone) {
        List<NodeTuple> es = m.getValue();
        List<TextEdit> out = new java.util.ArrayList<>();
        if (m.getFlowStyle() == FlowStyle.BLOCK) {
            for (NodeTuple t : gone) {
                int i = es.indexOf(t);
                int key = doc.start(t.getKeyNode());
                boolean hasNext = i + 1 < es.size();
                if (lines.onlyBlankBefore(key)) {
                    int to = hasNext ? lines.startOfLineAt(doc.start(es.get(i + 1).getKeyNode()))
                            : lineAfter(doc.contentEnd(t.getValueNode()));
                    out.add(new TextEdit(lines.startOfLineAt(key), to, ""));
                } else {
                    // the first key of a sequence item (`- Type: forward`): the next key moves up after the dash
                    out.add(new TextEdit(key, doc.start(es.get(i + 1).getKeyNode()), ""));
                }
            }
            return out;
        }
        int lastKept = -1;
        for (int i = 0; i < es.size(); i++) {
            if (!gone.contains(es.get(i))) {
                lastKept = i;
            }
        }
        for (NodeTuple t : gone) {
            int i = es.indexOf(t);
            if (i > lastKept) {
                continue;
            }
            int from = doc.start(t.getKeyNode());
            int to = doc.start(es.get(i + 1).getKeyNode());
            if (lines.lineOf(from) != lines.lineOf(to)) {
                from = lines.startOfLineAt(from);
                to = lines.startOfLineAt(to);
            }
            out.add(new TextEdit(from, to, ""));
        }
        if (lastKept < es.size() - 1) {
            // the tail goes with the comma after the last entry kept
            out.add(new TextEdit(doc.contentEnd(es.get(lastKept).getValueNode()),
                    doc.contentEnd(es.get(es.size() - 1).getValueNode()), ""));
        }
        return out;
    }

    /** Source text written as it is (an intrinsic in the template's own form, e.g. {@code !Ref MyVPC}). */
    record Raw(String text) {
    }

    /** Inserts one entry right after {@code after} in mapping {@code m}, in its style. */
    TextEdit insertAfter(MappingNode m, NodeTuple after, String key, Object value) {
        String indent = indentOf(after.getKeyNode());
        int valueEnd = doc.contentEnd(after.getValueNode());
        if (m.getFlowStyle() == FlowStyle.FLOW) {
            return TextEdit.insert(valueEnd, "," + nl + indent + flowKey(key) + ": "
                    + (doc.json() ? json(value, indent) : flow(value)));
        }
        int at = lineAfter(valueEnd);
        String prefix = at == text.length() && !text.endsWith("\n") ? nl : "";
        return TextEdit.insert(at, prefix + indent + key(key) + ':' + block(value, indent) + nl);
    }

    /** Text after {@code key:} for a block-style value: {@code " scalar"} or a newline and nested lines. */
    String block(Object v, String indent) {
        if (v instanceof Raw r) {
            return " " + r.text();
        }
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return " {}";
            }
            StringBuilder sb = new StringBuilder();
            String in = indent + unit;
            m.forEach((k, x) -> sb.append(nl).append(in).append(key(String.valueOf(k))).append(':').append(block(x, in)));
            return sb.toString();
        }
        if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                return " []";
            }
            StringBuilder sb = new StringBuilder();
            String dash = indentedSequences ? indent + unit : indent;
            for (Object item : l) {
                sb.append(nl).append(blockItem(item, dash));
            }
            return sb.toString();
        }
        return " " + scalar(v);
    }

    /** {@code - item} at {@code dash}; a map item's further keys line up under its first. */
    private String blockItem(Object item, String dash) {
        StringBuilder sb = new StringBuilder(dash).append("- ");
        String in = dash + "  ";
        if (item instanceof Map<?, ?> im && !im.isEmpty()) {
            boolean first = true;
            for (Map.Entry<?, ?> e : im.entrySet()) {
                if (!first) {
                    sb.append(nl).append(in);
                }
                sb.append(key(String.valueOf(e.getKey()))).append(':').append(block(e.getValue(), in));
                first = false;
            }
            return sb.toString();
        }
        return sb.append(block(item, in).substring(1)).toString();
    }

    /** One-line YAML flow rendering. */
    String flow(Object v) {
        if (v instanceof Raw r) {
            return r.text();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, x) -> sb.append(sb.length() > 1 ? ", " : " ").append(flowKey(String.valueOf(k))).append(": ").append(flow(x)));
            return sb.append(m.isEmpty() ? "}" : " }").toString();
        }
        if (v instanceof List<?> l) {
            return "[" + String.join(", ", l.stream().map(this::flow).toList()) + "]";
        }
        String s = scalar(v);
        return s.contains(",") || s.contains("{") || s.contains("[") || s.contains("}") || s.contains("]")
                ? jsonString(String.valueOf(v)) : s;
    }

    /** JSON rendering; maps and lists span lines, indented from {@code indent}. */
    String json(Object v, String indent) {
        if (v instanceof Raw r) {
            return r.text();
        }
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return "{}";
            }
            StringBuilder sb = new StringBuilder("{").append(nl);
            String in = indent + unit;
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(in).append(jsonString(String.valueOf(e.getKey()))).append(": ").append(json(e.getValue(), in))
                        .append(++i < m.size() ? "," : "").append(nl);
            }
            return sb.append(indent).append('}').toString();
        }
        if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                return "[]";
            }
            StringBuilder sb = new StringBuilder("[").append(nl);
            String in = indent + unit;
            for (int i = 0; i < l.size(); i++) {
                sb.append(in).append(json(l.get(i), in)).append(i + 1 < l.size() ? "," : "").append(nl);
            }
            return sb.append(indent).append(']').toString();
        }
        if (v instanceof Boolean || v instanceof Number) {
            return String.valueOf(v);
        }
        return jsonString(String.valueOf(v));
    }

    String scalar(Object v) {
        if (v instanceof Boolean || v instanceof Number) {
            return String.valueOf(v);
        }
        String s = String.valueOf(v);
        if (PLAIN.matcher(s).matches() && !RESERVED.matcher(s).matches() && !s.contains(": ") && !s.contains(" #")
                && !s.endsWith(" ") && !s.endsWith(":")) {
            return s;
        }
        return "'" + s.replace("'", "''") + "'";
    }

    private String key(String k) {
        return doc.json() ? jsonString(k) : scalar(k);
    }

    private String flowKey(String k) {
        return doc.json() ? jsonString(k) : flow(k);
    }

    static String jsonString(String s) {
        return Quoting.json(s);
    }

    private int lineAfter(int offset) {
        return lines.onlyBlankBefore(offset) && offset == lines.startOfLineAt(offset) ? offset : lines.nextLineStart(offset);
    }

    /** The whitespace before a node that starts its line (tabs included, as JSON allows), else spaces to its column. */
    private String indentOf(Node n) {
        int start = doc.start(n);
        return lines.onlyBlankBefore(start) ? lines.indentAt(start) : " ".repeat(column(n));
    }

    int column(Node n) {
        return n.getStartMark().orElseThrow().getColumn();
    }

    private boolean inFlow(Node key) {
        // a key in a flow mapping sits after `{` or `,` on its line or the previous one; good enough: look back
        int s = doc.start(key) - 1;
        while (s >= 0 && Character.isWhitespace(text.charAt(s))) {
            s--;
        }
        return s >= 0 && (text.charAt(s) == '{' || text.charAt(s) == ',');
    }

    private String detectUnit() {
        if (doc.json() && text.contains("\n\t") && !text.contains("\n ")) {
            return "\t";
        }
        int c = doc.indentHint();
        return c > 0 ? " ".repeat(Math.min(c, 8)) : "  ";
    }

    private boolean detectIndentedSequences() {
        for (CfnDocument.Resource r : doc.resources()) {
            Boolean b = findSequenceStyle(r.body());
            if (b != null) {
                return b;
            }
        }
        return true;
    }

    private Boolean findSequenceStyle(Node n) {
        if (n instanceof MappingNode m && m.getFlowStyle() == FlowStyle.BLOCK) {
            for (NodeTuple t : m.getValue()) {
                if (t.getValueNode() instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.BLOCK && !s.getValue().isEmpty()) {
                    return column(s.getValue().get(0)) - 2 > column(t.getKeyNode());
                }
                Boolean b = findSequenceStyle(t.getValueNode());
                if (b != null) {
                    return b;
                }
            }
        }
        return null;
    }
}
