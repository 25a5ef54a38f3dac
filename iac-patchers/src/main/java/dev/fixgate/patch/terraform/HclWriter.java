package dev.fixgate.patch.terraform;

import dev.fixgate.patch.LineIndex;
import dev.fixgate.patch.TextEdit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Computes the text edits that insert attributes and blocks into a {@link Container} the way a person would:
 * on new lines, indented like their siblings, {@code =} aligned with the attribute run they join (or, when a
 * longer name would force {@code terraform fmt} to re-align that run, separated from it by a blank line), new
 * blocks before the closing brace. Existing lines are never rewritten, except a one-line block, which HCL only
 * lets hold one attribute and so must be opened up.
 */
final class HclWriter {

    private final HclDocument doc;
    private final String text;
    private final LineIndex lines;
    private final String nl;
    private final String unit;

    HclWriter(HclDocument doc) {
        this.doc = doc;
        this.text = doc.text();
        this.lines = doc.lines();
        this.nl = lines.newline();
        this.unit = detectIndentUnit(text);
    }

    String indentUnit() {
        return unit;
    }

    String newline() {
        return nl;
    }

    /** Replaces an attribute's value expression; everything else on its line (comments, alignment) stays. */
    TextEdit replaceValue(Body.Attribute a, String newSource) {
        return new TextEdit(a.valueStart(), a.valueEnd(), newSource);
    }

    /**
     * Inserts {@code attributes} (name → source) and {@code blocks} (rendered bodies, see {@link #renderEntries})
     * into {@code c}.
     */
    List<TextEdit> insert(Container c, Map<String, String> attributes, Map<String, HclValue.Spec> blocks,
                          boolean nestedAsObject) {
        boolean asObject = c.object() || nestedAsObject;
        boolean multiLine = lines.lineOf(c.open()) != lines.lineOf(c.close());
        if (!multiLine) {
            return List.of(openUp(c, attributes, blocks, asObject));
        }
        String indent = entryIndent(c);
        List<TextEdit> edits = new ArrayList<>();
        if (!attributes.isEmpty()) {
            edits.add(insertAttributes(c, indent, attributes));
        }
        if (!blocks.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            int at = closingLineStart(c);
            boolean prevBlank = lines.isBlankLine(lines.lineOf(at) - 1) || lines.lineOf(at) - 1 == lines.lineOf(c.open());
            for (Map.Entry<String, HclValue.Spec> b : blocks.entrySet()) {
                if (!prevBlank || sb.length() > 0) {
                    sb.append(nl);
                }
                sb.append(renderBlock(b.getKey(), b.getValue(), indent, asObject));
            }
            if (!lines.onlyBlankBefore(c.close())) {
                // `}` shares its line with content: put the blocks on their own lines before it.
                edits.add(TextEdit.insert(at, nl + sb + lines.indentAt(c.close())));
            } else {
                edits.add(TextEdit.insert(at, sb.toString()));
            }
        }
        return edits;
    }

