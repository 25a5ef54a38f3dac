package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.InputLimits;
import dev.fixgate.patch.LineIndex;
import dev.fixgate.patch.PatchException;
import dev.fixgate.spi.error.SourceLocation;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A CloudFormation or SAM template (YAML, JSON, or several YAML documents) composed with snakeyaml-engine into
 * nodes that keep their tags ({@code !Ref}, {@code !Sub}, ...), anchors and exact start/end marks. Edits are
 * spliced into the original text at those marks, so comments, folded scalars, flow style and intrinsics survive
 * untouched. JSON is read as YAML flow style, which it is.
 */
public final class CfnDocument {

    private final String path;
    private final String text;
    private final boolean json;
    private final LineIndex lines;
    private final List<Resource> resources;
    private final Map<Node, Integer> references;
    private final int[] charOffsets;
    private final int indentHint;

    /** A resource: logical id key node, its mapping, and its {@code Type}. */
    public record Resource(String logicalId, ScalarNode key, MappingNode body, String type) {
    }

    private final Map<ScalarNode, MappingNode> resourcesMappings = new IdentityHashMap<>();
    private final Map<ScalarNode, MappingNode> roots = new IdentityHashMap<>();

    private CfnDocument(String path, String text, boolean json, List<Resource> resources, Map<Node, Integer> references,
                        int indentHint) {
        this.indentHint = indentHint;
        this.path = path;
        this.text = text;
        this.json = json;
        this.lines = new LineIndex(text);
        this.resources = resources;
        this.references = references;
        this.charOffsets = codePointToChar(text);
    }

    /** Parsed templates by path, style and text: immutable once built, and planning reads the same text often. */
    private static final int CACHE_SIZE = 256;
    private static final Map<String, CfnDocument> CACHE = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CfnDocument> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    /**
     * Parses a template after checking it against {@link InputLimits} (size, nesting, aliases, expanded nodes); a text
     * parsed before (and so within the limits) comes from the cache.
     *
     * @throws PatchException {@link PatchException#PARSE_ERROR} with the line, or {@link InputLimits#INPUT_LIMIT}
     */
    public static CfnDocument parse(String path, String text, boolean json) {
        String key = (json ? "j" : "y") + path + '\u0000' + text;
        CfnDocument cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        InputLimits.checkYaml(path, text, "template");
        CfnDocument d = parseWithinLimits(path, text, json);
        CACHE.put(key, d);
        return d;
    }

