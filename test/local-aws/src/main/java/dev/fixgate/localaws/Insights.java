package dev.fixgate.localaws;

import dev.fixgate.localaws.Wire.AwsError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The part of the CloudWatch Logs Insights query language the collectors use, evaluated over a log group's events:
 * {@code fields …}, {@code filter <condition>} (and/or/not, parentheses, {@code = != < <= > >=}, {@code in [...]},
 * {@code not in}, {@code ispresent(f)}, {@code isempty(f)}, {@code isIpv4InSubnet(f, "cidr")}),
 * {@code stats <agg> [as name], … [by field]} with {@code count(*)}, {@code count(f)}, {@code count_distinct(f)},
 * {@code sum(f)}, {@code min(f)}, {@code max(f)}, and {@code limit n}. Fields are discovered as Insights does: a JSON
 * event's fields by dotted path ({@code tlsDetails.tlsVersion}, {@code requestParameters.bucketName}); a VPC flow log
 * record in the default format as {@code version accountId interfaceId srcAddr dstAddr srcPort dstPort protocol
 * packets bytes start end action logStatus}; plus {@code @timestamp} and {@code @message}. Anything else is a
 * {@code MalformedQueryException}, so a collector cannot rely on something the stand-in only pretends to do.
 */
final class Insights {

    private Insights() {
    }

    /** A parsed query. */
    record Query(List<Object> filters, List<Agg> aggs, String by, int limit) {
    }

    record Agg(String fn, String field, String name) {
    }

    /** The result rows (field → value) and how many records were scanned and matched. */
    record Result(List<Map<String, String>> rows, long scanned, long matched) {
    }

    // ---- parsing -------------------------------------------------------------------------------------------------

    private static final class Tokens {
        final List<String> t = new ArrayList<>();
        int i;

        Tokens(String s) {
            int n = s.length();
            int k = 0;
            while (k < n) {
                char c = s.charAt(k);
                if (Character.isWhitespace(c)) {
                    k++;
                } else if (c == '"' || c == '\'') {
                    int end = s.indexOf(c, k + 1);
                    if (end < 0) {
                        throw malformed("unterminated string");
                    }
                    t.add("\"" + s.substring(k + 1, end));
                    k = end + 1;
                } else if (c == '`') {
                    int end = s.indexOf('`', k + 1);
                    t.add(s.substring(k + 1, end));
                    k = end + 1;
                } else if ("|()[],*".indexOf(c) >= 0) {
                    t.add(String.valueOf(c));
                    k++;
                } else if ("=!<>".indexOf(c) >= 0) {
                    if (k + 1 < n && s.charAt(k + 1) == '=') {
                        t.add(s.substring(k, k + 2));
                        k += 2;
                    } else if (c == '!') {
                        throw malformed("unexpected !");
                    } else {
                        t.add(String.valueOf(c));
                        k++;
                    }
                } else {
                    int start = k;
                    while (k < n && (Character.isLetterOrDigit(s.charAt(k)) || "_.@-:/".indexOf(s.charAt(k)) >= 0)) {
                        k++;
                    }
                    if (start == k) {
                        throw malformed("unexpected character " + c);
                    }
                    t.add(s.substring(start, k));
                }
            }
        }

        boolean more() {
            return i < t.size();
        }

        String peek() {
            return i < t.size() ? t.get(i) : "";
        }

        String next() {
            if (i >= t.size()) {
                throw malformed("unexpected end of query");
            }
            return t.get(i++);
        }

        boolean accept(String word) {
            if (peek().equalsIgnoreCase(word)) {
                i++;
                return true;
            }
            return false;
        }

        void expect(String word) {
            if (!accept(word)) {
                throw malformed("expected " + word + " at '" + peek() + "'");
            }
        }
    }

    static AwsError malformed(String why) {
        return new AwsError(400, "MalformedQueryException", "Query is malformed: " + why);
    }

