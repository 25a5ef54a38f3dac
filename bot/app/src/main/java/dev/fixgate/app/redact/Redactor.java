package dev.fixgate.app.redact;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.ResourceRef;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/**
 * Removes secrets from text before it reaches a log line, the store, a pull request, an issue or a check run.
 * Findings are full of them — a KICS result quotes the hard-coded key it found, a Prowler finding quotes user
 * data — and fixgate must never be the tool that republishes them. The rules are data: gitleaks' default rule set
 * plus fixgate's few additions ({@link SecretRules}). A secret is replaced by {@code [REDACTED:<rule id>]}, so a
 * reader still understands the finding ({@code [REDACTED:aws-access-key-id]}).
 *
 * <p>Redaction is deliberately greedy: a false positive costs a little readability, a false negative leaks a
 * credential.
 */
public final class Redactor {

    private static final String MARK = "[REDACTED:";

    /**
     * What a text must have for a rule to possibly match it — derived from the rule's regular expression by hand —
     * so that the rule need not run on text that has not: redaction runs on every log line and every field of every
     * ingested record, and most of them hold no secret at all.
     */
    private static final Map<String, Predicate<String>> REQUIRED = Map.of(
            // (?:db_passw(?:or)?d|database_passw(?:or)?d|pwd) in front of the value
            "database-password", lower -> lower.contains("pwd") || lower.contains("passw"),
            // an assignment of one of these forms between the key name and the value: =, >, :=, ||, :, =>, ?=, ","
            "generic-api-key", Redactor::hasAssignment,
            // a run of at least 40 base64 characters
            "aws-secret-access-key", lower -> hasRun(lower, 40));

    private static boolean hasAssignment(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '=' || c == '>' || c == ':' || c == '|' || c == ',') {
                return true;
            }
        }
        return false;
    }

    private static boolean hasRun(String text, int length) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean base64 = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '+';
            run = base64 ? run + 1 : 0;
            if (run >= length) {
                return true;
            }
        }
        return false;
    }

    private Redactor() {
    }

    /**
     * {@code text} with every secret replaced by {@code [REDACTED:<rule id>]}. Every rule looks at the text as it
     * was given (as gitleaks does), so one rule's redaction never hides another's context; the secrets found are
     * then replaced together, overlapping ones as one.
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        SecretRules rules = SecretRules.standard();
        String lower = text.toLowerCase(Locale.ROOT);
        BitSet candidates = rules.candidates(lower);
        List<Span> found = new ArrayList<>();
        for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
            SecretRules.Rule rule = rules.rules().get(i);
            Predicate<String> required = REQUIRED.get(rule.id());
            if (required != null && !required.test(lower)) {
                continue;
            }
            find(rules, rule, text, found);
        }
        return found.isEmpty() ? text : replace(text, found);
    }

    private record Span(int start, int end, String rule) {
    }

    private static final int MAX_PASSES = 8;

    /**
     * Every secret {@code rule} finds. Found secrets are masked and the rule runs again (a few times at most): a
     * pattern with a greedy '.*' matches from the first occurrence of its prefix to the last, so one pass finds only
     * the last of a repeated secret.
     */
    private static void find(SecretRules rules, SecretRules.Rule rule, String text, List<Span> found) {
        String view = text;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            List<Span> fresh = new ArrayList<>();
            Matcher m = rule.regex().matcher(view);
            int from = 0;
            Optional<int[]> hit;
            while (from <= view.length() && (hit = rules.find(rule, view, m, from)).isPresent()) {
                int start = hit.get()[0];
                int end = hit.get()[1];
                if (!insideMark(text, start, end)) {
                    fresh.add(new Span(start, end, rule.id()));
                }
                from = m.end() > m.start() ? m.end() : m.start() + 1;
            }
            if (fresh.isEmpty()) {
                return;
            }
            found.addAll(fresh);
            char[] masked = view.toCharArray();
            for (Span s : fresh) {
                java.util.Arrays.fill(masked, s.start(), s.end(), '\u0000');
            }
            view = new String(masked);
        }
    }

    /** Whether the span lies within a {@code [REDACTED:…]} already in the text (a value redacted before stays). */
    private static boolean insideMark(String text, int start, int end) {
        int mark = text.lastIndexOf(MARK, start);
        if (mark < 0) {
            return false;
        }
        int close = text.indexOf(']', mark);
        return close >= end - 1 && mark <= start;
    }

    /** The text with the spans (merged where they overlap or touch) replaced by the first finder's mark. */
    private static String replace(String text, List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(java.util.Comparator.comparingInt(Span::start).thenComparingInt(s -> -s.end()));
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        int i = 0;
        while (i < sorted.size()) {
            Span first = sorted.get(i);
            int end = first.end();
            int j = i + 1;
            while (j < sorted.size() && sorted.get(j).start() <= end) {
                end = Math.max(end, sorted.get(j).end());
                j++;
            }
            out.append(text, last, first.start()).append(MARK).append(first.rule()).append(']');
            last = end;
            i = j;
        }
        return out.append(text, last, text.length()).toString();
    }

    /**
     * A finding with every text a tool wrote redacted — its id, title, source control id and severity, the
     * resource's names and the pointer back into the source — so what is stored, and everything made from it (pull
     * requests, issues, decisions, logs), never holds a secret a tool quoted. Redaction is deterministic, so the
     * same record gets the same fingerprint on every ingest.
     */
    public static Finding redactFinding(Finding f) {
        String sourceId = redact(f.sourceId());
        String title = redact(f.title());
        String sourceControlId = redact(f.sourceControlId());
        String sourceSeverity = redact(f.sourceSeverity());
        ResourceRef resource = redact(f.resource());
        SourceLocation raw = f.raw();
        SourceLocation rawRedacted = new SourceLocation(redact(raw.source()), raw.line(), raw.column(), redact(raw.pointer()));
        if (sourceId.equals(f.sourceId()) && title.equals(f.title()) && sourceControlId.equals(f.sourceControlId())
                && sourceSeverity.equals(f.sourceSeverity()) && resource.equals(f.resource()) && rawRedacted.equals(raw)) {
            return f;
        }
        return new Finding(f.sourceTool(), sourceId, f.control(), sourceControlId, f.severity(), sourceSeverity,
                resource, title, f.active(), f.firstSeen(), f.lastSeen(), rawRedacted);
    }

    private static ResourceRef redact(ResourceRef r) {
        return switch (r) {
            case CloudResource c -> {
                CloudResource out = new CloudResource(c.cloud(), redact(c.account()), redact(c.region()), redact(c.type()),
                        redact(c.id()));
                yield out.equals(c) ? c : out;
            }
            case CodeResource c -> {
                CodeResource out = new CodeResource(redact(c.repo()), redact(c.path()), redact(c.address()),
                        redact(c.type()), c.line());
                yield out.equals(c) ? c : out;
            }
        };
    }
}
