package dev.fixgate.provider.common.stream;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * The timestamp spellings finding tools use: ISO-8601 with {@code Z} or an offset (ASFF, Wiz, SARIF), without a
 * zone ({@code 2025-01-27T17:36:46.855898}, Prowler OCSF {@code *_dt}), with a space instead of {@code T}
 * (Prowler CSV), and epoch numbers (OCSF {@code time}). A time without a zone is taken as UTC: every tool here
 * that omits the zone writes UTC.
 */
public final class Timestamps {

    /** Epoch values above this are milliseconds (OCSF), below it seconds (what Prowler writes in them). */
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT); // refuse 30 February and 24:00 instead of rolling them over

    private static final DateTimeFormatter ZONED = new DateTimeFormatterBuilder()
            .append(LOCAL)
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    private Timestamps() {
    }

    /** Parses {@code text}; empty when it is blank or not a timestamp. */
    public static Optional<Instant> parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        // The common form first: two timestamps per finding, millions of findings.
        Instant fast = utcFast(s);
        if (fast != null) {
            return Optional.of(fast);
        }
        if (allDigits(s)) {
            return epoch(s);
        }
        try {
            if (s.endsWith("Z") || s.endsWith("z") || hasOffset(s)) {
                return Optional.of(OffsetDateTime.parse(s.toUpperCase(Locale.ROOT), ZONED).toInstant());
            }
            return Optional.of(LocalDateTime.parse(s, LOCAL).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} without a formatter: it is how ASFF, Wiz and most tools write every
     * timestamp, two per finding, and the general formatter costs more than the rest of reading a finding.
     * Returns null for anything else (the formatter then decides).
     */
    private static Instant utcFast(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int nano = 0;
        int i = 19;
        if (i < n - 1) {
            if (s.charAt(i) != '.') {
                return null;
            }
            int count = 0;
            for (i++; i < n - 1; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                if (count < 9) {
                    nano = nano * 10 + (c - '0');
                    count++;
                }
            }
            if (count == 0) {
                return null;
            }
            for (; count < 9; count++) {
                nano *= 10;
            }
        }
        try {
            long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nano);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static Optional<Instant> epoch(String digits) {
        if (digits.length() > 15) {
            return Optional.empty();
        }
        long value = Long.parseLong(digits);
        return Optional.of(value > MILLIS_THRESHOLD ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value));
    }

    private static boolean hasOffset(String s) {
        // A zone offset follows the time part: "+02:00", "-0500". A date's own dashes come before the 'T'.
        int t = Math.max(s.indexOf('T'), s.indexOf(' '));
        if (t < 0) {
            return false;
        }
        String time = s.substring(t + 1).strip();
        return time.indexOf('+') > 0 || time.indexOf('-') > 0;
    }
}
