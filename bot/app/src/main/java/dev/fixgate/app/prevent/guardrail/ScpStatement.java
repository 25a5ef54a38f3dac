package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.spi.error.SourceLocation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One SCP statement in a normal form: actions and resources as sorted sets, condition values as sorted sets per
 * operator and key. Two statements are merged only when everything but their actions is equal
 * ({@link #mergeKey()}): then "deny A when C" and "deny B when C" is exactly "deny A or B when C", and the merged
 * statement means what the two meant. {@code sources} are the playbooks whose guardrail it carries.
 *
 * @param sid        the statement id ({@code [A-Za-z0-9]*}); empty for none
 * @param notAction  whether {@code actions} are a {@code NotAction} list (never merged with an {@code Action} list)
 * @param notResource whether {@code resources} are a {@code NotResource} list
 */
public record ScpStatement(String sid, String effect, boolean notAction, SortedSet<String> actions, boolean notResource,
                           SortedSet<String> resources, SortedMap<String, SortedMap<String, SortedSet<String>>> condition,
                           SortedSet<String> sources) {

    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]*");
    private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+");
    private static final Set<String> KEYS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
            "Condition");

    public ScpStatement {
        Objects.requireNonNull(sid, "sid");
        Objects.requireNonNull(effect, "effect");
        actions = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(actions));
        resources = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(resources));
        SortedMap<String, SortedMap<String, SortedSet<String>>> c = new TreeMap<>();
        condition.forEach((op, keys) -> {
            SortedMap<String, SortedSet<String>> k = new TreeMap<>();
            keys.forEach((key, values) -> k.put(key, java.util.Collections.unmodifiableSortedSet(new TreeSet<>(values))));
            c.put(op, java.util.Collections.unmodifiableSortedMap(k));
        });
        condition = java.util.Collections.unmodifiableSortedMap(c);
        sources = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(sources));
    }

    /**
     * Reads a playbook's {@code guardrail.aws_scp} statement.
     *
     * @param where the playbook's {@code playbook.yaml}, for errors (pointers under {@code /guardrail/aws_scp})
     * @throws GuardrailException {@code guardrail.invalid-scp} naming the value that is wrong
     */
    public static ScpStatement of(String playbookId, Map<String, Object> raw, String where) {
        String base = "/guardrail/aws_scp";
        for (String key : raw.keySet()) {
            if (!KEYS.contains(key)) {
                throw invalid(where, base + "/" + key, "'" + key + "' is not an SCP statement element (SCPs take "
                        + KEYS + "; Principal is not supported in SCPs)");
            }
        }
        String sid = raw.get("Sid") == null ? "" : String.valueOf(raw.get("Sid"));
        if (!SID.matcher(sid).matches()) {
            throw invalid(where, base + "/Sid", "a Sid takes letters and digits only, is '" + sid + "'");
        }
        String effect = String.valueOf(raw.get("Effect"));
        if (!effect.equals("Deny") && !effect.equals("Allow")) {
            throw invalid(where, base + "/Effect", "Effect must be Deny or Allow, is '" + effect + "'");
        }
        boolean notAction = raw.containsKey("NotAction");
        if (notAction == raw.containsKey("Action")) {
            throw invalid(where, base, "a statement has exactly one of Action and NotAction");
        }
        String actionKey = notAction ? "NotAction" : "Action";
        SortedSet<String> actions = strings(raw.get(actionKey), where, base + "/" + actionKey);
        for (String a : actions) {
            if (!ACTION.matcher(a).matches()) {
                throw invalid(where, base + "/" + actionKey, "'" + a + "' is not service:Action");
            }
        }
        boolean notResource = raw.containsKey("NotResource");
        if (notResource && raw.containsKey("Resource")) {
            throw invalid(where, base, "a statement has at most one of Resource and NotResource");
        }
        String resourceKey = notResource ? "NotResource" : "Resource";
        SortedSet<String> resources = raw.containsKey(resourceKey) ? strings(raw.get(resourceKey), where,
                base + "/" + resourceKey) : new TreeSet<>(Set.of("*"));
        SortedMap<String, SortedMap<String, SortedSet<String>>> condition = new TreeMap<>();
        if (raw.get("Condition") != null) {
            if (!(raw.get("Condition") instanceof Map<?, ?> ops)) {
                throw invalid(where, base + "/Condition", "Condition must map operators to keys");
            }
            for (Map.Entry<?, ?> op : ops.entrySet()) {
                String opName = String.valueOf(op.getKey());
                if (!(op.getValue() instanceof Map<?, ?> keys) || keys.isEmpty()) {
                    throw invalid(where, base + "/Condition/" + opName, "an operator maps condition keys to values");
                }
                SortedMap<String, SortedSet<String>> k = new TreeMap<>();
                for (Map.Entry<?, ?> key : keys.entrySet()) {
                    k.put(String.valueOf(key.getKey()), strings(key.getValue(), where,
                            base + "/Condition/" + opName + "/" + key.getKey()));
                }
                condition.put(opName, k);
            }
        }
        return new ScpStatement(sid, effect, notAction, actions, notResource, resources, condition,
                new TreeSet<>(Set.of(playbookId)));
    }

    /** A string or a non-empty list of strings (YAML booleans and numbers are read as their text). */
    private static SortedSet<String> strings(Object value, String where, String pointer) {
        SortedSet<String> out = new TreeSet<>();
        if (value instanceof Collection<?> c) {
            for (Object v : c) {
                out.add(scalar(v, where, pointer));
            }
        } else if (value != null) {
            out.add(scalar(value, where, pointer));
        }
        if (out.isEmpty()) {
            throw invalid(where, pointer, "expected a string or a non-empty list of strings");
        }
        return out;
    }

    private static String scalar(Object v, String where, String pointer) {
        if (v instanceof String || v instanceof Boolean || v instanceof Number) {
            return String.valueOf(v);
        }
        throw invalid(where, pointer, "expected a string, is " + (v == null ? "null" : v.getClass().getSimpleName()));
    }

    private static GuardrailException invalid(String where, String pointer, String message) {
        return new GuardrailException("guardrail.invalid-scp", message, SourceLocation.of(where).withPointer(pointer));
    }

    /** Everything that must be equal for two statements to merge: all but the Sid, the actions and the sources. */
    public String mergeKey() {
        return effect + "|" + notAction + "|" + notResource + "|" + resources + "|" + condition;
    }

    /** This statement's actions and {@code other}'s in one statement, with both their sources; the Sid is {@code sid}. */
    ScpStatement mergedWith(ScpStatement other, String mergedSid) {
        if (!mergeKey().equals(other.mergeKey()) || notAction && !actions.equals(other.actions)) {
            throw new IllegalArgumentException("statements differ in more than their actions");
        }
        SortedSet<String> all = new TreeSet<>(actions);
        all.addAll(other.actions);
        SortedSet<String> src = new TreeSet<>(sources);
        src.addAll(other.sources);
        return new ScpStatement(mergedSid, effect, notAction, notAction ? all : withoutCovered(all), notResource,
                resources, condition, src);
    }

    /**
     * {@code actions} without those another of them already matches ({@code s3:PutObject} under {@code s3:*}).
     * Only for {@code Action} lists: under {@code NotAction} a narrower entry is not redundant in the same way, and
     * those are never merged.
     */
    static SortedSet<String> withoutCovered(SortedSet<String> actions) {
        SortedSet<String> out = new TreeSet<>();
        for (String a : actions) {
            boolean covered = actions.stream().anyMatch(o -> !o.equals(a) && (o.contains("*") || o.contains("?"))
                    && glob(o).matcher(a.toLowerCase(Locale.ROOT)).matches());
            if (!covered) {
                out.add(a);
            }
        }
        return out;
    }

    /** IAM action wildcards: {@code *} any run of characters, {@code ?} one; matched case-insensitively. */
    static Pattern glob(String action) {
        StringBuilder re = new StringBuilder();
        for (char c : action.toLowerCase(Locale.ROOT).toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString());
    }

    /**
     * The statement as policy JSON: {@code Sid} (when set), {@code Effect}, the actions, the resources and the
     * condition, with a single value written as a string rather than a one-element list (the shorter form).
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!sid.isEmpty()) {
            m.put("Sid", sid);
        }
        m.put("Effect", effect);
        m.put(notAction ? "NotAction" : "Action", one(actions));
        m.put(notResource ? "NotResource" : "Resource", one(resources));
        if (!condition.isEmpty()) {
            Map<String, Object> c = new LinkedHashMap<>();
            condition.forEach((op, keys) -> {
                Map<String, Object> k = new LinkedHashMap<>();
                keys.forEach((key, values) -> k.put(key, one(values)));
                c.put(op, k);
            });
            m.put("Condition", c);
        }
        return m;
    }

    private static Object one(SortedSet<String> values) {
        return values.size() == 1 ? values.first() : new ArrayList<>(values);
    }

    /** The same statement with another Sid. */
    ScpStatement withSid(String newSid) {
        return new ScpStatement(newSid, effect, notAction, actions, notResource, resources, condition, sources);
    }

    /** Every condition key the statement uses. */
    public List<String> conditionKeys() {
        return condition.values().stream().flatMap(k -> k.keySet().stream()).distinct().sorted().toList();
    }
}
