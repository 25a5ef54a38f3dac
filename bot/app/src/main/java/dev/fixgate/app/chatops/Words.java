package dev.fixgate.app.chatops;

import dev.fixgate.app.redact.Redactor;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What commands read from people (durations, dates) and how replies quote what came from elsewhere. */
final class Words {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,4})([mhdw])");
    /** The longest snooze: a quarter. Longer is an ignore with a reason. */
    static final Duration MAX_SNOOZE = Duration.ofDays(92);

    private Words() {
    }

    /** {@code 3d}, {@code 12h}, {@code 2w}, {@code 90m}, {@code 1d12h}. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
            at = m.end();
        }
        if (t.isEmpty() || at != t.length() || total.isZero()) {
            throw new IllegalArgumentException("`" + text + "` is not a duration: write it like 3d, 12h, 2w or 1d12h");
        }
        return total;
    }

    /**
     * A date ({@code 2027-01-31}: through the end of that day, UTC) or an instant ({@code 2027-01-31T12:00:00Z}); the
     * moment a hold ends.
     */
    static Instant until(String text, Instant now) {
        String t = text.strip();
        Instant at;
        try {
            at = t.length() == 10 ? LocalDate.parse(t).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("`" + text + "` is not a date: write it like 2027-01-31 (through that day,"
                    + " UTC) or 2027-01-31T12:00:00Z");
        }
        if (!at.isAfter(now)) {
            throw new IllegalArgumentException("`" + text + "` is not in the future");
        }
        return at;
    }

    /** Untrusted text for a reply: redacted, one line, no HTML, no mentions. */
    static String clean(String s) {
        return Redactor.redact(Objects.toString(s, "")).replaceAll("[\\r\\n]+", " ").replace("<", "&lt;")
                .replace(">", "&gt;").replace("@", "@\u200b");
    }

    /** Untrusted text inside inline code. */
    static String code(String s) {
        return Redactor.redact(Objects.toString(s, "")).replaceAll("[\\r\\n`]+", " ");
    }

    static String sha(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