    static Query parse(String text) {
        Tokens ts = new Tokens(text);
        List<Object> filters = new ArrayList<>();
        List<Agg> aggs = new ArrayList<>();
        String by = "";
        int limit = 1000;
        while (ts.more()) {
            String cmd = ts.next().toLowerCase(Locale.ROOT);
            switch (cmd) {
                case "fields" -> {
                    while (ts.more() && !ts.peek().equals("|")) {
                        ts.next();
                    }
                }
                case "filter" -> filters.add(or(ts));
                case "stats" -> {
                    do {
                        String fn = ts.next().toLowerCase(Locale.ROOT);
                        if (!Set.of("count", "count_distinct", "sum", "min", "max").contains(fn)) {
                            throw malformed("unsupported stats function " + fn);
                        }
                        ts.expect("(");
                        String field = ts.next();
                        ts.expect(")");
                        String name = ts.accept("as") ? ts.next() : fn + "(" + field + ")";
                        aggs.add(new Agg(fn, field, name));
                    } while (ts.accept(","));
                    if (ts.accept("by")) {
                        by = ts.next();
                    }
                }
                case "limit" -> limit = Integer.parseInt(ts.next());
                default -> throw malformed("unsupported command " + cmd);
            }
            if (ts.more()) {
                ts.expect("|");
            }
        }
        return new Query(filters, aggs, by, limit);
    }

    // Expression nodes: Object[] {op, args...}; leaves: "\"literal", number Double, field name String.
    private static Object or(Tokens ts) {
        Object left = and(ts);
        while (ts.accept("or")) {
            left = new Object[] {"or", left, and(ts)};
        }
        return left;
    }

    private static Object and(Tokens ts) {
        Object left = unary(ts);
        while (ts.accept("and")) {
            left = new Object[] {"and", left, unary(ts)};
        }
        return left;
    }

    private static Object unary(Tokens ts) {
        if (ts.accept("not")) {
            return new Object[] {"not", unary(ts)};
        }
        Object left = term(ts);
        String op = ts.peek();
        if (Set.of("=", "!=", "<", "<=", ">", ">=").contains(op)) {
            ts.next();
            return new Object[] {op, left, term(ts)};
        }
        if (op.equalsIgnoreCase("in")) {
            ts.next();
            return new Object[] {"in", left, list(ts)};
        }
        if (op.equalsIgnoreCase("not")) {
            ts.next();
            ts.expect("in");
            return new Object[] {"not", new Object[] {"in", left, list(ts)}};
        }
        return left;
    }

    private static List<Object> list(Tokens ts) {
        ts.expect("[");
        List<Object> out = new ArrayList<>();
        if (!ts.accept("]")) {
            do {
                out.add(term(ts));
            } while (ts.accept(","));
            ts.expect("]");
        }
        return out;
    }

    private static Object term(Tokens ts) {
        String t = ts.next();
        if (t.equals("(")) {
            Object e = or(ts);
            ts.expect(")");
            return e;
        }
        if (t.startsWith("\"")) {
            return t;
        }
        if (t.matches("-?\\d+(\\.\\d+)?")) {
            return Double.parseDouble(t);
        }
        String fn = t.toLowerCase(Locale.ROOT);
        if (ts.peek().equals("(")) {
            ts.next();
            List<Object> args = new ArrayList<>();
            if (!ts.accept(")")) {
                do {
                    args.add(term(ts));
                } while (ts.accept(","));
                ts.expect(")");
            }
            if (!Set.of("ispresent", "isempty", "isipv4insubnet").contains(fn)) {
                throw malformed("unsupported function " + t);
            }
            return new Object[] {"fn:" + fn, args};
        }
        return t;
    }

    // ---- evaluation ----------------------------------------------------------------------------------------------

    private static Object value(Object node, Map<String, Object> fields) {
        if (node instanceof String s) {
            return s.startsWith("\"") ? s.substring(1) : fields.get(s);
        }
        if (node instanceof Double d) {
            return d;
        }
        return truth(node, fields);
    }

