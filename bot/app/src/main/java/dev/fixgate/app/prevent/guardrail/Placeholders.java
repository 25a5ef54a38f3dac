package dev.fixgate.app.prevent.guardrail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values a guardrail leaves to the organisation, written {@code <name>} in the catalog (GCP's domain restriction
 * takes {@code is:<customer-id>}). A placeholder is replaced by {@code guardrails.parameters.<name>}; one without a
 * value becomes a Terraform variable the file declares (so the file is complete and {@code terraform plan} asks for
 * it), and cannot be written as JSON at all.
 */
final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("<([a-z][a-z0-9-]*)>");

    private final Map<String, String> values;
    private final String variablePrefix;
    private final SortedSet<String> unresolved = new TreeSet<>();

    /** @param variablePrefix prefix of the Terraform variables for unset parameters (one file's, so none clash) */
    Placeholders(Map<String, String> values, String variablePrefix) {
        this.values = Map.copyOf(values);
        this.variablePrefix = variablePrefix;
    }

    /** The Terraform variable for parameter {@code name}. */
    String variable(String name) {
        return variablePrefix + "_" + name.replace('-', '_');
    }

    /** Parameters that had no value, in the order of their names. */
    SortedSet<String> unresolved() {
        return unresolved;
    }

    /**
     * {@code value} with every placeholder replaced; an unset one becomes a {@link Template} part referring to its
     * variable (strings without an unset placeholder stay strings).
     */
    Object resolve(Object value) {
        return switch (value) {
            case String s -> resolveString(s);
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(String.valueOf(k), resolve(v)));
                yield out;
            }
            case List<?> l -> l.stream().map(this::resolve).toList();
            case null -> null;
            default -> value;
        };
    }

    private Object resolveString(String s) {
        Matcher m = PLACEHOLDER.matcher(s);
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int last = 0;
        boolean variable = false;
        while (m.find()) {
            literal.append(s, last, m.start());
            String name = m.group(1);
            String v = values.get(name);
            if (v != null) {
                literal.append(v);
            } else {
                unresolved.add(name);
                parts.add(literal.toString());
                literal.setLength(0);
                parts.add(new Hcl.Raw("var." + variable(name)));
                variable = true;
            }
            last = m.end();
        }
        literal.append(s.substring(last));
        if (!variable) {
            return literal.toString();
        }
        parts.add(literal.toString());
        return new Template(parts);
    }

    /** Whether {@code value} still holds an unset placeholder anywhere. */
    static boolean hasTemplate(Object value) {
        return switch (value) {
            case Template t -> true;
            case Map<?, ?> m -> m.values().stream().anyMatch(Placeholders::hasTemplate);
            case List<?> l -> l.stream().anyMatch(Placeholders::hasTemplate);
            case null, default -> false;
        };
    }

    /** A string with interpolated Terraform expressions: literal text and {@link Hcl.Raw} parts, in order. */
    record Template(List<Object> parts) {
        Template {
            parts = List.copyOf(parts);
        }
    }
}
