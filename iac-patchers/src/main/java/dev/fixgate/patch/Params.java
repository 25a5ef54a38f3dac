package dev.fixgate.patch;

import dev.fixgate.spi.error.SourceLocation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameter map an operation is built from (a playbook's YAML {@code params:}), with typed getters that
 * fail with {@link PatchException#PARAM_INVALID} naming the operation and the parameter. Values are what a YAML
 * or JSON reader produces: String, Boolean, Number, List, Map.
 */
public final class Params {

    private final String operationId;
    private final Map<String, Object> values;

    public Params(String operationId, Map<String, ?> values) {
        this.operationId = operationId;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Params of(String operationId, Map<String, ?> values) {
        return new Params(operationId, values);
    }

    public String operationId() {
        return operationId;
    }

    /** Rejects keys the operation does not know, so a typo in a playbook fails loudly instead of being ignored. */
    public Params allowOnly(String... keys) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(Set.of(keys));
        if (!unknown.isEmpty()) {
            throw invalid("unknown parameter(s) " + unknown + "; allowed: " + new TreeSet<>(Set.of(keys)));
        }
        return this;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key) {
        return optString(key).orElseThrow(() -> invalid("missing required parameter '" + key + "'"));
    }

    public Optional<String> optString(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s && !s.isBlank()) {
            return Optional.of(s);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return Optional.of(String.valueOf(v));
        }
        throw invalid("parameter '" + key + "' must be a non-empty string, got " + describe(v));
    }

    /** One of a fixed set of words, {@code dflt} when absent. */
    public String oneOf(String key, String dflt, String... allowed) {
        String v = optString(key).orElse(dflt);
        if (!List.of(allowed).contains(v)) {
            throw invalid("'" + key + "' must be one of " + List.of(allowed) + ", got '" + v + "'");
        }
        return v;
    }

    public boolean bool(String key, boolean dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equals("true") || s.equals("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw invalid("parameter '" + key + "' must be true or false, got " + describe(v));
    }

    /** A required value of any type (scalar, list or map). */
    public Object value(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw invalid("missing required parameter '" + key + "'");
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key) {
        return optMap(key).orElseThrow(() -> invalid("missing required parameter '" + key + "' (a map)"));
    }

    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> optMap(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw invalid("parameter '" + key + "' must have string keys, got key " + describe(k));
                }
            }
            return Optional.of(Collections.unmodifiableMap(new LinkedHashMap<>((Map<String, Object>) m)));
        }
        throw invalid("parameter '" + key + "' must be a map, got " + describe(v));
    }

    /** A non-empty map of scalar values, as strings (tags). */
    public Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        map(key).forEach((k, v) -> {
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw invalid("'" + key + "." + k + "' must be a scalar, got " + describe(v));
            }
            out.put(k, String.valueOf(v));
        });
        if (out.isEmpty()) {
            throw invalid("'" + key + "' must not be empty");
        }
        return Collections.unmodifiableMap(out);
    }

    public List<String> stringList(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String || o instanceof Number)) {
                    throw invalid("parameter '" + key + "' must be a list of strings, got element " + describe(o));
                }
                out.add(String.valueOf(o));
            }
            return List.copyOf(out);
        }
        throw invalid("parameter '" + key + "' must be a string or a list of strings, got " + describe(v));
    }

    public PatchException invalid(String message) {
        return new PatchException(PatchException.PARAM_INVALID, operationId + ": " + message,
                SourceLocation.of("operation " + operationId));
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }

    @Override
    public String toString() {
        return operationId + values;
    }
}