    private static CfnDocument parseWithinLimits(String path, String text, boolean json) {
        LoadSettings settings = settings(path);
        List<Resource> resources = new ArrayList<>();
        Map<Node, Integer> refs = new IdentityHashMap<>();
        Map<ScalarNode, MappingNode> owners = new IdentityHashMap<>();
        Map<ScalarNode, MappingNode> roots = new IdentityHashMap<>();
        int hint = 0;
        try {
            for (Node root : new Compose(settings).composeAllFromString(text)) {
                count(root, refs);
                if (!(root instanceof MappingNode m)) {
                    continue;
                }
                Optional<NodeTuple> resEntry = entry(m, "Resources");
                if (resEntry.isEmpty() || !(resEntry.get().getValueNode() instanceof MappingNode rm)) {
                    continue;
                }
                if (hint == 0 && !rm.getValue().isEmpty()) {
                    hint = rm.getValue().get(0).getKeyNode().getStartMark().orElseThrow().getColumn()
                            - resEntry.get().getKeyNode().getStartMark().orElseThrow().getColumn();
                }
                for (NodeTuple t : rm.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof MappingNode body) {
                        String type = get(body, "Type").filter(ScalarNode.class::isInstance)
                                .map(n -> ((ScalarNode) n).getValue()).orElse("");
                        resources.add(new Resource(k.getValue(), k, body, type));
                        owners.put(k, rm);
                        roots.put(k, m);
                    }
                }
            }
        } catch (MarkedYamlEngineException e) {
            long line = e.getProblemMark().or(e::getContextMark).map(mk -> (long) mk.getLine() + 1).orElse(0L);
            throw new PatchException(PatchException.PARSE_ERROR, "cannot parse template: "
                    + e.getMessage().lines().findFirst().orElse(""), SourceLocation.at(path, line), e);
        } catch (YamlEngineException e) {
            throw new PatchException(PatchException.PARSE_ERROR, "cannot parse template: " + e.getMessage(),
                    SourceLocation.of(path), e);
        } catch (StackOverflowError e) {
            throw InputLimits.tooDeep(path, "template");
        }
        CfnDocument d = new CfnDocument(path, text, json, List.copyOf(resources), refs, hint);
        d.resourcesMappings.putAll(owners);
        d.roots.putAll(roots);
        return d;
    }

    /** How templates are composed: every limit of {@link InputLimits} is checked before, these match them. */
    public static LoadSettings settings(String path) {
        return LoadSettings.builder().setLabel(path).setCodePointLimit(Integer.MAX_VALUE)
                .setMaxAliasesForCollections(InputLimits.MAX_ALIASES).setAllowRecursiveKeys(false).build();
    }

    /** How many times each node is reached (aliases make it more than one). */
    private static void count(Node n, Map<Node, Integer> refs) {
        int c = refs.merge(n, 1, Integer::sum);
        if (c > 1) {
            return;
        }
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                count(t.getKeyNode(), refs);
                count(t.getValueNode(), refs);
            }
        } else if (n instanceof SequenceNode s) {
            for (Node c2 : s.getValue()) {
                count(c2, refs);
            }
        }
    }

    /** snakeyaml marks count code points; Java strings count UTF-16 units. Null when they agree (no surrogates). */
    private static int[] codePointToChar(String text) {
        if (text.codePoints().count() == text.length()) {
            return null;
        }
        int[] map = new int[text.codePointCount(0, text.length()) + 1];
        int cp = 0;
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            map[cp++] = i;
        }
        map[cp] = text.length();
        return map;
    }

    /** The {@code Resources} mapping (of its document) that holds {@code r}. */
    public Optional<MappingNode> resourcesMapping(Resource r) {
        return Optional.ofNullable(resourcesMappings.get(r.key()));
    }

    /** The top-level mapping of the document (of a multi-document file) that declares {@code r}. */
    public Optional<MappingNode> root(Resource r) {
        return Optional.ofNullable(roots.get(r.key()));
    }

    public static Optional<Node> get(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return Optional.of(t.getValueNode());
            }
        }
        return Optional.empty();
    }

    public static Optional<NodeTuple> entry(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** How far resources are indented under {@code Resources}: the template's indentation step (0 if unknown). */
    public int indentHint() {
        return indentHint;
    }

    public boolean json() {
        return json;
    }

    public LineIndex lines() {
        return lines;
    }

    public List<Resource> resources() {
        return resources;
    }

    /** True when the node is reached through an alias as well as its anchor: editing it edits several places. */
    public boolean shared(Node n) {
        return references.getOrDefault(n, 1) > 1;
    }

    public int start(Node n) {
        return offset(n.getStartMark().orElseThrow());
    }

    public int end(Node n) {
        return offset(n.getEndMark().orElseThrow());
    }

    public int offset(Mark m) {
        return charOffsets == null ? m.getIndex() : charOffsets[m.getIndex()];
    }

    public int lineOf(int offset) {
        return lines.lineOf(offset);
    }

    public int line(Node n) {
        return lines.lineOf(start(n));
    }

    /**
     * Where a node's content really ends: block collections' end marks run on to the next token, so we take the
     * end of their last value instead; trailing spaces are not content either.
     */
    public int contentEnd(Node n) {
        if (n instanceof MappingNode m && m.getFlowStyle() == FlowStyle.BLOCK && !m.getValue().isEmpty()) {
            return contentEnd(m.getValue().get(m.getValue().size() - 1).getValueNode());
        }
        if (n instanceof SequenceNode s && s.getFlowStyle() == FlowStyle.BLOCK && !s.getValue().isEmpty()) {
            return contentEnd(s.getValue().get(s.getValue().size() - 1));
        }
        int e = end(n);
        if (n instanceof ScalarNode sc && sc.getValue().isEmpty() && sc.isPlain()) {
            // an empty value (`Properties:`): content ends where it starts
            e = start(n);
        }
        boolean blockScalar = n instanceof ScalarNode sc2 && (sc2.getScalarStyle() == ScalarStyle.LITERAL
                || sc2.getScalarStyle() == ScalarStyle.FOLDED);
        // A block scalar's end mark runs past the blank lines after it; unless it keeps them (`|+`), they are
        // not content, and what we insert belongs before them, not after.
        boolean keep = blockScalar && text.substring(start(n), lines.nextLineStart(start(n))).contains("+");
        while (e > 0 && (text.charAt(e - 1) == ' ' || text.charAt(e - 1) == '\t'
                || blockScalar && !keep && (text.charAt(e - 1) == '\n' || text.charAt(e - 1) == '\r'))) {
            e--;
        }
        return e;
    }
}
