package dev.fixgate.provider.common.stream;

import java.time.Instant;
import java.util.Optional;

/**
 * When a record was first and last seen. A missing end takes the other end; a record with neither takes the
 * observation time of the input. A last-seen before first-seen is a problem of the record.
 */
public record Span(Instant first, Instant last) {

    /** Code for a timestamp that cannot be read or that contradicts another. */
    public static final String BAD_TIMESTAMP = "ingest.timestamp";

    /**
     * Reads the span from the first non-blank text of {@code firstCandidates} and of {@code lastCandidates} (in
     * order of preference); records a problem at {@code pointer} when a text is not a timestamp.
     */
    public static Optional<Span> read(String[] firstCandidates, String[] lastCandidates, Instant observedAt,
                                      Problems problems, String pointer) {
        Instant first = pick(firstCandidates, problems, pointer);
        Instant last = pick(lastCandidates, problems, pointer);
        if (problems.any()) {
            return Optional.empty();
        }
        if (first == null && last == null) {
            return Optional.of(new Span(observedAt, observedAt));
        }
        if (first == null) {
            first = last;
        }
        if (last == null) {
            last = first;
        }
        if (last.isBefore(first)) {
            problems.add(BAD_TIMESTAMP, pointer, "last seen " + last + " is before first seen " + first);
            return Optional.empty();
        }
        return Optional.of(new Span(first, last));
    }

    private static Instant pick(String[] candidates, Problems problems, String pointer) {
        for (String text : candidates) {
            if (text != null && !text.isBlank()) {
                var parsed = Timestamps.parse(text);
                if (parsed.isEmpty()) {
                    problems.add(BAD_TIMESTAMP, pointer, "not a timestamp: '" + abbreviate(text) + "'");
                    return null;
                }
                return parsed.get();
            }
        }
        return null;
    }

    static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
