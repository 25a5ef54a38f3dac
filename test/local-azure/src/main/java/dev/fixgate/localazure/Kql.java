package dev.fixgate.localazure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The part of the Kusto query language the stand-in answers, evaluated over in-memory tables of JSON rows:
 * <pre>
 * query    := source ('|' stage)*
 * source   := table | 'union' ['isfuzzy=true'] table (',' table)*
 * stage    := 'where' expr | 'project' column (',' column)* | 'union' '(' query ')'
 *           | 'summarize' name '=' (count() | sum(col)) | 'order' 'by' col ['asc' | 'desc']
 * column   := col | name '=' term
 * term     := path | tostring(path) | todatetime(path)
 * expr     := and ('or' and)* ; and := cmp ('and' cmp)* ; cmp := '(' expr ')' | term op value
 * op       := == | != | =~ | !~ | contains | !contains | startswith | in (v, …) | in~ (v, …) | &gt; | &gt;= | &lt; | &lt;=
 * value    := 'text' | number | true | false | datetime(ISO-8601 instant)
 * </pre>
 * A query outside this subset is rejected with the position, so a collector that sends something else fails its
 * test instead of getting an answer the real service would not give.
 */
final class Kql {

    static final class KqlException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        KqlException(String message) {
            super(message);
        }
    }

    private final List<String> tokens;
    private final Function<String, List<ObjectNode>> tables;
    private int pos;

    private Kql(String query, Function<String, List<ObjectNode>> tables) {
        this.tokens = tokenize(query);
        this.tables = tables;
    }

    /** The rows {@code query} yields; {@code tables} gives a table's rows (empty for an unknown table). */
    static List<ObjectNode> run(String query, Function<String, List<ObjectNode>> tables) {
        Kql k = new Kql(query, tables);
        List<ObjectNode> rows = k.query();
        if (k.pos != k.tokens.size()) {
            throw new KqlException("unexpected '" + k.tokens.get(k.pos) + "' at token " + k.pos);
        }
        return rows;
    }

    private List<ObjectNode> query() {
        List<ObjectNode> rows = source();
        while (peek("|")) {
            pos++;
            String stage = next();
            switch (stage) {
                case "where" -> {
                    int start = pos;
                    List<ObjectNode> kept = new ArrayList<>();
                    int end = -1;
                    for (ObjectNode row : rows) {
                        pos = start;
                        if (expr(row)) {
                            kept.add(row);
                        }
                        end = pos;
                    }
                    if (rows.isEmpty()) {
                        expr(JsonNodeFactory.instance.objectNode());
                        end = pos;
                    }
                    pos = end;
                    rows = kept;
                }
                case "project" -> {
                    List<String> names = new ArrayList<>();
                    List<Integer> terms = new ArrayList<>();
                    do {
                        String name = next();
                        names.add(name);
                        if (peek("=")) {
                            pos++;
                            terms.add(pos);
                            term(JsonNodeFactory.instance.objectNode());
                        } else {
                            terms.add(-1);
                        }
                    } while (peek(",") && pos++ >= 0);
                    int end = pos;
                    List<ObjectNode> out = new ArrayList<>();
                    for (ObjectNode row : rows) {
                        ObjectNode o = JsonNodeFactory.instance.objectNode();
                        for (int i = 0; i < names.size(); i++) {
                            if (terms.get(i) < 0) {
                                o.set(names.get(i), row.get(names.get(i)));
                            } else {
                                pos = terms.get(i);
                                o.set(names.get(i), term(row));
                            }
                        }
                        out.add(o);
                    }
                    pos = end;
                    rows = out;
                }
                case "order" -> {
                    expect("by");
                    String col = next();
                    boolean desc = false;
                    if (peek("asc") || peek("desc")) {
                        desc = next().equals("desc");
                    }
                    java.util.Comparator<ObjectNode> order = java.util.Comparator.comparing(
                            r -> r.get(col) == null || r.get(col).isNull() ? "" : r.get(col).asText());
                    rows = new ArrayList<>(rows);
                    rows.sort(desc ? order.reversed() : order);
                }
                case "union" -> {
                    expect("(");
                    List<ObjectNode> more = query();
                    expect(")");
                    rows = new ArrayList<>(rows);
                    rows.addAll(more);
                }
                case "summarize" -> {
                    String name = next();
                    expect("=");
                    String fn = next();
                    expect("(");
                    long value;
                    if (fn.equals("count")) {
                        value = rows.size();
                    } else if (fn.equals("sum")) {
                        String col = next();
                        value = rows.stream().mapToLong(r -> path(r, col) == null ? 0 : path(r, col).asLong()).sum();
                    } else {
                        throw new KqlException("summarize supports count() and sum(col), not " + fn);
                    }
                    expect(")");
                    ObjectNode o = JsonNodeFactory.instance.objectNode();
                    o.put(name, value);
                    rows = List.of(o);
                }
                default -> throw new KqlException("unsupported stage '" + stage + "' at token " + (pos - 1));
            }
        }
        return rows;
    }

    private List<ObjectNode> source() {
        String first = next();
        if (!first.equals("union")) {
            return new ArrayList<>(tables.apply(first));
        }
        if (peek("isfuzzy=true")) {
            pos++;
        }
        List<ObjectNode> rows = new ArrayList<>();
        do {
            rows.addAll(tables.apply(next()));
        } while (peek(",") && pos++ >= 0);
        return rows;
    }

    private boolean expr(ObjectNode row) {
        boolean v = and(row);
        while (peek("or")) {
            pos++;
            v = and(row) | v;
        }
        return v;
    }

    private boolean and(ObjectNode row) {
        boolean v = cmp(row);
        while (peek("and")) {
            pos++;
            v = cmp(row) & v;
        }
        return v;
    }

    private boolean cmp(ObjectNode row) {
        if (peek("(")) {
            pos++;
            boolean v = expr(row);
            expect(")");
            return v;
        }
        JsonNode left = term(row);
        String op = next();
        String l = left == null || left.isNull() ? null : left.isValueNode() ? left.asText() : left.toString();
        return switch (op) {
            case "==" -> equal(l, value(), false);
            case "!=" -> !equal(l, value(), false);
            case "=~" -> equal(l, value(), true);
            case "!~" -> !equal(l, value(), true);
            case "contains" -> l != null && l.toLowerCase(Locale.ROOT).contains(value().toLowerCase(Locale.ROOT));
            case "!contains" -> l == null || !l.toLowerCase(Locale.ROOT).contains(value().toLowerCase(Locale.ROOT));
            case "startswith" -> l != null && l.toLowerCase(Locale.ROOT).startsWith(value().toLowerCase(Locale.ROOT));
            case "in", "in~" -> {
                expect("(");
                boolean any = false;
                do {
                    any |= equal(l, value(), op.equals("in~"));
                } while (peek(",") && pos++ >= 0);
                expect(")");
                yield any;
            }
            case ">", ">=", "<", "<=" -> {
                int c = compare(l, value());
                yield l != null && switch (op) {
                    case ">" -> c > 0;
                    case ">=" -> c >= 0;
                    case "<" -> c < 0;
                    default -> c <= 0;
                };
            }
            default -> throw new KqlException("unsupported operator '" + op + "' at token " + (pos - 1));
        };
    }

    /** A column's value: {@code path}, {@code tostring(path)} or {@code todatetime(path)} (an ISO-8601 text, or null). */
    private JsonNode term(ObjectNode row) {
        String first = next();
        if ((first.equals("tostring") || first.equals("todatetime")) && peek("(")) {
            pos++;
            JsonNode inner = path(row, next());
            expect(")");
            if (inner == null || inner.isNull()) {
                return null;
            }
            String text = inner.isValueNode() ? inner.asText() : inner.toString();
            if (first.equals("todatetime")) {
                try {
                    text = java.time.Instant.parse(text).toString();
                } catch (java.time.format.DateTimeParseException e) {
                    return null;
                }
            }
            return JsonNodeFactory.instance.textNode(text);
        }
        return path(row, first);
    }

    /** Instants as instants, numbers as numbers, else text; {@code left} is not null when it matters. */
    private static int compare(String left, String right) {
        if (left == null) {
            return 0;
        }
        try {
            return java.time.Instant.parse(left).compareTo(java.time.Instant.parse(right));
        } catch (java.time.format.DateTimeParseException e) {
            // not both instants
        }
        try {
            return Double.compare(Double.parseDouble(left), Double.parseDouble(right));
        } catch (NumberFormatException e) {
            return left.compareTo(right);
        }
    }

    private static boolean equal(String left, String right, boolean ignoreCase) {
        if (left == null) {
            return false;
        }
        try {
            return Double.parseDouble(left) == Double.parseDouble(right);
        } catch (NumberFormatException e) {
            return ignoreCase ? left.equalsIgnoreCase(right) : left.equals(right);
        }
    }

    private String value() {
        String t = next();
        if (t.startsWith("'")) {
            return t.substring(1, t.length() - 1);
        }
        if (t.matches("-?[0-9.]+|true|false")) {
            return t;
        }
        if (t.equals("datetime") && peek("(")) {
            pos++;
            String at = next();
            expect(")");
            try {
                return java.time.Instant.parse(at).toString();
            } catch (java.time.format.DateTimeParseException e) {
                throw new KqlException("datetime(" + at + ") is not an ISO-8601 instant");
            }
        }
        throw new KqlException("expected a literal at token " + (pos - 1) + ", got " + t);
    }

    static JsonNode path(JsonNode row, String path) {
        JsonNode cur = row;
        for (String key : path.split("\\.")) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            JsonNode next = cur.get(key);
            if (next == null) {
                // ARM property names are case-insensitive in Resource Graph.
                for (Map.Entry<String, JsonNode> e : cur.properties()) {
                    if (e.getKey().equalsIgnoreCase(key)) {
                        next = e.getValue();
                    }
                }
            }
            cur = next;
        }
        return cur;
    }

    private boolean peek(String t) {
        return pos < tokens.size() && tokens.get(pos).equals(t);
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw new KqlException("query ends early");
        }
        return tokens.get(pos++);
    }

    private void expect(String t) {
        String got = next();
        if (!got.equals(t)) {
            throw new KqlException("expected '" + t + "' at token " + (pos - 1) + ", got '" + got + "'");
        }
    }

    private static List<String> tokenize(String q) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder b = new StringBuilder("'");
                i++;
                while (i < q.length() && q.charAt(i) != '\'') {
                    if (q.charAt(i) == '\\' && i + 1 < q.length()) {
                        i++;
                    }
                    b.append(q.charAt(i++));
                }
                if (i >= q.length()) {
                    throw new KqlException("unterminated string");
                }
                i++;
                out.add(b.append('\'').toString());
            } else if ("|(),".indexOf(c) >= 0) {
                out.add(String.valueOf(c));
                i++;
            } else if (q.startsWith(">=", i) || q.startsWith("<=", i)) {
                out.add(q.substring(i, i + 2));
                i += 2;
            } else if (c == '>' || c == '<') {
                out.add(String.valueOf(c));
                i++;
            } else if (q.startsWith("==", i) || q.startsWith("!=", i) || q.startsWith("=~", i) || q.startsWith("!~", i)) {
                out.add(q.substring(i, i + 2));
                i += 2;
            } else if (c == '=' && !q.startsWith("isfuzzy", Math.max(0, i - 7))) {
                out.add("=");
                i++;
            } else {
                int j = i;
                while (j < q.length() && !Character.isWhitespace(q.charAt(j)) && "|(),'".indexOf(q.charAt(j)) < 0
                        && !q.startsWith("==", j) && !q.startsWith("!=", j) && !q.startsWith("=~", j) && !q.startsWith("!~", j)
                        && q.charAt(j) != '>' && q.charAt(j) != '<'
                        && !(q.charAt(j) == '=' && !q.substring(i, j).equals("isfuzzy"))) {
                    j++;
                }
                if (j < q.length() && q.charAt(j) == '=' && q.substring(i, j).equals("isfuzzy")) {
                    j++;
                    while (j < q.length() && Character.isLetter(q.charAt(j))) {
                        j++;
                    }
                }
                out.add(q.substring(i, j));
                i = j;
            }
        }
        return out;
    }
}
