package dev.fixgate.playbooks;

import com.google.common.collect.ImmutableList;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Makes {@code detect} conditions total: absent fields are absent, not evaluation errors.
 *
 * <p>Terraform and CloudFormation write the same setting in many shapes — an attribute may be missing, a
 * variable's text ({@code ${var.x}}) where a block was expected, one block where the author expected a list, an
 * intrinsic function ({@code {"Fn::If": …}}) where a string was expected. Plain CEL raises an error when a field is
 * selected on a string or a list ("Field selections must be performed on messages or maps"), when a map lacks a key,
 * when an index is out of range or when {@code matches} is called on a map; a {@code detect} written for one shape
 * then errors on another valid file. Instead of asking every condition author to guard every step, the parsed
 * condition is rewritten before it is type-checked, so that reading what is not there gives {@code null}:
 * <ul>
 *   <li>{@code a.f} → {@code fg_get(a, 'f')}: the value, or null when {@code a} is not a map or lacks {@code f};</li>
 *   <li>{@code has(a.f)} → {@code fg_has(a, 'f')}: false rather than an error when {@code a} is not a map;</li>
 *   <li>{@code a[i]} → {@code fg_index(a, i)}: null when out of range or not indexable;</li>
 *   <li>a macro's range ({@code a.exists(…)}, {@code all}, {@code map}, {@code filter}) → {@code fg_iter(a)}: a
 *       non-list non-map is the empty list;</li>
 *   <li>{@code string}, {@code int}, {@code double}, {@code size}, {@code matches}, {@code contains},
 *       {@code startsWith}, {@code endsWith}, {@code in} and the orderings take any value: what they cannot read is
 *       "", null, 0 or false (an ordering with null is false, like a comparison with a value that is not there).</li>
 * </ul>
 * Equality is CEL's own ({@code null == 'Allow'} is false, {@code null != 'Allow'} is true). A condition therefore
 * treats an absent value the way it reads: {@code !(r.access == 'Allow' && …)} holds for a rule without
 * {@code access}.
 */
final class TotalCel {

    private static final Object NULL = dev.cel.common.values.NullValue.NULL_VALUE;
    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private TotalCel() {
    }

