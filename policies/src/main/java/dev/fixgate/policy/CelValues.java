package dev.fixgate.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns plain Java values (as parsed from JSON or YAML) into the types CEL works with: every integer becomes a
 * {@code Long}, every other number a {@code Double}, map keys become strings, and {@code null} entries are
 * dropped (a missing key is what a policy tests with {@code has()} or {@code in}).
 */
public final class CelValues {

    private CelValues() {
    }

    public static Object of(Object value) {
        return switch (value) {
            case null -> throw new IllegalArgumentException("null has no CEL value here; drop the key instead");
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger b -> b.longValueExact();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case BigDecimal d -> d.doubleValue();
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> {
                    if (v != null) {
                        out.put(String.valueOf(k), of(v));
                    }
                });
                yield Collections.unmodifiableMap(out);
            }
            case Collection<?> c -> {
                List<Object> out = new ArrayList<>(c.size());
                for (Object o : c) {
                    if (o != null) {
                        out.add(of(o));
                    }
                }
                yield Collections.unmodifiableList(out);
            }
            case Enum<?> e -> e.name();
            default -> String.valueOf(value);
        };
    }
}
