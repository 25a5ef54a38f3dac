package dev.fixgate.app.group;

import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.Severity;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deduplicates and groups one run's findings in memory: each fingerprint counts once, and each distinct
 * finding joins the initiative of its control and scope. Memory grows with distinct fingerprints (16 bytes
 * each) and initiatives, never with records.
 */
public final class Grouper {

    /** One initiative as this run saw it. */
    public record Tally(InitiativeId id, ControlId control, String scope, Severity severity, int findings) {
    }

    /** Control and {@link Scopes#key scope key}: compared per finding, so no scope string is built for it. */
    private record Key(ControlId control, Object scope) {
    }

    private static final class Counter {
        final InitiativeId id;
        final String scope;
        Severity severity;
        int findings;

        Counter(InitiativeId id, String scope, Severity severity) {
            this.id = id;
            this.scope = scope;
            this.severity = severity;
        }
    }

    private final FingerprintSet seen = new FingerprintSet();
    private final Map<Key, Counter> initiatives = new HashMap<>();

    /** Where a finding went. */
    public sealed interface Placement {
        /** First seen in this run, active: it belongs to this initiative. */
        record Grouped(InitiativeId initiative) implements Placement {
        }

        /** This run has seen its fingerprint before (another tool, another record). */
        record Duplicate() implements Placement {
        }

        /** The source reports it gone (passed, archived, resolved): it updates the store but is no one's work. */
        record Inactive() implements Placement {
        }
    }

    private static final Placement DUPLICATE = new Placement.Duplicate();
    private static final Placement INACTIVE = new Placement.Inactive();

    /**
     * Accepts one finding whose fingerprint the caller has computed. A finding belongs to the initiative where it
     * was first seen; a duplicate only raises that initiative's severity if it is more severe.
     */
    public Placement accept(Finding finding, Fingerprint fingerprint) {
        boolean duplicate = !seen.add(fingerprint);
        if (!finding.active()) {
            return duplicate ? DUPLICATE : INACTIVE;
        }
        Key key = new Key(finding.control(), Scopes.key(finding.resource()));
        Counter c = initiatives.computeIfAbsent(key, k -> {
            String scope = Scopes.of(finding.resource());
            return new Counter(InitiativeId.of(k.control(), scope), scope, finding.severity());
        });
        c.severity = c.severity.max(finding.severity());
        if (duplicate) {
            return DUPLICATE;
        }
        c.findings++;
        return new Placement.Grouped(c.id);
    }

    public int distinctFindings() {
        return seen.size();
    }

    /** The initiatives: most severe first, then largest, then by control and scope. */
    public List<Tally> tallies() {
        return initiatives.entrySet().stream()
                .filter(e -> e.getValue().findings > 0)
                .map(e -> new Tally(e.getValue().id, e.getKey().control(), e.getValue().scope, e.getValue().severity,
                        e.getValue().findings))
                .sorted(Comparator.comparing(Tally::severity)
                        .thenComparing(Comparator.comparingInt(Tally::findings).reversed())
                        .thenComparing(t -> t.control().value())
                        .thenComparing(Tally::scope))
                .toList();
    }
}