    @SuppressWarnings("unchecked")
    private static boolean truth(Object node, Map<String, Object> fields) {
        if (!(node instanceof Object[] e)) {
            Object v = value(node, fields);
            return v instanceof Boolean b ? b : v != null && !String.valueOf(v).isEmpty();
        }
        String op = (String) e[0];
        switch (op) {
            case "or":
                return truth(e[1], fields) || truth(e[2], fields);
            case "and":
                return truth(e[1], fields) && truth(e[2], fields);
            case "not":
                return !truth(e[1], fields);
            case "in": {
                Object v = value(e[1], fields);
                for (Object item : (List<Object>) e[2]) {
                    if (v != null && compare(v, value(item, fields)) == 0) {
                        return true;
                    }
                }
                return false;
            }
            case "fn:ispresent":
                return fields.get((String) ((List<Object>) e[1]).get(0)) != null;
            case "fn:isempty": {
                Object v = fields.get((String) ((List<Object>) e[1]).get(0));
                return v == null || String.valueOf(v).isEmpty();
            }
            case "fn:isipv4insubnet": {
                List<Object> args = (List<Object>) e[1];
                Object ip = value(args.get(0), fields);
                return ip != null && inSubnet(String.valueOf(ip), String.valueOf(value(args.get(1), fields)));
            }
            default: {
                Object a = value(e[1], fields);
                Object b = value(e[2], fields);
                if (a == null || b == null) {
                    return false;
                }
                int c = compare(a, b);
                return switch (op) {
                    case "=" -> c == 0;
                    case "!=" -> c != 0;
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    case ">=" -> c >= 0;
                    default -> throw malformed("operator " + op);
                };
            }
        }
    }

