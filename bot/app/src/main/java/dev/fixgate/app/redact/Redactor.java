package dev.fixgate.app.redact;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it reaches a log line, a pull request, an issue or a check run. Findings
 * are full of them — a KICS result quotes the hard-coded key it found, a Prowler finding quotes user data —
 * and fixgate must never be the tool that republishes them. Replacements name the kind of secret
 * ({@code [REDACTED:aws-access-key-id]}) so a reader still understands the finding.
 *
 * <p>Patterns follow the formats the issuers document (AWS key ids, GitHub token prefixes, PEM blocks, JWTs) plus
 * {@code key=value} pairs whose key names a secret. Redaction is deliberately greedy: a false positive costs a
 * little readability, a false negative leaks a credential.
 */
public final class Redactor {

    private record Rule(String kind, Pattern pattern, int group) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("private-key", Pattern.compile(
                    "-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\\s\\S]*?(-----END \\1PRIVATE KEY-----|\\z)"), 0),
            new Rule("aws-access-key-id", Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\\b"), 0),
            new Rule("aws-secret-access-key", Pattern.compile(
                    "(?i)(?:aws_?secret_?access_?key|secret_?access_?key|secretkey)[\"'\\s]*[:=]\\s*[\"']?([A-Za-z0-9/+=]{40})"), 1),
            new Rule("github-token", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,251})\\b"), 0),
            new Rule("slack-token", Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), 0),
            new Rule("jwt", Pattern.compile("\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"), 0),
            new Rule("azure-account-key", Pattern.compile("(?i)AccountKey=([A-Za-z0-9/+=]{20,})"), 1),
            new Rule("url-password", Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:([^@\\s/]+)@"), 1),
            new Rule("secret", Pattern.compile(
                    "(?i)(?<![A-Za-z0-9])(?:password|passwd|pwd|secret|client_?secret|token|api_?key|apikey|access_?key|auth)"
                            + "[\"']?\\s*[:=]\\s*[\"']?([^\\s\"',;&}]{4,})"), 1));

    private Redactor() {
    }

    /** {@code text} with every secret replaced by {@code [REDACTED:<kind>]}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (Rule rule : RULES) {
            out = apply(rule, out);
        }
        return out;
    }

    private static String apply(Rule rule, String text) {
        Matcher m = rule.pattern().matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        do {
            int start = m.start(rule.group());
            int end = m.end(rule.group());
            String secret = text.substring(start, end);
            sb.append(text, last, start);
            // A value already redacted by an earlier rule stays as it is.
            sb.append(secret.startsWith("[REDACTED:") ? secret : "[REDACTED:" + rule.kind() + "]");
            last = end;
        } while (m.find());
        sb.append(text, last, text.length());
        return sb.toString();
    }
}
