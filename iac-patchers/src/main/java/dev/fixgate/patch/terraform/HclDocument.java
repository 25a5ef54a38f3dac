package dev.fixgate.patch.terraform;

import dev.fixgate.patch.InputLimits;
import dev.fixgate.patch.LineIndex;
import dev.fixgate.patch.PatchException;
import dev.fixgate.spi.error.SourceLocation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openrewrite.ExecutionContext;
import org.openrewrite.InMemoryExecutionContext;
import org.openrewrite.PrintOutputCapture;
import org.openrewrite.SourceFile;
import org.openrewrite.Tree;
import org.openrewrite.hcl.HclParser;
import org.openrewrite.hcl.internal.HclPrinter;
import org.openrewrite.hcl.tree.Expression;
import org.openrewrite.hcl.tree.Hcl;
import org.openrewrite.hcl.tree.Label;
import org.openrewrite.hcl.tree.Space;

/**
 * A Terraform file parsed with rewrite-hcl's lossless tree, indexed by exact character offsets.
 *
 * <p>Why offsets rather than tree edits: rewrite-hcl's auto-format re-aligns {@code =} in edited blocks and can move a
 * trailing comment when appending to a block's last line. We use the tree to find exactly where things are (one
 * print pass records every node's span) and splice text ourselves, so untouched bytes cannot change.
 */
public final class HclDocument {

    private static final Pattern ERROR_LINE = Pattern.compile("line (\\d+)(?::(\\d+))?");

    private final String path;
    private final String text;
    private final LineIndex lines;
    private final List<Body.Item> items;

    private HclDocument(String path, String text, List<Body.Item> items) {
        this.path = path;
        this.text = text;
        this.lines = new LineIndex(text);
        this.items = items;
    }

    /**
     * Parsed documents by path and text. Planning parses the same text many times — every operation of a fix, the
     * guard readers, the re-check of the fixed module and each of its unchanged files, each resource of a module in
     * turn — and rewrite-hcl's ANTLR parse is most of {@code fixgate plan}'s time. A document is immutable, so the
     * same text may share one; the cache is bounded (least recently used out) to keep memory flat on big repositories.
     */
    private static final int CACHE_SIZE = 512;
    private static final Map<String, HclDocument> CACHE = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, HclDocument> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    /**
     * Parses a Terraform file after checking it against {@link InputLimits} (size and nesting: rewrite-hcl's parser
     * is recursive, and a 100,000-level nesting took it minutes and a gigabyte before it failed). A text parsed before
     * (and so within the limits) comes from the cache.
     */
    public static HclDocument parse(String path, String text) {
        String key = path + '\u0000' + text;
        HclDocument cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        InputLimits.checkHcl(path, text, "Terraform file");
        HclDocument d;
        try {
            d = parseWithinLimits(path, text);
        } catch (StackOverflowError e) {
            // a backstop: expressions can nest without brackets (a chain of a million unary operators)
            throw InputLimits.tooDeep(path, "Terraform file");
        }
        CACHE.put(key, d);
        return d;
    }

    private static HclDocument parseWithinLimits(String path, String text) {
        Hcl.ConfigFile cf = SllParse.parse(text).orElseGet(() -> parseLl(path, text));
        Spans spans = new Spans();
        PrintOutputCapture<Integer> out = new PrintOutputCapture<>(0);
        spans.visit(cf, out);
        if (!out.getOut().equals(text)) {
            // The tree must reproduce the file exactly, or our offsets would point at the wrong bytes.
            throw new PatchException(PatchException.PARSE_ERROR,
                    "the HCL parser does not reproduce this file byte for byte; refusing to splice it",
                    SourceLocation.at(path, firstDifferenceLine(text, out.getOut())));
        }
        return new HclDocument(path, text, new Builder(text, spans).items(cf.getBody()));
    }

    /** rewrite-hcl's own parse (full LL prediction): what SLL cannot take, and every text that is not valid HCL. */
    private static Hcl.ConfigFile parseLl(String path, String text) {
        List<Throwable> errors = new ArrayList<>();
        ExecutionContext ctx = new InMemoryExecutionContext(errors::add);
        Optional<SourceFile> parsed;
        try {
            parsed = HclParser.builder().build().parse(ctx, text).findFirst();
        } catch (RuntimeException e) {
            throw parseError(path, text, e);
        }
        if (parsed.isEmpty() || !(parsed.get() instanceof Hcl.ConfigFile cf) || !errors.isEmpty()) {
            Throwable cause = errors.isEmpty() ? null : errors.get(0);
            throw parseError(path, text, cause);
        }
        return cf;
    }

    private static PatchException parseError(String path, String text, Throwable cause) {
        String msg = cause == null ? "not valid HCL"
                : cause.getMessage() == null ? "not valid HCL (" + cause.getClass().getSimpleName() + ")" : cause.getMessage();
        long line = 0;
        long column = 0;
        Matcher m = ERROR_LINE.matcher(msg);
        if (m.find()) {
            line = Long.parseLong(m.group(1));
            column = m.group(2) == null ? 0 : Long.parseLong(m.group(2)) + 1;
        }
        // the parser names a temporary file; the location already says which file and where
        String first = msg.lines().findFirst().orElse("not valid HCL")
                .replaceFirst("(?i)syntax error in \\S+ at line \\d+(:\\d+)? ", "");
        return new PatchException(PatchException.PARSE_ERROR, "cannot parse Terraform file: " + first,
                SourceLocation.at(path, line, column), cause);
    }

