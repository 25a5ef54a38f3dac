package dev.fixgate.app.redact;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** One secret per rule of the shipped set, generated from the rule's own pattern. */
public final class SecretSamples {

    private SecretSamples() {
    }

    /**
     * A text the rule finds a secret in (with its entropy and allowlists applied), and that secret; empty when no
     * such text came out of {@code tries} attempts.
     */
    static Optional<Map.Entry<String, String>> sample(SecretRules.Rule rule, Random random, int tries) {
        SecretRules rules = SecretRules.standard();
        for (int i = 0; i < tries; i++) {
            RegexSamples.Sample s = RegexSamples.sample(rule.regex().pattern(), random);
            String text = s.text();
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            if (!rule.keywords().isEmpty() && rule.keywords().stream().noneMatch(lower::contains)) {
                // gitleaks runs a rule only on text holding one of its keywords: give the text one
                text = rule.keywords().get(random.nextInt(rule.keywords().size())) + " " + text;
            }
            if (text.isBlank() || text.contains("\n") || text.contains("\r")) {
                continue;
            }
            Optional<int[]> hit = rules.find(rule, text, rule.regex().matcher(text), 0);
            if (hit.isPresent() && hit.get()[1] - hit.get()[0] >= 6) {
                return Optional.of(Map.entry(text, text.substring(hit.get()[0], hit.get()[1])));
            }
        }
        return Optional.empty();
    }

    /** Rule id → (text, secret) for every rule a sample could be made for. */
    public static Map<String, Map.Entry<String, String>> everyRule(long seed) {
        Random random = new Random(seed);
        Map<String, Map.Entry<String, String>> out = new LinkedHashMap<>();
        for (SecretRules.Rule rule : SecretRules.standard().rules()) {
            sample(rule, random, 300).ifPresent(s -> out.put(rule.id(), s));
        }
        return out;
    }

    /** The ids of every rule of the shipped set. */
    public static java.util.List<String> ruleIds() {
        return SecretRules.standard().rules().stream().map(SecretRules.Rule::id).toList();
    }
}
