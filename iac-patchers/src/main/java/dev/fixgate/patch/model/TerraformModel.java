package dev.fixgate.patch.model;

import dev.fixgate.patch.terraform.Body;
import dev.fixgate.patch.terraform.HclDocument;
import dev.fixgate.patch.terraform.Value;
import dev.fixgate.spi.iac.SourceFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds {@link ModelResource}s from the {@code .tf} and {@code .tfvars} files of one module. */
final class TerraformModel {

    /** {@code type.name} as a reference (not inside a longer identifier or after a dot). */
    private static final Pattern REF = Pattern.compile("(?<![\\w.\\-])([a-z][a-z0-9_]*)\\.([A-Za-z_][\\w-]*)(?![\\w-])");
    private static final Pattern HEREDOC = Pattern.compile("(?s)^<<(-?)([A-Za-z_][\\w-]*)\\r?\\n(.*?)\\r?\\n[ \\t]*\\2\\s*$");
    private static final Pattern JSONENCODE = Pattern.compile("(?s)^jsonencode\\((.*)\\)$");

    private int insideJson;
    private final List<HclDocument> docs = new ArrayList<>();
    private final List<HclDocument> tfvars = new ArrayList<>();
    private final Map<String, Value> variableDefaults = new LinkedHashMap<>();
    private final Map<String, List<Value>> tfvarsValues = new LinkedHashMap<>();
    private final Map<String, List<Value>> locals = new LinkedHashMap<>();
    /** What a block's values resolve against ({@link #resolution}), as text; bodies are kept per resolution. */
    private final Map<String, Map<String, Object>> bodies;

