package dev.fixgate.localgcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The part of Cloud Logging's query language the stand-in evaluates:
 * <pre>
 * filter := term ('AND' term)*
 * term   := ['NOT'] (field op value | 'ip_in_net(' field ',' "cidr" ')' | '(' filter ')')
 * field  := segment ('.' segment)*, a segment bare or "quoted" (labels."authorization.k8s.io/reason")
 * op     := = | != | : (has: contains, case-insensitive) | >= | <= | > | <
 * </pre>
 * {@code timestamp} compares as an instant; a missing field equals nothing (so {@code NOT field:"x"} holds). Anything
 * else — {@code OR}, regular expressions — is rejected with its position, so a collector that sends it fails its test.
 */
final class LogFilter {

    static final class FilterException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        FilterException(String message) {
            super(message);
        }
    }

    private final List<String> tokens;
    private int pos;

    private LogFilter(String filter) {
        this.tokens = tokenize(filter);
    }

    static boolean matches(String filter, JsonNode entry) {
        LogFilter f = new LogFilter(filter);
        boolean v = f.filter(entry);
        if (f.pos != f.tokens.size()) {
            throw new FilterException("unexpected '" + f.tokens.get(f.pos) + "' at token " + f.pos);
        }
        return v;
    }

    /** Parses without an entry, to reject a filter the stand-in does not understand even when nothing is stored. */
    static void check(String filter) {
        matches(filter, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
    }

    private boolean filter(JsonNode e) {
        boolean v = term(e);
        while (peek("AND")) {
            pos++;
            v = term(e) & v;
        }
        if (peek("OR")) {
            throw new FilterException("OR is not supported by the stand-in (token " + pos + ")");
        }
        return v;
    }

    private boolean term(JsonNode e) {
        boolean not = false;
        if (peek("NOT") || peek("-")) {
            pos++;
            not = true;
        }
        boolean v;
        if (peek("(")) {
            pos++;
            v = filter(e);
            expect(")");
        } else if (peek("ip_in_net")) {
            pos++;
            expect("(");
            List<String> field = field();
            expect(",");
            String cidr = value();
            expect(")");
            JsonNode ip = resolve(e, field);
            v = ip != null && inNet(ip.asText(), cidr);
        } else {
            List<String> field = field();
            String op = next();
            String value = value();
            JsonNode node = resolve(e, field);
            String actual = node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
            v = compare(String.join(".", field), actual, op, value);
        }
        return not != v;
    }

    private static boolean compare(String field, String actual, String op, String value) {
        if (actual == null) {
            return op.equals("!=");
        }
        if (field.equals("timestamp") && !op.equals(":")) {
            int c = Instant.parse(actual).compareTo(Instant.parse(value));
            return switch (op) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case ">=" -> c >= 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                default -> throw new FilterException("operator " + op + " on timestamp");
            };
        }
        return switch (op) {
            case "=" -> actual.equals(value);
            case "!=" -> !actual.equals(value);
            case ":" -> actual.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
            default -> throw new FilterException("operator " + op + " is supported on timestamp only");
        };
    }

    private List<String> field() {
        List<String> segments = new ArrayList<>();
        segments.add(unquote(next()));
        while (peek(".")) {
            pos++;
            segments.add(unquote(next()));
        }
        return segments;
    }

    private static JsonNode resolve(JsonNode e, List<String> field) {
        JsonNode cur = e;
        for (String s : field) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(s);
        }
        return cur;
    }

    private String value() {
        return unquote(next());
    }

    private static String unquote(String t) {
        if (t.startsWith("\"")) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    static boolean inNet(String ip, String cidr) {
        String[] c = cidr.split("/");
        long mask = c.length == 1 ? 0xFFFFFFFFL : (0xFFFFFFFFL << (32 - Integer.parseInt(c[1]))) & 0xFFFFFFFFL;
        long a = v4(ip);
        long n = v4(c[0]);
        return a >= 0 && n >= 0 && (a & mask) == (n & mask);
    }

    private static long v4(String ip) {
        String[] p = ip.split("\\.");
        if (p.length != 4) {
            return -1;
        }
        long v = 0;
        for (String s : p) {
            int b = Integer.parseInt(s);
            if (b < 0 || b > 255) {
                return -1;
            }
            v = (v << 8) | b;
        }
        return v;
    }

    private boolean peek(String t) {
        return pos < tokens.size() && tokens.get(pos).equals(t);
    }

    private String next() {
        if (pos >= tokens.size()) {
            throw new FilterException("filter ends early");
        }
        return tokens.get(pos++);
    }

    private void expect(String t) {
        String got = next();
        if (!got.equals(t)) {
            throw new FilterException("expected '" + t + "' at token " + (pos - 1) + ", got '" + got + "'");
        }
    }

    private static List<String> tokenize(String f) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < f.length()) {
            char c = f.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                StringBuilder b = new StringBuilder("\"");
                i++;
                while (i < f.length() && f.charAt(i) != '"') {
                    if (f.charAt(i) == '\\' && i + 1 < f.length()) {
                        i++;
                    }
                    b.append(f.charAt(i++));
                }
                if (i >= f.length()) {
                    throw new FilterException("unterminated string");
                }
                i++;
                out.add(b.append('"').toString());
            } else if (f.startsWith(">=", i) || f.startsWith("<=", i) || f.startsWith("!=", i)) {
                out.add(f.substring(i, i + 2));
                i += 2;
            } else if ("()=:<>,.".indexOf(c) >= 0 || (c == '-' && (i + 1 < f.length() && !Character.isWhitespace(f.charAt(i + 1)))
                    && (out.isEmpty() || out.getLast().equals("AND") || out.getLast().equals("(")))) {
                out.add(String.valueOf(c));
                i++;
            } else {
                int j = i;
                while (j < f.length() && !Character.isWhitespace(f.charAt(j)) && "()=:<>!,\".".indexOf(f.charAt(j)) < 0) {
                    j++;
                }
                if (j == i) {
                    throw new FilterException("unexpected character '" + c + "' at " + i);
                }
                out.add(f.substring(i, j));
                i = j;
            }
        }
        return out;
    }
}
