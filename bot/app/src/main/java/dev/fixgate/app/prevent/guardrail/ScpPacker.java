package dev.fixgate.app.prevent.guardrail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the SCP statements meant for one target into as few policies as the quotas allow:
 * <ol>
 *   <li>statements equal but for their actions (same effect, resources and condition) become one statement with the
 *   union of the actions — "deny A when C" plus "deny B when C" is "deny A or B when C", so nothing is allowed or
 *   denied that was not before; identical statements from several playbooks become one;</li>
 *   <li>the statements are packed first-fit, largest first, into policies of at most {@link ScpPolicy#MAX_CHARACTERS}
 *   characters each (measured on the minified document), at most {@code maxPolicies} of them.</li>
 * </ol>
 * Deterministic: the same statements always give the same policies, in the same order, with the same names.
 */
public final class ScpPacker {

    /** Longest Sid made by joining the Sids of merged statements; past it the Sid says how many were merged. */
    static final int MAX_JOINED_SID = 64;

    private ScpPacker() {
    }

    /**
     * @param namePrefix  policies are named {@code <namePrefix>-1}, {@code -2}, …
     * @param maxPolicies how many policies may be attached (at most {@link ScpPolicy#MAX_PER_TARGET})
     * @throws GuardrailException {@code guardrail.scp-too-large} when one statement alone exceeds the quota,
     *         {@code guardrail.too-many-policies} when they need more than {@code maxPolicies} policies
     */
    public static List<ScpPolicy> pack(List<ScpStatement> statements, String namePrefix, int maxPolicies) {
        if (maxPolicies < 1 || maxPolicies > ScpPolicy.MAX_PER_TARGET) {
            throw new IllegalArgumentException("maxPolicies must be 1.." + ScpPolicy.MAX_PER_TARGET);
        }
        List<ScpStatement> merged = merge(statements);
        List<ScpStatement> bySize = new ArrayList<>(merged);
        bySize.sort(Comparator.comparingInt((ScpStatement s) -> size(s)).reversed().thenComparing(ScpStatement::sid)
                .thenComparing(s -> s.sources().toString()));
        List<List<ScpStatement>> bins = new ArrayList<>();
        for (ScpStatement s : bySize) {
            if (size(List.of(s)) > ScpPolicy.MAX_CHARACTERS) {
                throw new GuardrailException("guardrail.scp-too-large", "statement " + s.sid() + " (from "
                        + s.sources() + ") is " + size(List.of(s)) + " characters in a policy of its own; an SCP holds at"
                        + " most " + ScpPolicy.MAX_CHARACTERS);
            }
            List<ScpStatement> home = null;
            for (List<ScpStatement> bin : bins) {
                List<ScpStatement> trial = new ArrayList<>(bin);
                trial.add(s);
                if (size(trial) <= ScpPolicy.MAX_CHARACTERS) {
                    home = bin;
                    break;
                }
            }
            if (home == null) {
                home = new ArrayList<>();
                bins.add(home);
            }
            home.add(s);
        }
        if (bins.size() > maxPolicies) {
            throw new GuardrailException("guardrail.too-many-policies", merged.size() + " statements from "
                    + statements.stream().flatMap(s -> s.sources().stream()).distinct().count() + " playbooks need "
                    + bins.size() + " policies of at most " + ScpPolicy.MAX_CHARACTERS + " characters, and "
                    + maxPolicies + " may be attached here (AWS allows " + ScpPolicy.MAX_PER_TARGET
                    + " SCPs per root, OU or account, FullAWSAccess included); attach some guardrails higher up the"
                    + " organisation instead");
        }
        List<ScpPolicy> out = new ArrayList<>();
        for (int i = 0; i < bins.size(); i++) {
            List<ScpStatement> inOrder = new ArrayList<>(bins.get(i));
            inOrder.sort(Comparator.comparing(ScpStatement::sid).thenComparing(s -> s.sources().toString()));
            out.add(new ScpPolicy(namePrefix + "-" + (i + 1), inOrder));
        }
        return out;
    }

    /** Statements that differ only in their actions (and Sid), merged; in the order of their first appearance. */
    static List<ScpStatement> merge(List<ScpStatement> statements) {
        Map<String, List<ScpStatement>> groups = new LinkedHashMap<>();
        for (ScpStatement s : statements) {
            // NotAction lists merge only when equal: the union of two NotAction lists would deny less, not more
            String key = s.notAction() ? s.mergeKey() + "|" + s.actions() : s.mergeKey();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        List<ScpStatement> out = new ArrayList<>();
        for (List<ScpStatement> group : groups.values()) {
            ScpStatement acc = group.getFirst();
            for (ScpStatement s : group.subList(1, group.size())) {
                acc = acc.mergedWith(s, acc.sid());
            }
            out.add(acc.withSid(sid(group)));
        }
        return out;
    }

    /** The Sid of merged statements: theirs when all share one, else joined, else the first and how many more. */
    static String sid(List<ScpStatement> group) {
        List<String> sids = group.stream().map(ScpStatement::sid).filter(s -> !s.isEmpty()).distinct().sorted().toList();
        if (sids.isEmpty()) {
            return "";
        }
        if (sids.size() == 1) {
            return sids.getFirst();
        }
        String joined = String.join("", sids);
        return joined.length() <= MAX_JOINED_SID ? joined : sids.getFirst() + "And" + (sids.size() - 1) + "More";
    }

    /** A statement's share of a policy: its minified JSON as a one-statement list would hold it. */
    private static int size(ScpStatement s) {
        return ScpPolicy.size(ScpPolicy.minified(Map.of("Statement", s.toJson())));
    }

    private static int size(List<ScpStatement> statements) {
        return new ScpPolicy("size", statements).size();
    }
}
