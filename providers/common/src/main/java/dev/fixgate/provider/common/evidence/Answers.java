package dev.fixgate.provider.common.evidence;

import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.Provenance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A collector's answers for one request: one entry per kind it was asked and answers, observed or unavailable.
 * A value of the wrong type for its kind is a bug in the collector, so it fails loudly here rather than reaching
 * the assessment.
 */
public final class Answers {

    private final Set<String> wanted;
    private final Map<String, Observed> answers = new LinkedHashMap<>();

    public Answers(EvidenceRequest request, Set<String> answered) {
        this.wanted = request.kinds().stream().filter(answered::contains).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public boolean wants(String kind) {
        return wanted.contains(kind) && !answers.containsKey(kind);
    }

    public boolean wantsAny(String... kinds) {
        for (String k : kinds) {
            if (wants(k)) {
                return true;
            }
        }
        return false;
    }

    public void observed(String kind, Object value, Provenance provenance) {
        if (!wanted.contains(kind)) {
            return;
        }
        EvidenceKinds.problem(kind, value).ifPresent(p -> {
            throw new IllegalStateException(kind + ": " + p + ", got " + value);
        });
        answers.put(kind, Observed.of(kind, value, provenance));
    }

    public void unavailable(String kind, String reason, Provenance provenance) {
        if (wanted.contains(kind)) {
            answers.put(kind, Observed.unavailable(kind, reason, provenance));
        }
    }

    /** Every kind still unanswered becomes unavailable for {@code reason}. */
    public void rest(String reason, Provenance provenance) {
        for (String kind : wanted) {
            answers.putIfAbsent(kind, Observed.unavailable(kind, reason, provenance));
        }
    }

    public List<Observed> list() {
        return new ArrayList<>(answers.values());
    }
}