    private static int compare(Object a, Object b) {
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    private static Double number(Object o) {
        if (o instanceof Double d) {
            return d;
        }
        if (o instanceof String s && s.matches("-?\\d+(\\.\\d+)?")) {
            return Double.parseDouble(s);
        }
        return null;
    }

    static boolean inSubnet(String ip, String cidr) {
        try {
            String[] parts = cidr.split("/");
            int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
            long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
            return (ipv4(ip) & mask) == (ipv4(parts[0]) & mask);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static long ipv4(String ip) {
        String[] o = ip.split("\\.");
        if (o.length != 4) {
            throw new IllegalArgumentException(ip);
        }
        long v = 0;
        for (String p : o) {
            v = (v << 8) | Integer.parseInt(p);
        }
        return v;
    }

    private static final String[] FLOW_FIELDS = {"version", "accountId", "interfaceId", "srcAddr", "dstAddr", "srcPort",
        "dstPort", "protocol", "packets", "bytes", "start", "end", "action", "logStatus"};

    /** The fields Insights discovers in a message. */
    static Map<String, Object> fields(String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@message", message);
        String m = message.strip();
        if (m.startsWith("{")) {
            flatten("", Wire.JSON.readTree(m), out);
        } else {
            String[] parts = m.split("\\s+");
            if (parts.length == FLOW_FIELDS.length) {
                for (int i = 0; i < parts.length; i++) {
                    out.put(FLOW_FIELDS[i], parts[i]);
                }
            }
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
        if (node.isObject()) {
            for (var e : node.properties()) {
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "." + i, node.get(i), out);
            }
        } else if (!node.isNull()) {
            out.put(prefix, node.isNumber() ? node.asString() : node.isBoolean() ? String.valueOf(node.asBoolean()) : node.asString());
        }
    }

    /** Runs {@code q} over the events of {@code groups} between {@code start} and {@code end} (inclusive). */
    static Result run(Query q, List<Model.LogGroup> groups, Instant start, Instant end, LocalAws aws) {
        long scanned = 0;
        long matched = 0;
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Map<String, Set<String>>> distinct = new LinkedHashMap<>();
        Map<String, Map<String, Double>> sums = new LinkedHashMap<>();
        Map<String, Map<String, String>> extremes = new LinkedHashMap<>();
        for (Model.LogGroup g : groups) {
            for (Model.LogEvents batch : g.events) {
                Instant from = aws.time(batch.from);
                Instant to = aws.time(batch.to);
                long[] window = inWindow(from, to, batch.count, start, end);
                long n = window[0];
                if (n <= 0) {
                    continue;
                }
                scanned += n;
                Map<String, Object> f = fields(batch.message);
                f.put("@timestamp", Wire.insightsTime(Instant.ofEpochMilli(window[2])));
                boolean ok = true;
                for (Object filter : q.filters()) {
                    ok &= truth(filter, f);
                }
                if (!ok) {
                    continue;
                }
                matched += n;
                String key = q.by().isEmpty() ? "" : String.valueOf(f.get(q.by()));
                long[] c = counts.computeIfAbsent(key, k -> new long[q.aggs().size()]);
                for (int i = 0; i < q.aggs().size(); i++) {
                    Agg a = q.aggs().get(i);
                    Object v = a.field().equals("*") ? "*" : f.get(a.field());
                    switch (a.fn()) {
                        case "count" -> c[i] += v == null ? 0 : n;
                        case "count_distinct" -> {
                            if (v != null) {
                                distinct.computeIfAbsent(key, k -> new LinkedHashMap<>())
                                        .computeIfAbsent(a.name(), k -> new HashSet<>()).add(String.valueOf(v));
                            }
                        }
                        case "sum" -> {
                            Double d = number(v);
                            if (d != null) {
                                sums.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(a.name(), d * n, Double::sum);
                            }
                        }
                        case "max", "min" -> {
                            Object val = a.field().equals("@timestamp")
                                    ? Wire.insightsTime(Instant.ofEpochMilli(a.fn().equals("max") ? window[2] : window[1])) : v;
                            if (val != null) {
                                Map<String, String> ex = extremes.computeIfAbsent(key, k -> new LinkedHashMap<>());
                                String old = ex.get(a.name());
                                if (old == null || (a.fn().equals("max") ? compare(val, old) > 0 : compare(val, old) < 0)) {
                                    ex.put(a.name(), String.valueOf(val));
                                }
                            }
                        }
                        default -> throw malformed(a.fn());
                    }
                }
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        if (q.aggs().isEmpty()) {
            return new Result(rows, scanned, matched);
        }
        if (counts.isEmpty() && q.by().isEmpty()) {
            counts.put("", new long[q.aggs().size()]);
        }
        for (var e : counts.entrySet()) {
            Map<String, String> row = new LinkedHashMap<>();
            if (!q.by().isEmpty()) {
                row.put(q.by(), e.getKey());
            }
            for (int i = 0; i < q.aggs().size(); i++) {
                Agg a = q.aggs().get(i);
                String v = switch (a.fn()) {
                    case "count" -> String.valueOf(e.getValue()[i]);
                    case "count_distinct" -> String.valueOf(distinct.getOrDefault(e.getKey(), Map.of())
                            .getOrDefault(a.name(), Set.of()).size());
                    case "sum" -> {
                        double d = sums.getOrDefault(e.getKey(), Map.of()).getOrDefault(a.name(), 0.0);
                        yield d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
                    }
                    default -> extremes.getOrDefault(e.getKey(), Map.of()).get(a.name());
                };
                if (v != null) {
                    row.put(a.name(), v);
                }
            }
            rows.add(row);
            if (rows.size() >= q.limit()) {
                break;
            }
        }
        return new Result(rows, scanned, matched);
    }

    /**
     * Of {@code count} events spread evenly over [from, to], how many fall in [start, end], and the first and last of
     * those (epoch millis).
     */
    static long[] inWindow(Instant from, Instant to, long count, Instant start, Instant end) {
        long f = from.toEpochMilli();
        long t = to.toEpochMilli();
        long s = start.toEpochMilli();
        long e = end.toEpochMilli();
        if (count <= 0) {
            return new long[] {0, 0, 0};
        }
        if (count == 1 || t <= f) {
            long at = count == 1 ? t : f;
            return at >= s && at <= e ? new long[] {count, at, at} : new long[] {0, 0, 0};
        }
        double step = (double) (t - f) / (count - 1);
        long first = Math.max(0, (long) Math.ceil((s - f) / step));
        long last = Math.min(count - 1, (long) Math.floor((e - f) / step));
        if (last < first) {
            return new long[] {0, 0, 0};
        }
        return new long[] {last - first + 1, f + Math.round(first * step), f + Math.round(last * step)};
    }
}
