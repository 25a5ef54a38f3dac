package dev.fixgate.patch.model;

import dev.fixgate.patch.Quoting;
import java.util.List;
import java.util.Map;

/** Compact JSON text of model values, the way Terraform's {@code jsonencode} writes them (keys in order given). */
final class Json {

    private Json() {
    }

    static String write(Object v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        switch (v) {
            case null -> sb.append("null");
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    string(String.valueOf(e.getKey()), sb);
                    sb.append(':');
                    write(e.getValue(), sb);
                }
                sb.append('}');
            }
            case List<?> l -> {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(l.get(i), sb);
                }
                sb.append(']');
            }
            case Boolean b -> sb.append(b);
            case Number n -> sb.append(n);
            default -> string(String.valueOf(v), sb);
        }
    }

    private static void string(String s, StringBuilder sb) {
        sb.append(Quoting.json(s));
    }
}
