package dev.fixgate.patch;

import dev.fixgate.spi.error.SourceLocation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Budgets for repository content, checked before a file is parsed. Templates and Terraform files come from any
 * repository the App is installed on, so they are hostile input: a YAML alias bomb expands a 1 KB file into
 * billions of nodes, and a 100,000-level nesting makes the recursive parsers (snakeyaml's composer, rewrite-hcl's
 * ANTLR parser) overflow the stack or run for minutes. Each limit is far above what a person writes and far below
 * what hurts; a file over one is refused with {@link #INPUT_LIMIT} and the file:line where it went over.
 *
 * <ul>
 *   <li>size: {@link #MAX_CHARS} characters (the same 4 MiB as {@link RepoFiles#DEFAULT_MAX_BYTES});</li>
 *   <li>nesting: {@link #MAX_DEPTH} levels of mappings/sequences (YAML, JSON) or brackets and interpolations (HCL);</li>
 *   <li>YAML aliases: {@link #MAX_ALIASES} per file, none to a node that contains itself;</li>
 *   <li>YAML nodes: {@link #MAX_NODES} once every alias is expanded — what any walk over the document visits.</li>
 * </ul>
 *
 * <p>The YAML check reads the parser's event stream, which is iterative (no recursion, so no stack to overflow), and
 * computes the expanded size of every anchored node as it ends — linear in the file, whatever the aliases multiply.
 */
public final class InputLimits {

    public static final String INPUT_LIMIT = "patch.input-limit";
    public static final int MAX_CHARS = 4 * 1024 * 1024;
    public static final int MAX_DEPTH = 100;
    public static final int MAX_ALIASES = 1_000;
    public static final long MAX_NODES = 1_000_000;

    private InputLimits() {
    }

    /** Refuses a text of more than {@link #MAX_CHARS} characters; {@code what} names it ("template", "Terraform file"). */
    public static void checkSize(String path, String text, String what) {
        if (text.length() > MAX_CHARS) {
            throw new PatchException(INPUT_LIMIT, what + " exceeds the size limit of " + MAX_CHARS + " characters ("
                    + text.length() + ")", SourceLocation.of(path));
        }
    }

    /**
     * Checks a YAML or JSON text (all its documents) against the size, depth, alias and expanded-node limits. A
     * syntax error is left to the real parse, which reports it with its line.
     */
    public static void checkYaml(String path, String text, String what) {
        checkSize(path, text, what);
        LoadSettings settings = LoadSettings.builder().setLabel(path).setCodePointLimit(Integer.MAX_VALUE).build();
        Deque<long[]> open = new ArrayDeque<>();        // [nodes so far] of each open collection
        Deque<String> openAnchors = new ArrayDeque<>(); // its anchor, or "" when it has none
        Set<String> unfinished = new HashSet<>();
        Map<String, Long> sizes = new HashMap<>();
        long total = 0;
        int aliases = 0;
        try {
            for (Event e : new Parse(settings).parseString(text)) {
                long size;
                switch (e.getEventId()) {
                    case MappingStart, SequenceStart -> {
                        String anchor = ((CollectionStartEvent) e).getAnchor().map(Object::toString).orElse("");
                        open.push(new long[] {1});
                        openAnchors.push(anchor);
                        if (!anchor.isEmpty()) {
                            unfinished.add(anchor);
                        }
                        if (open.size() > MAX_DEPTH) {
                            throw refused(path, e, what + " exceeds the nesting limit of " + MAX_DEPTH + " levels");
                        }
                        continue;
                    }
                    case MappingEnd, SequenceEnd -> {
                        size = open.pop()[0];
                        String anchor = openAnchors.pop();
                        if (!anchor.isEmpty()) {
                            unfinished.remove(anchor);
                            sizes.put(anchor, size);
                        }
                    }
                    case Scalar -> {
                        size = 1;
                        ((NodeEvent) e).getAnchor().ifPresent(a -> sizes.put(a.toString(), 1L));
                    }
                    case Alias -> {
                        String anchor = ((AliasEvent) e).getAlias().toString();
                        if (++aliases > MAX_ALIASES) {
                            throw refused(path, e, what + " exceeds the limit of " + MAX_ALIASES + " YAML aliases");
                        }
                        if (unfinished.contains(anchor)) {
                            throw refused(path, e, what + " has a YAML alias to a node that contains it (*" + anchor
                                    + "): it never ends when expanded");
                        }
                        size = sizes.getOrDefault(anchor, 1L);
                    }
                    default -> {
                        continue;
                    }
                }
                if (open.isEmpty()) {
                    total += size;
                } else {
                    open.peek()[0] += size;
                    total = Math.max(total, open.peek()[0]);
                }
                if (total > MAX_NODES || !open.isEmpty() && open.peek()[0] > MAX_NODES) {
                    throw refused(path, e, what + " exceeds the limit of " + MAX_NODES
                            + " YAML nodes once its aliases are expanded");
                }
            }
        } catch (YamlEngineException syntax) {
            // Not ours to report: the parse that follows gives the same error with its line and column.
        }
    }

    /**
     * Checks a Terraform (HCL) text against the size and nesting limits before rewrite-hcl's recursive parser sees
     * it. Nesting counts {@code { [ (} and template interpolations ({@code ${ }, {@code %{ }); strings, heredocs and
     * comments are skipped as HCL defines them.
     */
    public static void checkHcl(String path, String text, String what) {
        checkSize(path, text, what);
        Depth depth = hclDepth(text, MAX_DEPTH);
        if (depth.levels() > MAX_DEPTH) {
            throw new PatchException(INPUT_LIMIT, what + " exceeds the nesting limit of " + MAX_DEPTH + " levels",
                    SourceLocation.at(path, lineAt(text, depth.offset())));
        }
    }

    /** How deep a text nests, and where it first got that deep. */
    record Depth(int levels, int offset) {
    }

    /** A refusal at the event's line. */
    private static PatchException refused(String path, Event e, String message) {
        long line = e.getStartMark().map(Mark::getLine).map(l -> (long) l + 1).orElse(0L);
        return new PatchException(INPUT_LIMIT, message, SourceLocation.at(path, line));
    }

    /**
     * The deepest nesting in an HCL text, stopping as soon as it passes {@code stopAbove} (then that depth + 1 is
     * returned). Modes: expression (brackets count), string ({@code "…"} with {@code \} escapes), heredoc (until the
     * line holding only its marker), interpolation (an expression inside a string or heredoc, ended by its {@code }}).
     */
    static Depth hclDepth(String text, int stopAbove) {
        Deque<Character> stack = new ArrayDeque<>();   // '{' '[' '(' brackets, 'I' interpolation, 'S' string, 'H' heredoc
        Deque<String> markers = new ArrayDeque<>();
        int max = 0;
        int at = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            Character top = stack.peek();
            if (top != null && top == 'S') {
                if (c == '\\') {
                    i += 2;
                    continue;
                }
                if (c == '"' || c == '\n') {
                    stack.pop();
                } else if ((c == '$' || c == '%') && i + 1 < n && text.charAt(i + 1) == '{') {
                    if (i > 0 && text.charAt(i - 1) == c) {
                        i += 2; // $${ and %%{ are literal
                        continue;
                    }
                    stack.push('I');
                    i++;
                }
            } else if (top != null && top == 'H') {
                int lineStart = i == 0 || text.charAt(i - 1) == '\n' ? i : -1;
                if (lineStart >= 0) {
                    int end = text.indexOf('\n', i);
                    String line = text.substring(i, end < 0 ? n : end).strip();
                    if (line.equals(markers.peek())) {
                        stack.pop();
                        markers.pop();
                        i = end < 0 ? n : end;
                        continue;
                    }
                }
                if ((c == '$' || c == '%') && i + 1 < n && text.charAt(i + 1) == '{'
                        && !(i > 0 && text.charAt(i - 1) == c)) {
                    stack.push('I');
                    i++;
                }
            } else {
                // expression mode: the top level, a bracket, or an interpolation
                switch (c) {
                    case '"' -> stack.push('S');
                    case '#' -> {
                        i = skipLine(text, i);
                        continue;
                    }
                    case '/' -> {
                        if (i + 1 < n && text.charAt(i + 1) == '/') {
                            i = skipLine(text, i);
                            continue;
                        }
                        if (i + 1 < n && text.charAt(i + 1) == '*') {
                            int end = text.indexOf("*/", i + 2);
                            i = end < 0 ? n : end + 2;
                            continue;
                        }
                    }
                    case '<' -> {
                        String marker = heredocMarker(text, i);
                        if (marker != null) {
                            stack.push('H');
                            markers.push(marker);
                            i = text.indexOf('\n', i) + 1;
                            continue;
                        }
                    }
                    case '{', '[', '(' -> stack.push(c);
                    case '}', ']', ')' -> {
                        if (!stack.isEmpty()) {
                            stack.pop();
                        }
                    }
                    default -> {
                    }
                }
            }
            if (stack.size() > max) {
                max = stack.size();
                at = i;
                if (max > stopAbove) {
                    return new Depth(max, at);
                }
            }
            i++;
        }
        return new Depth(max, at);
    }

    private static int skipLine(String text, int i) {
        int end = text.indexOf('\n', i);
        return end < 0 ? text.length() : end;
    }

    /** The marker of a heredoc starting at {@code i} ({@code <<EOF} or {@code <<-EOF} then a newline), else null. */
    private static String heredocMarker(String text, int i) {
        if (!text.startsWith("<<", i)) {
            return null;
        }
        int j = i + 2;
        if (j < text.length() && text.charAt(j) == '-') {
            j++;
        }
        int start = j;
        while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
            j++;
        }
        if (j == start) {
            return null;
        }
        int eol = j;
        while (eol < text.length() && (text.charAt(eol) == ' ' || text.charAt(eol) == '\t' || text.charAt(eol) == '\r')) {
            eol++;
        }
        return eol < text.length() && text.charAt(eol) == '\n' ? text.substring(start, j) : null;
    }

    private static long lineAt(String text, int offset) {
        long line = 1;
        for (int i = 0; i < Math.min(offset, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** Turns a stack overflow in a recursive parser into the refusal it is (a backstop behind the depth checks). */
    public static PatchException tooDeep(String path, String what) {
        return new PatchException(INPUT_LIMIT, what + " nests too deeply to parse", SourceLocation.of(path));
    }
}
