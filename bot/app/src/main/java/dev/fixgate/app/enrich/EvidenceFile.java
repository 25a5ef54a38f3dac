package dev.fixgate.app.enrich;

import dev.fixgate.spi.evidence.EvidenceKinds;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code {"evidence": [{"resource": "...", "kind": "...", "value": ..., "observedAt": "...", "source": "..."}]}}.
 * Kinds of {@link EvidenceKinds} are type-checked; kinds that only a playbook names (and nobody registered)
 * are kept as they are, for the playbook's rule to judge. An entry of a kind nobody knows, or with a value of
 * the wrong type, is reported (with its JSON pointer) and left out; the rest are kept. A file that is not JSON
 * of that shape is an error.
 */
public final class EvidenceFile {

    /** @param problems one line per entry left out: {@code file#/evidence/3: ...} */
    public record Contents(List<Observation> observations, List<String> problems) {
        public Contents {
            observations = List.copyOf(observations);
            problems = List.copyOf(problems);
        }

        public static Contents empty() {
            return new Contents(List.of(), List.of());
        }
    }

    private EvidenceFile() {
    }

    /** @param playbookKinds kinds named by playbook evidence rules, accepted with any value */
    public static Contents read(Path file, Set<String> playbookKinds) {
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8), playbookKinds);
        } catch (IOException e) {
            throw new FixgateException("evidence.unreadable", file + ": " + e.getMessage(), SourceLocation.of(file.toString()));
        }
    }

    public static Contents parse(String name, String text, Set<String> playbookKinds) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new FixgateException("evidence.invalid", name + ": not JSON: " + e.getMessage(),
                    SourceLocation.of(name));
        }
        if (root == null || !root.path("evidence").isArray()) {
            throw new FixgateException("evidence.invalid", name + ": expected {\"evidence\": [...]}", SourceLocation.of(name));
        }
        List<Observation> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        JsonNode list = root.get("evidence");
        for (int i = 0; i < list.size(); i++) {
            String where = name + "#/evidence/" + i;
            JsonNode e = list.get(i);
            if (!e.isObject() || !e.path("resource").isTextual() || !e.path("kind").isTextual() || !e.has("value")
                    || e.path("resource").asText().isBlank()) {
                problems.add(where + ": needs resource, kind and value");
                continue;
            }
            String kind = e.get("kind").asText();
            if (!EvidenceKinds.known(kind) && !playbookKinds.contains(kind)) {
                problems.add(where + ": unknown kind '" + kind + "' (ignored; known: " + String.join(", ", EvidenceKinds.names())
                        + ", and the kinds playbooks name)");
                continue;
            }
            Object value = value(e.get("value"));
            if (value == null) {
                problems.add(where + ": " + kind + " has no value");
                continue;
            }
            var problem = EvidenceKinds.known(kind) ? EvidenceKinds.problem(kind, value) : java.util.Optional.<String>empty();
            if (problem.isPresent()) {
                problems.add(where + ": " + kind + ": " + problem.get());
                continue;
            }
            Instant at;
            try {
                at = e.path("observedAt").isTextual() ? Instant.parse(e.get("observedAt").asText()) : null;
            } catch (DateTimeParseException ex) {
                at = null;
            }
            if (at == null) {
                problems.add(where + ": observedAt must be an ISO-8601 instant such as 2026-11-20T10:00:00Z");
                continue;
            }
            out.add(new Observation(e.get("resource").asText(), kind, value, at, e.path("source").asText("")));
        }
        return new Contents(out, problems);
    }

    /** JSON to plain values: integers as Long, other numbers as Double, null dropped. */
    public static Object value(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            // Not a ternary: `long : double` would promote every whole number to a double.
            if (n.canConvertToLong()) {
                return Long.valueOf(n.asLong());
            }
            return Double.valueOf(n.asDouble());
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> {
                Object v = value(x);
                if (v != null) {
                    l.add(v);
                }
            });
            return List.copyOf(l);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        n.properties().forEach(en -> {
            Object v = value(en.getValue());
            if (v != null) {
                m.put(en.getKey(), v);
            }
        });
        return java.util.Collections.unmodifiableMap(m);
    }
}