    /** The declarations of the rewrite's functions, for the compiler. */
    static List<CelFunctionDecl> declarations() {
        var dyn = SimpleType.DYN;
        return List.of(
                CelFunctionDecl.newFunctionDeclaration("fg_get", CelOverloadDecl.newGlobalOverload("fg_get", dyn, dyn, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("fg_has", CelOverloadDecl.newGlobalOverload("fg_has", SimpleType.BOOL, dyn, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration("fg_index", CelOverloadDecl.newGlobalOverload("fg_index", dyn, dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_iter", CelOverloadDecl.newGlobalOverload("fg_iter", dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_string", CelOverloadDecl.newGlobalOverload("fg_string", SimpleType.STRING, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_int", CelOverloadDecl.newGlobalOverload("fg_int", dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_double", CelOverloadDecl.newGlobalOverload("fg_double", dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_size", CelOverloadDecl.newGlobalOverload("fg_size", SimpleType.INT, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_matches", CelOverloadDecl.newGlobalOverload("fg_matches", SimpleType.BOOL, dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_contains", CelOverloadDecl.newGlobalOverload("fg_contains", SimpleType.BOOL, dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_starts", CelOverloadDecl.newGlobalOverload("fg_starts", SimpleType.BOOL, dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_ends", CelOverloadDecl.newGlobalOverload("fg_ends", SimpleType.BOOL, dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_in", CelOverloadDecl.newGlobalOverload("fg_in", SimpleType.BOOL, dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_lt", CelOverloadDecl.newGlobalOverload("fg_lt", SimpleType.BOOL, dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_le", CelOverloadDecl.newGlobalOverload("fg_le", SimpleType.BOOL, dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_gt", CelOverloadDecl.newGlobalOverload("fg_gt", SimpleType.BOOL, dyn, dyn)),
                CelFunctionDecl.newFunctionDeclaration("fg_ge", CelOverloadDecl.newGlobalOverload("fg_ge", SimpleType.BOOL, dyn, dyn)));
    }

    /** Their implementations, for the runtime. */
    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("fg_get", Object.class, String.class, TotalCel::get),
                CelFunctionBinding.from("fg_has", Object.class, String.class, (o, f) -> o instanceof Map<?, ?> m
                        && m.containsKey(f) && !isNull(m.get(f))),
                CelFunctionBinding.from("fg_index", Object.class, Object.class, TotalCel::index),
                CelFunctionBinding.from("fg_iter", Object.class, o -> o instanceof Collection<?> || o instanceof Map<?, ?>
                        ? o : List.of()),
                CelFunctionBinding.from("fg_string", Object.class, TotalCel::string),
                CelFunctionBinding.from("fg_int", Object.class, TotalCel::toInt),
                CelFunctionBinding.from("fg_double", Object.class, TotalCel::toDouble),
                CelFunctionBinding.from("fg_size", Object.class, o -> (long) (o instanceof String s ? s.codePointCount(0, s.length())
                        : o instanceof Collection<?> c ? c.size() : o instanceof Map<?, ?> m ? m.size() : 0)),
                CelFunctionBinding.from("fg_matches", Object.class, Object.class, (s, re) -> s instanceof String t
                        && re instanceof String r && PATTERNS.computeIfAbsent(r, Pattern::compile).matcher(t).find()),
                CelFunctionBinding.from("fg_contains", Object.class, Object.class, (s, x) -> s instanceof String t
                        && x instanceof String u && t.contains(u)),
                CelFunctionBinding.from("fg_starts", Object.class, Object.class, (s, x) -> s instanceof String t
                        && x instanceof String u && t.startsWith(u)),
                CelFunctionBinding.from("fg_ends", Object.class, Object.class, (s, x) -> s instanceof String t
                        && x instanceof String u && t.endsWith(u)),
                CelFunctionBinding.from("fg_in", Object.class, Object.class, TotalCel::in),
                CelFunctionBinding.from("fg_lt", Object.class, Object.class, (a, b) -> compare(a, b).map(c -> c < 0).orElse(false)),
                CelFunctionBinding.from("fg_le", Object.class, Object.class, (a, b) -> compare(a, b).map(c -> c <= 0).orElse(false)),
                CelFunctionBinding.from("fg_gt", Object.class, Object.class, (a, b) -> compare(a, b).map(c -> c > 0).orElse(false)),
                CelFunctionBinding.from("fg_ge", Object.class, Object.class, (a, b) -> compare(a, b).map(c -> c >= 0).orElse(false)));
    }

    /** The rewritten expression; ids of new nodes start above the largest id in {@code root}. */
    static CelExpr rewrite(CelExpr root) {
        long[] next = {maxId(root) + 1};
        return new TotalCel.Rewriter(next).expr(root);
    }

    private record Rewriter(long[] next) {
        CelExpr expr(CelExpr e) {
            return switch (e.exprKind().getKind()) {
                case SELECT -> {
                    var s = e.select();
                    CelExpr operand = expr(s.operand());
                    // a qualified identifier (a.b resolved as a name) is not a map read; only variables are declared
                    yield call(e.id(), s.testOnly() ? "fg_has" : "fg_get", operand, constant(s.field()));
                }
                case CALL -> {
                    var c = e.call();
                    ImmutableList<CelExpr> args = c.args().stream().map(this::expr).collect(ImmutableList.toImmutableList());
                    Optional<CelExpr> target = c.target().map(this::expr);
                    String f = c.function();
                    String total = target.isPresent()
                            ? switch (f) {
                                case "matches" -> "fg_matches";
                                case "contains" -> "fg_contains";
                                case "startsWith" -> "fg_starts";
                                case "endsWith" -> "fg_ends";
                                case "size" -> "fg_size";
                                default -> null;
                            }
                            : switch (f) {
                                case "_[_]" -> "fg_index";
                                case "string" -> "fg_string";
                                case "int" -> "fg_int";
                                case "double" -> "fg_double";
                                case "size" -> "fg_size";
                                case "matches" -> "fg_matches";
                                case "@in" -> "fg_in";
                                case "_<_" -> "fg_lt";
                                case "_<=_" -> "fg_le";
                                case "_>_" -> "fg_gt";
                                case "_>=_" -> "fg_ge";
                                default -> null;
                            };
                    if (total != null) {
                        List<CelExpr> all = new ArrayList<>();
                        target.ifPresent(all::add);
                        all.addAll(args);
                        yield CelExpr.ofCall(e.id(), Optional.empty(), total, ImmutableList.copyOf(all));
                    }
                    yield CelExpr.ofCall(e.id(), target, f, args);
                }
                case LIST -> CelExpr.ofList(e.id(), e.list().elements().stream().map(this::expr)
                        .collect(ImmutableList.toImmutableList()), e.list().optionalIndices());
                case MAP -> CelExpr.ofMap(e.id(), e.map().entries().stream()
                        .map(en -> CelExpr.ofMapEntry(en.id(), expr(en.key()), expr(en.value()), en.optionalEntry()))
                        .collect(ImmutableList.toImmutableList()));
                case COMPREHENSION -> {
                    var c = e.comprehension();
                    CelExpr range = expr(c.iterRange());
                    yield CelExpr.ofComprehension(e.id(), c.iterVar(), c.iterVar2(),
                            CelExpr.ofCall(next[0]++, Optional.empty(), "fg_iter", ImmutableList.of(range)),
                            c.accuVar(), expr(c.accuInit()), expr(c.loopCondition()), expr(c.loopStep()), expr(c.result()));
                }
                default -> e;
            };
        }

        private CelExpr call(long id, String function, CelExpr a, CelExpr b) {
            return CelExpr.ofCall(id, Optional.empty(), function, ImmutableList.of(a, b));
        }

        private CelExpr constant(String s) {
            return CelExpr.ofConstant(next[0]++, CelConstant.ofValue(s));
        }
    }

    private static long maxId(CelExpr e) {
        long max = e.id();
        switch (e.exprKind().getKind()) {
            case SELECT -> max = Math.max(max, maxId(e.select().operand()));
            case CALL -> {
                if (e.call().target().isPresent()) {
                    max = Math.max(max, maxId(e.call().target().get()));
                }
                for (CelExpr a : e.call().args()) {
                    max = Math.max(max, maxId(a));
                }
            }
            case LIST -> {
                for (CelExpr a : e.list().elements()) {
                    max = Math.max(max, maxId(a));
                }
            }
            case MAP -> {
                for (var en : e.map().entries()) {
                    max = Math.max(max, Math.max(en.id(), Math.max(maxId(en.key()), maxId(en.value()))));
                }
            }
            case COMPREHENSION -> {
                var c = e.comprehension();
                for (CelExpr a : List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
                    max = Math.max(max, maxId(a));
                }
            }
            default -> {
            }
        }
        return max;
    }

    private static boolean isNull(Object o) {
        return o == null || o == NULL || o instanceof com.google.protobuf.NullValue;
    }

    private static Object get(Object o, String field) {
        if (o instanceof Map<?, ?> m) {
            Object v = m.get(field);
            return v == null ? NULL : v;
        }
        return NULL;
    }

    private static Object index(Object o, Object i) {
        if (o instanceof List<?> l) {
            Optional<Double> n = number(i);
            if (n.isPresent() && n.get() == Math.rint(n.get()) && n.get() >= 0 && n.get() < l.size()) {
                Object v = l.get(n.get().intValue());
                return v == null ? NULL : v;
            }
            return NULL;
        }
        if (o instanceof Map<?, ?> m) {
            Object v = m.get(i instanceof Number n && !(i instanceof Double) ? Long.valueOf(n.longValue()) : i);
            if (v == null && i instanceof Number n) {
                v = m.get(String.valueOf(n.longValue()));
            }
            return v == null ? NULL : v;
        }
        return NULL;
    }

    private static String string(Object o) {
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof Boolean || o instanceof Long || o instanceof Integer
                || o instanceof com.google.common.primitives.UnsignedLong) {
            return String.valueOf(o);
        }
        if (o instanceof Double d) {
            return d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(d);
        }
        return "";
    }

    private static Object toInt(Object o) {
        if (o instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return NULL;
            }
        }
        return number(o).map(d -> (Object) (long) d.doubleValue()).orElse(NULL);
    }

    private static Object toDouble(Object o) {
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return NULL;
            }
        }
        return number(o).map(d -> (Object) d).orElse(NULL);
    }

    private static boolean in(Object x, Object container) {
        if (container instanceof Collection<?> c) {
            for (Object e : c) {
                if (same(x, e)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Map<?, ?> m) {
            return m.keySet().stream().anyMatch(k -> same(x, k));
        }
        return false;
    }

    /** CEL's heterogeneous equality for the values a model holds: numbers by value, the rest as they are. */
    private static boolean same(Object a, Object b) {
        Optional<Double> x = number(a);
        Optional<Double> y = number(b);
        if (x.isPresent() && y.isPresent()) {
            return x.get().doubleValue() == y.get().doubleValue();
        }
        return Objects.equals(a, b);
    }

    private static Optional<Integer> compare(Object a, Object b) {
        Optional<Double> x = number(a);
        Optional<Double> y = number(b);
        if (x.isPresent() && y.isPresent()) {
            return Optional.of(Double.compare(x.get(), y.get()));
        }
        if (a instanceof String s && b instanceof String t) {
            return Optional.of(s.compareTo(t));
        }
        return Optional.empty();
    }

    private static Optional<Double> number(Object o) {
        if (o instanceof com.google.common.primitives.UnsignedLong u) {
            return Optional.of(u.doubleValue());
        }
        if (o instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        return Optional.empty();
    }
}