    TerraformModel(List<SourceFile> files) {
        for (SourceFile f : files) {
            if (f.path().endsWith(".tf")) {
                docs.add(HclDocument.parse(f.path(), f.text()));
            } else if (f.path().endsWith(".tfvars")) {
                tfvars.add(HclDocument.parse(f.path(), f.text()));
            }
        }
        for (HclDocument d : docs) {
            for (Body.Block b : d.blocks()) {
                if (b.type().equals("variable")) {
                    b.attribute("default").ifPresent(a -> variableDefaults.put(b.label(0), a.value()));
                } else if (b.type().equals("locals")) {
                    for (Body.Item i : b.body()) {
                        if (i instanceof Body.Attribute a) {
                            locals.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a.value());
                        }
                    }
                }
            }
        }
        for (HclDocument d : tfvars) {
            for (Body.Item i : d.items()) {
                if (i instanceof Body.Attribute a) {
                    tfvarsValues.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a.value());
                }
            }
        }
        bodies = bodiesFor(resolution());
    }

    /**
     * Everything a block's body is computed from besides its own text: the variables' defaults, the tfvars values and
     * the locals, by name, as source text. A value's conversion depends on its text only (the same text parses to the
     * same structure), so two models with the same resolution give a block of the same text the same body.
     */
    private String resolution() {
        StringBuilder sb = new StringBuilder();
        // every piece with its length in front: no two resolutions write the same key, whatever their text holds
        variableDefaults.forEach((k, v) -> piece(piece(sb, k), v.source()));
        for (var e : List.of(tfvarsValues, locals)) {
            sb.append('|');
            e.forEach((k, vs) -> {
                piece(sb, k).append(vs.size()).append('#');
                vs.forEach(v -> piece(sb, v.source()));
            });
        }
        return sb.toString();
    }

    private static StringBuilder piece(StringBuilder sb, String s) {
        return sb.append(s.length()).append(':').append(s);
    }

    /**
     * The bodies computed so far, per resolution, per block text. Planning re-reads a module once per fixed resource
     * and every re-check of the composed fixes: all of its blocks but the fixed one are unchanged each time, and
     * converting every resource's body was most of building the model. Bounded: least recently used resolutions out,
     * and a resolution's bodies dropped when there are too many.
     */
    private static final int RESOLUTIONS = 64;
    private static final int BODIES_PER_RESOLUTION = 4096;
    private static final Map<String, Map<String, Map<String, Object>>> BODIES = Collections.synchronizedMap(
            new LinkedHashMap<>(RESOLUTIONS, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<String, Map<String, Object>>> eldest) {
                    return size() > RESOLUTIONS;
                }
            });

    private static Map<String, Map<String, Object>> bodiesFor(String resolution) {
        Map<String, Map<String, Object>> bodies = BODIES.computeIfAbsent(resolution,
                k -> new java.util.concurrent.ConcurrentHashMap<>()); // cheap under the lock: an empty map
        if (bodies.size() > BODIES_PER_RESOLUTION) {
            bodies.clear();
        }
        return bodies;
    }

    private record Declared(HclDocument doc, Body.Block block) {
        String address() {
            return block.address();
        }
    }

    List<ModelResource> resources() {
        List<Declared> declared = new ArrayList<>();
        List<Declared> referrers = new ArrayList<>();
        for (HclDocument d : docs) {
            for (Body.Block b : d.blocks()) {
                switch (b.type()) {
                    case "resource" -> {
                        declared.add(new Declared(d, b));
                        referrers.add(new Declared(d, b));
                    }
                    case "output", "module", "data" -> referrers.add(new Declared(d, b));
                    case "locals" -> referrers.add(new Declared(d, b));
                    default -> {
                    }
                }
            }
        }
        Set<String> addresses = new LinkedHashSet<>();
        declared.forEach(r -> addresses.add(r.address()));
        // who references whom, from each referrer's text
        Map<String, List<Declared>> referencedBy = new LinkedHashMap<>();
        for (Declared r : referrers) {
            String text = r.doc().slice(r.block().open(), r.block().close());
            Set<String> seen = new LinkedHashSet<>();
            for (String target : references(text)) {
                if (addresses.contains(target) && !target.equals(r.address()) && seen.add(target)) {
                    referencedBy.computeIfAbsent(target, k -> new ArrayList<>()).add(r);
                }
            }
        }
        List<ModelResource> out = new ArrayList<>();
        for (Declared r : declared) {
            Map<String, List<Map<String, Object>>> companions = new LinkedHashMap<>();
            List<String> refs = new ArrayList<>();
            for (Declared by : referencedBy.getOrDefault(r.address(), List.of())) {
                if (by.block().type().equals("locals")) {
                    refs.add("locals");
                    continue;
                }
                refs.add(by.address());
                if (by.block().type().equals("resource")) {
                    companions.computeIfAbsent(by.block().label(0), k -> new ArrayList<>()).add(body(by));
                }
            }
            companions.replaceAll((k, v) -> List.copyOf(v));
            Body.Block b = r.block();
            out.add(new ModelResource("terraform", b.label(0), b.label(1), b.address(), r.doc().path(),
                    r.doc().lineOf(b.start()), r.doc().lineOf(Math.max(b.start(), b.end() - 1)), body(r), companions,
                    refs, multiplicity(r.doc(), b)));
        }
        return out;
    }

    /**
     * Every {@code a.b} a block's text mentions, in order. Planning re-reads a module once per fixed resource, and all
     * but one of its blocks are unchanged each time: the scan of a block's text is kept (bounded, least recently used
     * out).
     */
    private static final int REFS_CACHE = 4096;
    private static final Map<String, List<String>> REFS = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(REFS_CACHE, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
                    return size() > REFS_CACHE;
                }
            });

    private static List<String> references(String text) {
        List<String> cached = REFS.get(text);
        if (cached != null) {
            return cached;
        }
        List<String> out = new ArrayList<>();
        Matcher m = REF.matcher(text);
        while (m.find()) {
            out.add(m.group(1) + "." + m.group(2));
        }
        List<String> refs = List.copyOf(out);
        REFS.put(text, refs);
        return refs;
    }

    private static String multiplicity(HclDocument doc, Body.Block b) {
        Optional<Body.Attribute> count = b.attribute("count");
        if (count.isPresent()) {
            return "count = " + count.get().value().source().strip();
        }
        Optional<Body.Attribute> forEach = b.attribute("for_each");
        return forEach.map(a -> "for_each = " + a.value().source().strip()).orElse("single");
    }

    /** A declared block's body, computed once per block text and resolution (it is immutable). */
    private Map<String, Object> body(Declared d) {
        String text = d.doc().slice(d.block().start(), d.block().end());
        Map<String, Object> known = bodies.get(text);
        if (known != null) {
            return known;
        }
        Map<String, Object> body = body(d.block());
        bodies.put(text, body);
        return body;
    }

    /** Attributes as values, nested blocks as lists of maps, {@code dynamic "x"} blocks as their content. */
    Map<String, Object> body(Body.Block block) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Body.Item item : block.body()) {
            switch (item) {
                case Body.Attribute a -> {
                    Object v = value(a.value(), 0);
                    if (v != null) {
                        out.put(a.name(), v);
                    }
                }
                case Body.Block nested -> {
                    String key = nested.type();
                    Map<String, Object> content = body(nested);
                    if (key.equals("dynamic")) {
                        key = nested.label(0);
                        Map<String, Object> dyn = new LinkedHashMap<>();
                        Object inner = content.get("content");
                        if (inner instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> m) {
                            m.forEach((k, v) -> dyn.put(String.valueOf(k), v));
                        }
                        dyn.put("_dynamic", true);
                        content = Collections.unmodifiableMap(dyn);
                    }
                    @SuppressWarnings("unchecked")
                    List<Object> list = (List<Object>) out.computeIfAbsent(key, k -> new ArrayList<>());
                    list.add(content);
                }
            }
        }
        out.replaceAll((k, v) -> v instanceof List<?> l ? Collections.unmodifiableList(l) : v);
        return Collections.unmodifiableMap(out);
    }

    /** The value of an expression, or {@code null} for HCL {@code null}. */
    Object value(Value v, int depth) {
        return switch (v) {
            case Value.Literal l -> literal(l);
            case Value.Tuple t -> {
                List<Object> items = new ArrayList<>();
                for (Value.Element e : t.elements()) {
                    Object o = value(e.value(), depth);
                    items.add(o == null ? "${null}" : o);
                }
                yield Collections.unmodifiableList(items);
            }
            case Value.Object o -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Body.Item i : o.entries()) {
                    if (i instanceof Body.Attribute a) {
                        Object x = value(a.value(), depth);
                        if (x != null) {
                            m.put(a.name(), x);
                        }
                    }
                }
                yield Collections.unmodifiableMap(m);
            }
            case Value.Reference r -> resolve(r, depth);
            case Value.Other o -> other(o.source().strip(), depth);
        };
    }

    private Object literal(Value.Literal l) {
        String src = l.source().strip();
        String text = l.text();
        if (src.startsWith("\"") && insideJson > 0) {
            return text; // jsonencode keeps strings as strings ("aws:SecureTransport" = "false")
        }
        if (src.startsWith("\"")) {
            // Terraform converts "true"/"false" to bool where an attribute is a bool; strings rarely hold them
            return switch (text) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> text;
            };
        }
        switch (text) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
                return null;
            default:
                break;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e2) {
                return text;
            }
        }
    }

    /**
     * {@code var.x}: the one tfvars value, else the variable's default; {@code local.x}: its one definition.
     * Anything ambiguous stays unevaluated.
     */
    private Object resolve(Value.Reference r, int depth) {
        String unresolved = "${" + r.source().strip() + "}";
        if (depth > 8) {
            return unresolved;
        }
        if (r.kind().equals("var")) {
            List<Value> set = tfvarsValues.getOrDefault(r.name(), List.of());
            if (set.size() > 1) {
                return unresolved;
            }
            Value v = set.size() == 1 ? set.get(0) : variableDefaults.get(r.name());
            return v == null ? unresolved : value(v, depth + 1);
        }
        List<Value> defs = locals.getOrDefault(r.name(), List.of());
        return defs.size() == 1 ? value(defs.get(0), depth + 1) : unresolved;
    }

    private Object other(String src, int depth) {
        Matcher h = HEREDOC.matcher(src);
        if (h.matches()) {
            return h.group(3);
        }
        Matcher j = JSONENCODE.matcher(src);
        if (j.matches()) {
            insideJson++;
            Optional<Object> parsed;
            try {
                parsed = parseExpression(j.group(1), depth);
            } finally {
                insideJson--;
            }
            if (parsed.isPresent()) {
                return Json.write(parsed.get());
            }
        }
        if (src.length() >= 2 && src.startsWith("\"") && src.endsWith("\"")) {
            // a template with interpolation: keep its text, so conditions can still look at the literal parts
            return src.substring(1, src.length() - 1);
        }
        return "${" + src + "}";
    }

    private Optional<Object> parseExpression(String expression, int depth) {
        try {
            HclDocument d = HclDocument.parse("<expression>", "x = " + expression.strip() + "\n");
            for (Body.Item i : d.items()) {
                if (i instanceof Body.Attribute a) {
                    return Optional.ofNullable(value(a.value(), depth + 1));
                }
            }
        } catch (RuntimeException e) {
            // not a plain expression: stays unevaluated
        }
        return Optional.empty();
    }
}
