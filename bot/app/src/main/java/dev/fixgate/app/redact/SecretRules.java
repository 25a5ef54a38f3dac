package dev.fixgate.app.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A secret-detection rule set in gitleaks' format, read as data: gitleaks' default rules ({@code redact/gitleaks.toml},
 * vendored unmodified with its MIT licence) followed by the few fixgate adds ({@code redact/fixgate-rules.toml}, each
 * with the reason it exists). A rule is a regular expression, optionally the group that is the secret, a minimum
 * Shannon entropy of the secret, keywords (a rule runs only on text that contains one of them, case-insensitively)
 * and allowlists (regexes over the secret, the whole match or its line, and stopwords).
 *
 * <p>What gitleaks does and this does not: path-based rules and allowlists (fixgate redacts text, not files, so a
 * rule limited to {@code .tf} files applies to every text, and an allowlist that needs a path never applies — both
 * err on the side of redacting). Go's regular expressions are translated where Java's differ (named groups
 * {@code (?P<n>…)}); every rule must compile, which a test checks.
 */
public final class SecretRules {

    /** Where an allowlist's regexes look. */
    enum Target { SECRET, MATCH, LINE }

    record Allowlist(Target target, List<Pattern> regexes, List<String> stopwords) {
        boolean allows(String secret, String match, String line) {
            String on = switch (target) {
                case SECRET -> secret;
                case MATCH -> match;
                case LINE -> line;
            };
            for (Pattern p : regexes) {
                if (p.matcher(on).find()) {
                    return true;
                }
            }
            String lower = secret.toLowerCase(Locale.ROOT);
            for (String stop : stopwords) {
                if (lower.contains(stop)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * One rule.
     *
     * @param secretGroup the group holding the secret; 0 = gitleaks' default: the first group that matched, else the
     *                    whole match
     * @param entropy     the least Shannon entropy (bits per character) the secret must have; 0 = any
     * @param keywords    lower case; empty = the rule runs on every text
     * @param wholeMatch  redact the whole match, not only the secret (a fixgate adjustment, see fixgate-rules.toml)
     */
    record Rule(String id, String source, Pattern regex, int secretGroup, double entropy, List<String> keywords,
                List<Allowlist> allowlists, boolean wholeMatch) {
        Rule {
            Objects.requireNonNull(id, "id");
            keywords = List.copyOf(keywords);
            allowlists = List.copyOf(allowlists);
        }
    }

    private final List<Rule> rules;
    private final Allowlist global;
    private final Keywords keywords;
    private final BitSet keywordless = new BitSet();

    private SecretRules(List<Rule> rules, Allowlist global) {
        this.rules = List.copyOf(rules);
        this.global = global;
        List<String> words = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < this.rules.size(); i++) {
            if (this.rules.get(i).keywords().isEmpty()) {
                keywordless.set(i);
            }
            for (String k : this.rules.get(i).keywords()) {
                words.add(k);
                owners.add(i);
            }
        }
        this.keywords = new Keywords(words, owners);
    }

    /** gitleaks' default rules and fixgate's additions, as shipped. */
    public static SecretRules standard() {
        return Standard.RULES;
    }

    /** Loaded on first use (the log converters call the redactor early; the class is ready by then). */
    private static final class Standard {
        static final SecretRules RULES = load();
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The rules worth running on {@code text}: those without keywords and those one of whose keywords it contains. */
    BitSet candidates(String lowerText) {
        BitSet out = (BitSet) keywordless.clone();
        keywords.scan(lowerText, out);
        return out;
    }

    /**
     * Where {@code rule} finds a secret in {@code text} from {@code from} on: the secret's start and end, after the
     * entropy and allowlists have had their say; empty when it finds none.
     */
    Optional<int[]> find(Rule rule, String text, Matcher m, int from) {
        int at = from;
        while (at <= text.length() && m.find(at)) {
            int group = rule.wholeMatch() ? 0 : secretGroup(rule, m);
            int start = m.start(group);
            int end = m.end(group);
            String secret = text.substring(start, end);
            if (!secret.isEmpty() && entropy(secret) >= rule.entropy() && !allowed(rule, secret, text, m)) {
                return Optional.of(new int[] {start, end});
            }
            at = m.end() > m.start() ? m.end() : m.start() + 1;
        }
        return Optional.empty();
    }

    private boolean allowed(Rule rule, String secret, String text, Matcher m) {
        if (global.allows(secret, m.group(), line(text, m.start()))) {
            return true;
        }
        for (Allowlist a : rule.allowlists()) {
            if (a.allows(secret, m.group(), line(text, m.start()))) {
                return true;
            }
        }
        return false;
    }

    private static String line(String text, int at) {
        int start = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        int end = text.indexOf('\n', at);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static int secretGroup(Rule rule, Matcher m) {
        if (rule.secretGroup() > 0 && rule.secretGroup() <= m.groupCount() && m.start(rule.secretGroup()) >= 0) {
            return rule.secretGroup();
        }
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.start(g) >= 0 && m.end(g) > m.start(g)) {
                return g;
            }
        }
        return 0;
    }

    /** Shannon entropy in bits per character, as gitleaks computes it. */
    static double entropy(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int[] counts = new int[128];
        java.util.Map<Character, Integer> other = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                if (other == null) {
                    other = new java.util.HashMap<>();
                }
                other.merge(c, 1, Integer::sum);
            }
        }
        double h = 0;
        double n = s.length();
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        if (other != null) {
            for (int c : other.values()) {
                double p = c / n;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        return h;
    }

    // --- loading ------------------------------------------------------------------------------------------------

    static SecretRules load() {
        List<Rule> rules = new ArrayList<>();
        JsonNode gitleaks = read("gitleaks.toml");
        JsonNode fixgate = read("fixgate-rules.toml");
        // fixgate's additions first: they close gaps in front of the rules whose gaps they close (a private key cut
        // off before its END line, a key id glued to an underscore), so the longer secret is taken whole.
        rules(fixgate, "fixgate-rules.toml", rules);
        rules(gitleaks, "gitleaks.toml", rules);
        for (JsonNode a : fixgate.path("adjustments")) {
            String id = a.path("id").asText();
            int i = indexOf(rules, id);
            Rule r = rules.get(i);
            rules.set(i, new Rule(r.id(), r.source(), r.regex(), a.path("secretGroup").asInt(r.secretGroup()),
                    r.entropy(), r.keywords(), r.allowlists(), "match".equals(a.path("redact").asText())));
        }
        return new SecretRules(rules, allowlist(gitleaks.path("allowlist"), "gitleaks.toml global allowlist"));
    }

    private static int indexOf(List<Rule> rules, String id) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException("fixgate-rules.toml adjusts rule '" + id + "', which the set does not have");
    }

    private static JsonNode read(String name) {
        try (InputStream in = SecretRules.class.getResourceAsStream("/redact/" + name)) {
            if (in == null) {
                throw new IllegalStateException("redact/" + name + " is missing from the class path");
            }
            return new TomlMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read redact/" + name, e);
        }
    }

    private static void rules(JsonNode root, String source, List<Rule> out) {
        for (JsonNode r : root.path("rules")) {
            String id = r.path("id").asText();
            if (!r.hasNonNull("regex")) {
                continue; // a rule about file names only (pkcs12-file): nothing to find in text
            }
            List<String> keywords = new ArrayList<>();
            r.path("keywords").forEach(k -> keywords.add(k.asText().toLowerCase(Locale.ROOT)));
            List<Allowlist> allowlists = new ArrayList<>();
            for (JsonNode a : r.path("allowlists")) {
                if (!"AND".equalsIgnoreCase(a.path("condition").asText("OR")) || !a.has("paths")) {
                    allowlists.add(allowlist(a, source + " " + id));
                }
            }
            out.add(new Rule(id, source, compile(r.path("regex").asText(), source + " " + id),
                    r.path("secretGroup").asInt(0), r.path("entropy").asDouble(0), keywords, allowlists, false));
        }
    }

    private static Allowlist allowlist(JsonNode a, String where) {
        Target target = switch (a.path("regexTarget").asText("secret")) {
            case "match" -> Target.MATCH;
            case "line" -> Target.LINE;
            default -> Target.SECRET;
        };
        List<Pattern> regexes = new ArrayList<>();
        a.path("regexes").forEach(p -> regexes.add(compile(p.asText(), where)));
        List<String> stopwords = new ArrayList<>();
        a.path("stopwords").forEach(s -> stopwords.add(s.asText().toLowerCase(Locale.ROOT)));
        return new Allowlist(target, regexes, stopwords);
    }

    /** A Go (RE2) regular expression, compiled as Java's ({@link #translate}). */
    static Pattern compile(String goRegex, String where) {
        String java = translate(goRegex);
        try {
            return Pattern.compile(java);
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException(where + ": the rule's regular expression does not compile: "
                    + e.getDescription(), e);
        }
    }

    /**
     * Where Go's syntax and Java's differ, Go's meaning in Java's syntax: named groups {@code (?P<n>…)} become plain
     * groups (Java forbids '_' in names; the numbering stays the same); a brace that does not start a repetition is a
     * literal in Go and an error in Java, so it is escaped; inside a character class, '[' and '&' are literals in Go
     * but a nested class and an intersection in Java, and a ']' right after the opening bracket is a literal in Go.
     */
    static String translate(String goRegex) {
        String go = withoutLeftPadding(goRegex);
        StringBuilder out = new StringBuilder(go.length() + 16);
        boolean inClass = false;
        int classStart = -1;
        for (int i = 0; i < go.length(); i++) {
            char c = go.charAt(i);
            if (c == '\\' && i + 1 < go.length()) {
                out.append(c).append(go.charAt(++i));
                continue;
            }
            if (inClass) {
                if (c == ']' && i > classStart) {
                    inClass = false;
                    out.append(c);
                } else if (c == '[' || c == '&' || c == ']') {
                    out.append('\\').append(c);
                } else {
                    out.append(c);
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append(c);
                classStart = i + 1;
                if (classStart < go.length() && go.charAt(classStart) == '^') {
                    out.append('^');
                    i++;
                    classStart++;
                }
            } else if (c == '(' && go.startsWith("(?P<", i)) {
                int close = go.indexOf('>', i);
                out.append('(');
                i = close;
            } else if (c == '{') {
                Matcher repetition = REPETITION.matcher(go).region(i, go.length());
                if (repetition.lookingAt()) {
                    out.append(repetition.group());
                    i = repetition.end() - 1;
                } else {
                    out.append("\\{");
                }
            } else if (c == '}') {
                out.append("\\}");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static final Pattern REPETITION = Pattern.compile("\\{\\d+(,\\d*)?}");

    private static final String PAD = "[\\w.-]{0,50}?";

    /**
     * gitleaks' template rules start with a lazy {@code [\w.-]{0,50}?} (once or twice) in front of the key name. It
     * only widens a match to the left — it never decides whether or where a secret is found — but it makes the
     * engine try fifty starts at every position of the text: the generic-api-key rule alone cost 70 µs per finding.
     * It is left out; what changes is only how far left a whole match reaches (which the few match-target
     * allowlists then see less of, so they allow less: redaction can only become greedier).
     */
    static String withoutLeftPadding(String go) {
        if (go.startsWith("(?i)" + PAD)) {
            return "(?i)" + go.substring(4 + PAD.length());
        }
        if (go.startsWith(PAD + "(?i:" + PAD)) {
            return "(?i:" + go.substring(PAD.length() * 2 + 4);
        }
        return go;
    }

    /** Aho-Corasick over the rules' keywords: one pass over a text finds every rule one of whose keywords it holds. */
    private static final class Keywords {
        private final List<int[]> next = new ArrayList<>();   // per state: 128 transitions (ASCII; others restart)
        private final List<int[]> fail = new ArrayList<>();
        private final List<BitSet> out = new ArrayList<>();

        Keywords(List<String> words, List<Integer> owners) {
            state();
            for (int w = 0; w < words.size(); w++) {
                int s = 0;
                for (char c : words.get(w).toCharArray()) {
                    int ch = c & 0x7F;
                    if (next.get(s)[ch] == 0) {
                        next.get(s)[ch] = state();
                    }
                    s = next.get(s)[ch];
                }
                out.get(s).set(owners.get(w));
            }
            java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
            for (int c = 0; c < 128; c++) {
                int s = next.get(0)[c];
                if (s != 0) {
                    fail.get(s)[0] = 0;
                    queue.add(s);
                }
            }
            while (!queue.isEmpty()) {
                int r = queue.poll();
                for (int c = 0; c < 128; c++) {
                    int s = next.get(r)[c];
                    if (s == 0) {
                        continue;
                    }
                    queue.add(s);
                    int f = fail.get(r)[0];
                    while (f != 0 && next.get(f)[c] == 0) {
                        f = fail.get(f)[0];
                    }
                    int to = next.get(f)[c];
                    fail.get(s)[0] = to == s ? 0 : to;
                    out.get(s).or(out.get(fail.get(s)[0]));
                }
            }
        }

        private int state() {
            next.add(new int[128]);
            fail.add(new int[1]);
            out.add(new BitSet());
            return next.size() - 1;
        }

        void scan(String lower, BitSet into) {
            int s = 0;
            for (int i = 0; i < lower.length(); i++) {
                char c = lower.charAt(i);
                if (c >= 128) {
                    s = 0;
                    continue;
                }
                while (s != 0 && next.get(s)[c] == 0) {
                    s = fail.get(s)[0];
                }
                s = next.get(s)[c];
                if (!out.get(s).isEmpty()) {
                    into.or(out.get(s));
                }
            }
        }
    }
}
