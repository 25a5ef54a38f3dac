package dev.fixgate.app.ingest;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.FindingParseException;
import dev.fixgate.spi.finding.FindingParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The finding parsers on the class path (discovered with {@link ServiceLoader}), by format id, and format
 * auto-detection: every parser scores the first bytes of an input and the highest score wins.
 */
public final class ParserRegistry {

    private final Map<String, FindingParser> byFormat;

    public ParserRegistry(List<FindingParser> parsers) {
        Map<String, FindingParser> map = new TreeMap<>();
        for (FindingParser p : parsers) {
            FindingParser previous = map.put(p.format(), p);
            if (previous != null) {
                throw new IllegalStateException("two parsers claim format '" + p.format() + "': "
                        + previous.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        this.byFormat = Map.copyOf(map);
    }

    public static ParserRegistry discover() {
        List<FindingParser> parsers = new ArrayList<>();
        ServiceLoader.load(FindingParser.class).forEach(parsers::add);
        return new ParserRegistry(parsers);
    }

    /** Format ids, sorted. */
    public List<String> formats() {
        return byFormat.keySet().stream().sorted().toList();
    }

    public Optional<FindingParser> byFormat(String format) {
        return Optional.ofNullable(byFormat.get(format));
    }

    /** The parser for a forced {@code --format}, or a usage error listing the formats there are. */
    public FindingParser require(String format) {
        return byFormat(format).orElseThrow(() -> new FindingParseException("ingest.unknown-format",
                "unknown format '" + format + "'; known formats: " + String.join(", ", formats()), SourceLocation.of("--format")));
    }

    /**
     * The parser that scores {@code head} highest.
     *
     * @throws FindingParseException {@code ingest.unknown-format} when no parser claims it, or when two claim it
     *                               with the same score (the user must say which with {@code --format})
     */
    public FindingParser detect(byte[] head, String sourceName) {
        record Score(FindingParser parser, int score) {
        }
        List<Score> scores = byFormat.values().stream()
                .map(p -> new Score(p, Math.max(0, p.sniff(head, sourceName))))
                .filter(s -> s.score() > 0)
                .sorted(Comparator.comparingInt(Score::score).reversed())
                .toList();
        if (scores.isEmpty()) {
            throw new FindingParseException("ingest.unknown-format", "cannot tell which tool wrote this input;"
                    + " give --format (one of: " + String.join(", ", formats()) + ")", SourceLocation.of(sourceName));
        }
        if (scores.size() > 1 && scores.get(0).score() == scores.get(1).score()) {
            String tied = scores.stream().filter(s -> s.score() == scores.get(0).score())
                    .map(s -> s.parser().format()).collect(Collectors.joining(", "));
            throw new FindingParseException("ingest.ambiguous-format", "this input could be any of: " + tied
                    + "; give --format", SourceLocation.of(sourceName));
        }
        return scores.get(0).parser();
    }
}