    private static int firstDifferenceLine(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int line = 1;
        for (int i = 0; i < n && a.charAt(i) == b.charAt(i); i++) {
            if (a.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    public LineIndex lines() {
        return lines;
    }

    /** Top-level attributes and blocks in file order. */
    public List<Body.Item> items() {
        return items;
    }

    public List<Body.Block> blocks() {
        return items.stream().filter(Body.Block.class::isInstance).map(Body.Block.class::cast).toList();
    }

    public int lineOf(int offset) {
        return lines.lineOf(offset);
    }

    public String slice(int start, int end) {
        return text.substring(start, end);
    }

    /** Records the printed span of every node (prefix included) during one print of the tree. */
    private static final class Spans extends HclPrinter<Integer> {
        final Map<UUID, int[]> spans = new HashMap<>();

        @Override
        public Hcl preVisit(Hcl tree, PrintOutputCapture<Integer> p) {
            // p.out, not p.getOut(): getOut() copies the whole output so far, which made indexing quadratic
            spans.put(tree.getId(), new int[] {p.out.length(), -1});
            return super.preVisit(tree, p);
        }

        @Override
        public Hcl postVisit(Hcl tree, PrintOutputCapture<Integer> p) {
            int[] s = spans.get(tree.getId());
            if (s != null) {
                s[1] = p.out.length();
            }
            return super.postVisit(tree, p);
        }

        private final HclPrinter<Integer> spacePrinter = new HclPrinter<>();

        int prefixLength(Space space) {
            if (space.getComments().isEmpty()) {
                return space.getWhitespace().length();
            }
            PrintOutputCapture<Integer> c = new PrintOutputCapture<>(0);
            spacePrinter.visitSpace(space, Space.Location.BLOCK, c);
            return c.out.length();
        }
    }

    /** Turns the rewrite tree into our offset-carrying records. */
    private record Builder(String text, Spans spans) {

        List<Body.Item> items(List<? extends Tree> body) {
            List<Body.Item> out = new ArrayList<>();
            for (Tree t : body) {
                if (t instanceof Hcl.Block b) {
                    out.add(block(b));
                } else if (t instanceof Hcl.Attribute a) {
                    out.add(attribute(a));
                }
            }
            return List.copyOf(out);
        }

        int start(Hcl h) {
            int[] s = spans.spans.get(h.getId());
            return s[0] + spans.prefixLength(h.getPrefix());
        }

        int end(Hcl h) {
            return spans.spans.get(h.getId())[1];
        }

        Body.Block block(Hcl.Block b) {
            int start = start(b);
            int end = end(b);
            int close = end - 1;
            // `{` follows the type and labels; labels are quoted strings or identifiers without braces.
            int labelsEnd = b.getLabels().isEmpty() ? end(b.getType()) : end((Hcl) b.getLabels().get(b.getLabels().size() - 1));
            int open = text.indexOf('{', labelsEnd);
            List<String> labels = new ArrayList<>();
            for (Label l : b.getLabels()) {
                String raw = text.substring(start((Hcl) l), end((Hcl) l)).trim();
                labels.add(raw.startsWith("\"") && raw.endsWith("\"") && raw.length() >= 2 ? raw.substring(1, raw.length() - 1) : raw);
            }
            return new Body.Block(b.getType().getName(), List.copyOf(labels), start, end, open, close,
                    items(b.getBody()));
        }

        Body.Attribute attribute(Hcl.Attribute a) {
            Expression v = a.getValue();
            int vs = start(v);
            int ve = end(v);
            String name = text.substring(start(a.getName()), end(a.getName())).trim();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            return new Body.Attribute(name, start(a), ve, vs, ve, value(v, vs, ve));
        }

        Value value(Expression v, int vs, int ve) {
            String src = text.substring(vs, ve);
            if (v instanceof Hcl.Literal lit) {
                return new Value.Literal(lit.getValue() == null ? "null" : String.valueOf(lit.getValue()), src);
            }
            if (v instanceof Hcl.QuotedTemplate qt) {
                StringBuilder sb = new StringBuilder();
                for (Expression e : qt.getExpressions()) {
                    if (!(e instanceof Hcl.Literal l)) {
                        return new Value.Other(src);
                    }
                    sb.append(l.getValue());
                }
                return new Value.Literal(sb.toString(), src);
            }
            if (v instanceof Hcl.Tuple t) {
                List<Value.Element> els = new ArrayList<>();
                for (Expression e : t.getValues()) {
                    if (e instanceof Hcl.Empty) {
                        continue;
                    }
                    int es = start(e);
                    int ee = end(e);
                    els.add(new Value.Element(value(e, es, ee), es, ee));
                }
                return new Value.Tuple(List.copyOf(els), src, vs, ve);
            }
            if (v instanceof Hcl.ObjectValue o) {
                List<Body.Item> entries = new ArrayList<>();
                for (Expression e : o.getAttributes()) {
                    if (e instanceof Hcl.Attribute a) {
                        entries.add(attribute(a));
                    }
                }
                return new Value.Object(List.copyOf(entries), src, vs, ve);
            }
            Matcher m = Value.REFERENCE.matcher(src);
            if (m.matches()) {
                return new Value.Reference(m.group(1), m.group(2), src);
            }
            return new Value.Other(src);
        }
    }
}