    private TextEdit insertAttributes(Container c, String indent, Map<String, String> attributes) {
        Body.Attribute anchor = null;
        for (Body.Item i : c.entries()) {
            if (i instanceof Body.Attribute a) {
                anchor = a;
            }
        }
        int at;
        boolean sameLineAsClose = false;
        boolean blankBefore = false;
        // `terraform fmt` aligns `=` over runs of consecutive single-line attributes; an attribute whose value
        // opens a multi-line bracket (`tags = {`) takes one space and ends the run. The first run of new lines may
        // continue the run the anchor ends; each later run gets its own column.
        List<Map.Entry<String, String>> entries = new ArrayList<>(attributes.entrySet());
        int firstRunEnd = 0;
        while (firstRunEnd < entries.size() && !entries.get(firstRunEnd).getValue().contains("\n")) {
            firstRunEnd++;
        }
        int firstRunNeeded = indent.length() + entries.subList(0, firstRunEnd).stream()
                .mapToInt(e -> e.getKey().length()).max().orElse(0) + 1;
        int firstRunColumn = -1;
        if (anchor == null) {
            at = lines.nextLineStart(c.open());
        } else if (lines.lineOf(anchor.end()) == lines.lineOf(c.close())) {
            // `name = value }`: the new lines go before the brace.
            at = c.close();
            sameLineAsClose = true;
        } else {
            at = lines.nextLineStart(anchor.end());
            int runColumn = alignedRunColumn(c, anchor);
            if (runColumn > 0 && firstRunEnd > 0) {
                if (firstRunNeeded <= runColumn) {
                    firstRunColumn = runColumn;
                } else {
                    // A longer name would make `terraform fmt` re-align the whole run: start a new run instead.
                    blankBefore = true;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        if (sameLineAsClose) {
            sb.append(nl);
        }
        if (blankBefore) {
            sb.append(nl);
        }
        int i = 0;
        while (i < entries.size()) {
            int end = i;
            while (end < entries.size() && !entries.get(end).getValue().contains("\n")) {
                end++;
            }
            int column = i == 0 && firstRunColumn > 0 ? firstRunColumn : indent.length() + entries.subList(i, end).stream()
                    .mapToInt(e -> e.getKey().length()).max().orElse(0) + 1;
            for (Map.Entry<String, String> e : entries.subList(i, end)) {
                sb.append(indent).append(e.getKey()).append(" ".repeat(Math.max(1, column - indent.length() - e.getKey().length())))
                        .append("= ").append(e.getValue()).append(nl);
            }
            if (end < entries.size()) {
                Map.Entry<String, String> multi = entries.get(end);
                sb.append(indent).append(multi.getKey()).append(" = ").append(multi.getValue()).append(nl);
                end++;
            }
            i = end;
        }
        if (sameLineAsClose) {
            sb.append(lines.indentAt(c.open()));
        }
        return TextEdit.insert(at, sb.toString());
    }

    /**
     * The column of {@code =} shared by the run of single-line attributes ending at {@code anchor}, or -1 when
     * the run is not aligned (an unformatted file) or the anchor spans lines.
     */
    private int alignedRunColumn(Container c, Body.Attribute anchor) {
        if (lines.lineOf(anchor.start()) != lines.lineOf(anchor.end())) {
            return -1;
        }
        int idx = c.entries().indexOf(anchor);
        int column = eqColumn(anchor);
        int line = lines.lineOf(anchor.start());
        for (int i = idx - 1; i >= 0; i--) {
            if (!(c.entries().get(i) instanceof Body.Attribute a)) {
                break;
            }
            int l = lines.lineOf(a.start());
            if (l != line - 1 || lines.lineOf(a.end()) != l) {
                break;
            }
            if (eqColumn(a) != column) {
                return -1;
            }
            line = l;
        }
        return column;
    }

    private int eqColumn(Body.Attribute a) {
        return eqColumn(text, lines, a);
    }

    /** The column of an attribute's {@code =} (or {@code :} in an object) on its line. */
    static int eqColumn(String text, LineIndex lines, Body.Attribute a) {
        int eq = a.start() + a.name().length();
        while (eq < a.valueStart() && text.charAt(eq) != '=' && text.charAt(eq) != ':') {
            eq++;
        }
        return eq - lines.startOfLineAt(a.start());
    }

    private int closingLineStart(Container c) {
        return lines.onlyBlankBefore(c.close()) ? lines.startOfLineAt(c.close()) : c.close();
    }

    /** A one-line {@code { ... }}: objects get {@code , k = v}; blocks are opened onto several lines. */
    private TextEdit openUp(Container c, Map<String, String> attributes, Map<String, HclValue.Spec> blocks,
                            boolean asObject) {
        if (c.object()) {
            List<String> parts = new ArrayList<>();
            attributes.forEach((k, v) -> parts.add(k + " = " + v));
            blocks.forEach((k, v) -> parts.add(k + " = " + renderInlineObject(v)));
            String joined = String.join(", ", parts);
            if (c.entries().isEmpty()) {
                return new TextEdit(c.open(), c.close() + 1, "{ " + joined + " }");
            }
            int lastEnd = c.entries().get(c.entries().size() - 1).end();
            return TextEdit.insert(lastEnd, ", " + joined);
        }
        String base = lines.indentAt(c.open());
        String in = base + unit;
        StringBuilder sb = new StringBuilder("{").append(nl);
        for (Body.Item i : c.entries()) {
            sb.append(in).append(text, i.start(), i.end()).append(nl);
        }
        int width = attributes.keySet().stream().mapToInt(String::length).max().orElse(0);
        attributes.forEach((k, v) -> sb.append(in).append(k).append(" ".repeat(width - k.length() + 1)).append("= ").append(v).append(nl));
        boolean first = c.entries().isEmpty() && attributes.isEmpty();
        for (Map.Entry<String, HclValue.Spec> b : blocks.entrySet()) {
            if (!first) {
                sb.append(nl);
            }
            first = false;
            sb.append(renderBlock(b.getKey(), b.getValue(), in, asObject));
        }
        sb.append(base).append('}');
        return new TextEdit(c.open(), c.close() + 1, sb.toString());
    }

    /** {@code name { ... }} (or {@code name = { ... }} inside objects), each line ending in a newline. */
    String renderBlock(String name, HclValue.Spec spec, String indent, boolean asObject) {
        StringBuilder sb = new StringBuilder(indent).append(name).append(asObject ? " = {" : " {").append(nl);
        renderEntries(sb, spec, indent + unit, asObject);
        return sb.append(indent).append('}').append(nl).toString();
    }

    void renderEntries(StringBuilder sb, HclValue.Spec spec, String indent, boolean asObject) {
        int width = spec.entries().entrySet().stream().filter(e -> e.getValue() instanceof HclValue)
                .mapToInt(e -> e.getKey().length()).max().orElse(0);
        boolean afterBlock = false;
        boolean any = false;
        for (Map.Entry<String, Object> e : spec.entries().entrySet()) {
            if (e.getValue() instanceof HclValue v) {
                if (afterBlock) {
                    sb.append(nl);
                }
                sb.append(indent).append(e.getKey()).append(" ".repeat(width - e.getKey().length() + 1))
                        .append("= ").append(v.source()).append(nl);
                afterBlock = false;
            } else {
                if (any) {
                    sb.append(nl);
                }
                sb.append(renderBlock(e.getKey(), (HclValue.Spec) e.getValue(), indent, asObject));
                afterBlock = true;
            }
            any = true;
        }
    }

    private String renderInlineObject(HclValue.Spec spec) {
        List<String> parts = new ArrayList<>();
        spec.entries().forEach((k, v) -> parts.add(k + " = "
                + (v instanceof HclValue hv ? hv.source() : renderInlineObject((HclValue.Spec) v))));
        return "{ " + String.join(", ", parts) + " }";
    }

    /** Indentation for entries of {@code c}: that of its first entry, else its opening line's plus one unit. */
    String entryIndent(Container c) {
        for (Body.Item i : c.entries()) {
            if (lines.lineOf(i.start()) != lines.lineOf(c.open()) && lines.onlyBlankBefore(i.start())) {
                return lines.indentAt(i.start());
            }
        }
        return lines.indentAt(c.open()) + unit;
    }

    /** The file's indentation step: the smallest non-zero leading whitespace of a line, two spaces by default. */
    static String detectIndentUnit(String text) {
        int best = Integer.MAX_VALUE;
        boolean tabs = false;
        int lineStart = 0;
        int limit = Math.min(text.length(), 20_000);
        while (lineStart < limit) {
            int i = lineStart;
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            if (i < text.length() && text.charAt(i) == '\t' && i == lineStart) {
                tabs = true;
            }
            int n = i - lineStart;
            if (n > 0 && i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                best = Math.min(best, n);
            }
            int nlAt = text.indexOf('\n', lineStart);
            if (nlAt < 0) {
                break;
            }
            lineStart = nlAt + 1;
        }
        if (best == Integer.MAX_VALUE) {
            return tabs ? "\t" : "  ";
        }
        return " ".repeat(Math.min(best, 8));
    }
}
