package dev.fixgate.app.prevent.guardrail;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Terraform (HCL native syntax) for the guardrail files: literal values — strings, numbers, booleans, lists and
 * objects — with two-space indentation and aligned {@code =}. Strings are escaped for HCL's quoted templates, so
 * a policy's {@code ${aws:username}} stays a literal for AWS and is never read as a Terraform interpolation.
 */
final class Hcl {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    static final String INDENT = "  ";

    private Hcl() {
    }

    /** A quoted HCL string with {@code \}, {@code "}, control characters and template sequences escaped. */
    static String string(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '$', '%' -> {
                    // "${" and "%{" start template sequences; "$${" and "%%{" are their literal forms
                    b.append(c);
                    if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
                        b.append(c);
                    }
                }
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** A quoted template: literal parts escaped, {@link Raw} parts interpolated as {@code ${...}}. */
    static String template(Placeholders.Template t) {
        StringBuilder b = new StringBuilder("\"");
        for (Object part : t.parts()) {
            if (part instanceof Raw raw) {
                b.append("${").append(raw.text()).append('}');
            } else {
                String quoted = string(String.valueOf(part));
                b.append(quoted, 1, quoted.length() - 1);
            }
        }
        return b.append('"').toString();
    }

    /** An object key: bare when it is an identifier (and not a keyword-like value), else quoted. */
    static String key(String k) {
        return IDENTIFIER.matcher(k).matches() && !k.equals("null") && !k.equals("true") && !k.equals("false")
                ? k : string(k);
    }

    /**
     * {@code value} (String, Number, Boolean, List, Map — as read from YAML or JSON) at {@code depth} indentation
     * levels; multi-line for non-empty objects and lists of objects, one line for lists of scalars.
     */
    static String value(Object value, int depth) {
        return switch (value) {
            case null -> "null";
            case String s -> string(s);
            case Placeholders.Template t -> template(t);
            case Raw raw -> raw.text();
            case Boolean bool -> bool.toString();
            case Number n -> n.toString();
            case Map<?, ?> m -> object(m, depth);
            case List<?> l -> list(l, depth);
            default -> throw new IllegalArgumentException("no HCL literal for " + value.getClass().getSimpleName());
        };
    }

    private static String object(Map<?, ?> m, int depth) {
        if (m.isEmpty()) {
            return "{}";
        }
        String pad = INDENT.repeat(depth + 1);
        int width = m.keySet().stream().mapToInt(k -> key(String.valueOf(k)).length()).max().orElse(0);
        StringBuilder b = new StringBuilder("{\n");
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = key(String.valueOf(e.getKey()));
            b.append(pad).append(k).append(" ".repeat(width - k.length())).append(" = ")
                    .append(value(e.getValue(), depth + 1)).append('\n');
        }
        return b.append(INDENT.repeat(depth)).append('}').toString();
    }

    private static String list(List<?> l, int depth) {
        if (l.stream().noneMatch(v -> v instanceof Map || v instanceof List)) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(value(l.get(i), depth));
            }
            return b.append(']').toString();
        }
        String pad = INDENT.repeat(depth + 1);
        StringBuilder b = new StringBuilder("[\n");
        for (Object v : l) {
            b.append(pad).append(value(v, depth + 1)).append(",\n");
        }
        return b.append(INDENT.repeat(depth)).append(']').toString();
    }

    /** {@code name = value} lines aligned on {@code =} as {@code terraform fmt} does, at {@code depth}. */
    static String attributes(Map<String, Object> attributes, int depth) {
        int width = attributes.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder b = new StringBuilder();
        String pad = INDENT.repeat(depth);
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            String v = value(e.getValue(), depth);
            b.append(pad).append(e.getKey()).append(" ".repeat(width - e.getKey().length())).append(" = ").append(v)
                    .append('\n');
        }
        return b.toString();
    }

    /** An expression written as is (a reference or a function call), not as a literal. */
    record Raw(String text) {
    }
}
