package dev.fixgate.patch.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** One {@code corpus/fixes/<type>.yaml}: which queries, which operations per target, which check. */
record FixMapping(String id, String check, List<Query> queries, List<Step> steps, List<Unsupported> unsupported) {

    /**
     * @param steps             this query's own steps; empty to use the mapping's
     * @param targets           the kinds of block this query's findings point at (empty: any the steps cover)
     */
    record Query(String path, Map<String, Object> with, Map<String, String> skip, List<Step> steps,
                 List<String> targets) {

        boolean covers(String kind) {
            return targets.isEmpty() || targets.stream().anyMatch(t -> matches(t, kind));
        }
    }

    record Step(String target, List<OpCall> ops) {
    }

    record OpCall(String op, Map<String, Object> params) {

        /**
         * Params with {@code $name} placeholders (values, or keys of nested maps) filled from {@code with}; a value
         * placeholder without a value is dropped.
         */
        Map<String, Object> params(Map<String, Object> with) {
            return fill(params, with);
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> fill(Map<String, Object> in, Map<String, Object> with) {
            Map<String, Object> out = new LinkedHashMap<>();
            in.forEach((k, v) -> {
                String key = k.startsWith("$") && with.containsKey(k.substring(1)) ? String.valueOf(with.get(k.substring(1))) : k;
                if (v instanceof String s && s.startsWith("$")) {
                    Object w = with.get(s.substring(1));
                    if (w != null) {
                        out.put(key, w);
                    }
                } else if (v instanceof Map<?, ?> m) {
                    out.put(key, fill((Map<String, Object>) m, with));
                } else {
                    out.put(key, v);
                }
            });
            return out;
        }
    }

    record Unsupported(String target, String reason) {
    }

    List<Step> stepsFor(Query q) {
        return q.steps().isEmpty() ? steps : q.steps();
    }

    static List<FixMapping> loadAll(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().map(FixMapping::load).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static FixMapping load(Path file) {
        Map<String, Object> m;
        try {
            m = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Query> queries = new ArrayList<>();
        for (Object o : (List<Object>) m.get("queries")) {
            Map<String, Object> q = (Map<String, Object>) o;
            queries.add(new Query((String) q.get("path"), (Map<String, Object>) q.getOrDefault("with", Map.of()),
                    (Map<String, String>) q.getOrDefault("skip", Map.of()),
                    steps((List<Object>) q.getOrDefault("steps", List.of())),
                    (List<String>) q.getOrDefault("targets", List.of())));
        }
        List<Unsupported> unsupported = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("unsupported", List.of())) {
            Map<String, Object> u = (Map<String, Object>) o;
            unsupported.add(new Unsupported((String) u.get("target"), (String) u.get("reason")));
        }
        return new FixMapping((String) m.get("id"), (String) m.get("check"), queries,
                steps((List<Object>) m.getOrDefault("steps", List.of())), unsupported);
    }

    @SuppressWarnings("unchecked")
    private static List<Step> steps(List<Object> raw) {
        List<Step> out = new ArrayList<>();
        for (Object o : raw) {
            Map<String, Object> s = (Map<String, Object>) o;
            List<OpCall> ops = new ArrayList<>();
            for (Object op : (List<Object>) s.get("ops")) {
                Map<String, Object> c = (Map<String, Object>) op;
                ops.add(new OpCall((String) c.get("op"), (Map<String, Object>) c.getOrDefault("params", Map.of())));
            }
            out.add(new Step((String) s.get("target"), List.copyOf(ops)));
        }
        return List.copyOf(out);
    }

    /** {@code pattern}: a kind, {@code *}, {@code resource:*}/{@code cfn:*}, or several separated by commas. */
    static boolean matches(String pattern, String kind) {
        if (pattern.contains(",")) {
            return java.util.Arrays.stream(pattern.split(",")).anyMatch(p -> matches(p.strip(), kind));
        }
        if (pattern.equals("*") || pattern.equals(kind)) {
            return true;
        }
        return pattern.endsWith(":*") && kind.startsWith(pattern.substring(0, pattern.length() - 1));
    }
}
