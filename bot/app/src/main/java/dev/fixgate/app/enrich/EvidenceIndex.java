package dev.fixgate.app.enrich;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Observations by resource. A resource is known by several names (an S3 bucket by its ARN and its name, a
 * resource block by its address); {@link #latest} looks under all of them and keeps, per kind, the newest
 * observation. Not final: a live index backed by the providers (or a test's failing one) may extend it.
 */
public class EvidenceIndex {

    private final Map<String, List<Observation>> byResource = new LinkedHashMap<>();

    public EvidenceIndex(List<Observation> observations) {
        for (Observation o : observations) {
            byResource.computeIfAbsent(o.resource(), k -> new ArrayList<>()).add(o);
        }
    }

    public static EvidenceIndex empty() {
        return new EvidenceIndex(List.of());
    }

    /** The names a resource id is also known by: an S3 ARN and its bucket name, in either direction. */
    public static Set<String> aliases(String id) {
        Set<String> names = new LinkedHashSet<>();
        if (id.isBlank()) {
            return names;
        }
        names.add(id);
        if (id.startsWith("arn:aws:s3:::")) {
            names.add(id.substring("arn:aws:s3:::".length()));
        } else if (!id.startsWith("arn:") && id.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            names.add("arn:aws:s3:::" + id);
        }
        return names;
    }

    /** Per kind, the newest observation about any of {@code names} (with their aliases). */
    public Map<String, Observation> latest(Set<String> names) {
        Set<String> all = new LinkedHashSet<>();
        names.forEach(n -> all.addAll(aliases(n)));
        Map<String, Observation> out = new LinkedHashMap<>();
        all.stream().map(byResource::get).filter(l -> l != null).flatMap(List::stream)
                .sorted(Comparator.comparing(Observation::observedAt))
                .forEach(o -> out.put(o.kind(), o));
        return out;
    }

    public Optional<Observation> latest(Set<String> names, String kind) {
        return Optional.ofNullable(latest(names).get(kind));
    }
}
