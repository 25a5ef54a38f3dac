package dev.fixgate.policy;

import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.assess.RciReason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything a gate decides on, for one resource of one initiative. The same document is the CEL variable
 * {@code input}, the {@code input} of an OPA query and the context given to the reasoning model, so a decision
 * can be replayed anywhere from the stored JSON. Its shape ({@link #toMap()}) is documented in
 * {@code policies/README.md}; keys are snake_case.
 *
 * @param now         the instant the decision is for (the CLI's {@code --at})
 * @param resource    the resource the fix changes
 * @param finding     the finding being fixed
 * @param playbook    the playbook that fixes it
 * @param actions     action types the fix performs (encryption, network, iam, delete, replace, …)
 * @param environment production | staging | development | test | unknown
 * @param rci         the assessment
 * @param blastRadius what else the change reaches
 * @param calendar    change windows, blackouts and high-traffic events, evaluated at {@code now}
 * @param incidents   active incidents on the resource or its account
 * @param patch       whether the fix could be written without guessing
 * @param diff        the unified diff (empty when there is none)
 * @param evidence    every observation about the resource, by kind
 * @param config      the repository's gate settings
 */
public record DecisionInput(Instant now, Resource resource, FindingInfo finding, PlaybookInfo playbook,
                            List<String> actions, String environment, Rci rci, Blast blastRadius, Calendar calendar,
                            Incidents incidents, Patch patch, String diff, List<EvidenceItem> evidence,
                            Settings config) {

    public DecisionInput {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(finding, "finding");
        Objects.requireNonNull(playbook, "playbook");
        actions = List.copyOf(actions);
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(rci, "rci");
        Objects.requireNonNull(blastRadius, "blastRadius");
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(incidents, "incidents");
        Objects.requireNonNull(patch, "patch");
        Objects.requireNonNull(diff, "diff");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(config, "config");
    }

    /**
     * @param id         ARN, cloud id or IaC address: how findings and evidence name it
     * @param tags       the resource's tags (from evidence or the IaC block)
     * @param excludedBy the configured exclusion patterns that match this resource, its file or its control
     */
    public record Resource(String id, String type, String address, String file, Map<String, String> tags,
                           List<String> excludedBy) {
        public Resource {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(file, "file");
            tags = Map.copyOf(tags);
            excludedBy = List.copyOf(excludedBy);
        }
    }

    public record FindingInfo(String control, String severity, String title, String source) {
        public FindingInfo {
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(source, "source");
        }
    }

    public record PlaybookInfo(String id, boolean safeForProduction) {
        public PlaybookInfo {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * @param resources  resources the change reaches, the changed one included (at least 1)
     * @param instances  deployed instances it reaches ({@code count}, {@code for_each}, attached interfaces)
     * @param references a reviewer-readable list of what references the resource
     * @param complete   false when something could not be counted (a {@code for_each} over a variable, a local
     *                   value that references the resource): the numbers are then a lower bound
     */
    public record Blast(int resources, int instances, List<String> references, boolean complete) {
        public Blast {
            references = List.copyOf(references);
            if (resources < 1 || instances < 1) {
                throw new IllegalArgumentException("a change reaches at least its own resource and one instance");
            }
        }
    }

    /**
     * @param changeWindows   whether the repository configures change windows at all
     * @param inChangeWindow  whether {@code now} is inside one (true when none is configured)
     * @param blackout        the name of the blackout period {@code now} falls in, or empty
     * @param highTraffic     names of high-traffic events {@code now} falls in
     */
    public record Calendar(boolean changeWindows, boolean inChangeWindow, String blackout, List<String> highTraffic) {
        public Calendar {
            Objects.requireNonNull(blackout, "blackout");
            highTraffic = List.copyOf(highTraffic);
        }

        public static Calendar open() {
            return new Calendar(false, true, "", List.of());
        }
    }

    public record Incidents(boolean resource, boolean account) {
        public static Incidents none() {
            return new Incidents(false, false);
        }
    }

    /** @param status changed | already_compliant | cannot_patch (what the plan stage did); {@code code} says why it could not */
    public record Patch(String status, String code) {
        public Patch {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(code, "code");
        }

        public static Patch changed() {
            return new Patch("changed", "");
        }
    }

    /** @param value int, double, string, boolean, list or map, as observed */
    public record EvidenceItem(String kind, Object value, Instant observedAt) {
        public EvidenceItem {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(observedAt, "observedAt");
        }
    }

    /**
     * The repository configuration that policies read.
     *
     * @param mode                       detect | assist | supervised | autonomous
     * @param maxResources               blast-radius limit on resources for autonomous action
     * @param maxInstances               blast-radius limit on instances for autonomous action
     * @param exclusionTags              tag keys or {@code key=value} pairs that exclude a resource
     * @param productionRequiresApproval production changes need approval unless the playbook is safe for production
     */
    public record Settings(String mode, int maxResources, int maxInstances, List<String> exclusionTags,
                           boolean productionRequiresApproval) {
        public Settings {
            Objects.requireNonNull(mode, "mode");
            exclusionTags = List.copyOf(exclusionTags);
        }

        public static Settings defaults() {
            return new Settings("assist", 10, 25, List.of(), true);
        }
    }

    /** The documented decision-input document (CEL types: integers are longs). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", now.toString());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", resource.id());
        r.put("type", resource.type());
        r.put("address", resource.address());
        r.put("file", resource.file());
        r.put("tags", new TreeMap<>(resource.tags()));
        r.put("tag_pairs", resource.tags().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList());
        r.put("excluded_by", resource.excludedBy());
        m.put("resource", r);
        m.put("finding", Map.of("control", finding.control(), "severity", finding.severity(), "title", finding.title(),
                "source", finding.source()));
        m.put("playbook", Map.of("id", playbook.id(), "safe_for_production", playbook.safeForProduction()));
        m.put("actions", actions);
        m.put("environment", environment);
        m.put("rci", Map.of("level", rci.level().name(), "confidence", rci.confidence(),
                "reasons", rci.reasons().stream().map(RciReason::message).toList()));
        m.put("blast_radius", Map.of("resources", blastRadius.resources(), "instances", blastRadius.instances(),
                "references", blastRadius.references(), "complete", blastRadius.complete()));
        m.put("calendar", Map.of("change_windows", calendar.changeWindows(), "in_change_window", calendar.inChangeWindow(),
                "in_blackout", !calendar.blackout().isEmpty(), "blackout", calendar.blackout(),
                "high_traffic", calendar.highTraffic()));
        m.put("incidents", Map.of("resource", incidents.resource(), "account", incidents.account()));
        m.put("patch", Map.of("status", patch.status(), "code", patch.code()));
        m.put("diff", diff);
        m.put("evidence", evidence.stream().map(e -> Map.of("kind", e.kind(), "value", e.value(),
                "observed_at", e.observedAt().toString())).toList());
        m.put("config", Map.of("mode", config.mode(),
                "blast_radius", Map.of("max_resources", config.maxResources(), "max_instances", config.maxInstances()),
                "exclusions", Map.of("tags", config.exclusionTags()),
                "production", Map.of("require_approval", config.productionRequiresApproval())));
        @SuppressWarnings("unchecked")
        Map<String, Object> cel = (Map<String, Object>) CelValues.of(m);
        return cel;
    }
}
