package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Params;
import dev.fixgate.patch.Quoting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value an operation writes, built from a playbook parameter: booleans and numbers as they are, strings
 * quoted, lists as tuples, and {@code {expr: "aws_kms_key.k.arn"}} as a raw expression. Maps other than
 * {@code {expr: ...}} are nested blocks (or objects), see {@link Spec}.
 */
public sealed interface HclValue {

    /** The HCL source text of the value. */
    String source();

    /** Whether an existing value already means the same; literals compare by value ({@code "true"} equals {@code true}). */
    boolean matches(Value existing);

    record Scalar(String text, boolean quoted) implements HclValue {
        @Override
        public String source() {
            return quoted ? quote(text) : text;
        }

        @Override
        public boolean matches(Value existing) {
            return existing instanceof Value.Literal l && l.text().equals(text);
        }
    }

    record Expr(String expression) implements HclValue {
        @Override
        public String source() {
            return expression;
        }

        @Override
        public boolean matches(Value existing) {
            return existing.source().strip().equals(expression.strip());
        }
    }

    record ListOf(List<HclValue> items) implements HclValue {
        @Override
        public String source() {
            return "[" + String.join(", ", items.stream().map(HclValue::source).toList()) + "]";
        }

        @Override
        public boolean matches(Value existing) {
            if (!(existing instanceof Value.Tuple t) || t.elements().size() != items.size()) {
                return false;
            }
            for (int i = 0; i < items.size(); i++) {
                if (!items.get(i).matches(t.elements().get(i).value())) {
                    return false;
                }
            }
            return true;
        }
    }

    static HclValue of(Object v, Params params, String key) {
        if (v instanceof Boolean || v instanceof Number) {
            return new Scalar(String.valueOf(v), false);
        }
        if (v instanceof String s) {
            return new Scalar(s, true);
        }
        if (v instanceof Map<?, ?> m && m.size() == 1 && m.get("expr") instanceof String e && !e.isBlank()) {
            return new Expr(e);
        }
        if (v instanceof List<?> l) {
            List<HclValue> items = new ArrayList<>();
            for (Object o : l) {
                items.add(of(o, params, key));
            }
            return new ListOf(List.copyOf(items));
        }
        throw params.invalid("'" + key + "' must be a boolean, number, string, list or {expr: \"...\"}, got " + v);
    }

    /** The placeholder for the owner resource in companion bodies. */
    String OWNER = "@owner";

    /** This value with {@link #OWNER} replaced by {@code reference}. */
    default HclValue withOwner(String reference) {
        return switch (this) {
            case Scalar s -> s.text().contains(OWNER) ? new Scalar(s.text().replace(OWNER, reference), s.quoted()) : s;
            case Expr e -> e.expression().contains(OWNER) ? new Expr(e.expression().replace(OWNER, reference)) : e;
            case ListOf l -> new ListOf(l.items().stream().map(i -> i.withOwner(reference)).toList());
        };
    }

    /** True for a map that is a raw expression rather than a nested block. */
    static boolean isExpr(Object v) {
        return v instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("expr");
    }

    /** An HCL quoted string (see {@link Quoting#hcl}). */
    static String quote(String s) {
        return Quoting.hcl(s);
    }

    /**
     * What to ensure inside a block: attributes (name → value) and nested blocks (name → Spec), in order.
     * Built from a parameter map where a map value is a nested block unless it is {@code {expr: ...}}.
     */
    record Spec(Map<String, Object> entries) {

        /** Nothing to ensure; stands for "none" where a spec is optional. */
        public static final Spec EMPTY = new Spec(Map.of());

        public Spec {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        static Spec of(Map<String, Object> raw, Params params, String key) {
            Map<String, Object> out = new LinkedHashMap<>();
            if (raw.isEmpty()) {
                throw params.invalid("'" + key + "' must not be empty");
            }
            for (Map.Entry<String, Object> e : raw.entrySet()) {
                if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                    throw params.invalid("'" + key + "' has a key that is not an HCL identifier: '" + e.getKey() + "'");
                }
                Object v = e.getValue();
                if (v instanceof Map<?, ?> m && !isExpr(v)) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> nested = (Map<String, Object>) m;
                    out.put(e.getKey(), of(nested, params, key + "." + e.getKey()));
                } else {
                    out.put(e.getKey(), HclValue.of(v, params, key + "." + e.getKey()));
                }
            }
            return new Spec(out);
        }

        /** This spec with {@code @owner} in expressions and strings replaced by {@code reference}. */
        public Spec withOwner(String reference) {
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> out.put(k, v instanceof Spec s ? s.withOwner(reference)
                    : ((HclValue) v).withOwner(reference)));
            return new Spec(out);
        }

        /** A spec holding {@code leaf = value} under the nested blocks of {@code path}. */
        static Spec path(List<String> path, String leaf, HclValue value) {
            Spec s = new Spec(Map.of(leaf, value));
            for (int i = path.size() - 1; i >= 0; i--) {
                s = new Spec(Map.of(path.get(i), s));
            }
            return s;
        }
    }
}
