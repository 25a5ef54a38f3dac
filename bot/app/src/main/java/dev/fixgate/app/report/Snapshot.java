package dev.fixgate.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.DecisionStore;
import dev.fixgate.app.store.ExceptionStore;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerificationStore;
import dev.fixgate.spi.finding.Fingerprint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the report reads, as fixgate stored it: findings and sightings, remediations and the findings each
 * fixes, gate decisions (for where a cloud resource lives in code and which repository decided it), risk
 * acceptances, verifications, and the audit entries of deliveries, merges and verifications (cited with their
 * hashes). Nothing is asked of GitHub or the clouds.
 *
 * @param covered   remediation id → the findings it fixes
 * @param locations resource key or id → where the latest gate decision found it in code
 */
public record Snapshot(List<FindingStore.StoredFinding> findings, List<FindingStore.FingerprintSighting> sightings,
                       List<RemediationStore.Remediation> remediations, Map<Long, List<Fingerprint>> covered,
                       Map<String, Location> locations, List<ExceptionStore.RiskAcceptance> exceptions,
                       List<VerificationStore.Verification> verifications, List<AuditLog.Entry> audit,
                       AuditLog.Head auditHead) {

    /** The audit event types a report cites as evidence. */
    static final Set<String> CITED = Set.of("remediation.delivered", "remediation.merged", "remediation.verified");

    /** Where a gate decision found a resource: the repository, file and block. */
    public record Location(String repo, String file, String address, long decisionId) {
    }

    public Snapshot {
        findings = List.copyOf(findings);
        sightings = List.copyOf(sightings);
        remediations = List.copyOf(remediations);
        covered = Map.copyOf(covered);
        locations = Map.copyOf(locations);
        exceptions = List.copyOf(exceptions);
        verifications = List.copyOf(verifications);
        audit = List.copyOf(audit);
    }

    /** Reads the database. */
    public static Snapshot load(Database db) {
        RemediationStore remediations = new RemediationStore(db);
        List<RemediationStore.Remediation> all = remediations.all();
        Map<Long, List<Fingerprint>> covered = new HashMap<>(remediations.coverage());
        for (RemediationStore.Remediation r : all) {
            // remediations recorded before the coverage table: their plan lists the findings
            covered.computeIfAbsent(r.id(), id -> fingerprintsOf(r.planJson()));
        }
        Map<String, Location> locations = new HashMap<>();
        for (DecisionStore.Decision d : new DecisionStore(db).all()) {
            location(d).ifPresent(l -> locations.put(d.resourceKey(), l)); // later decisions win
        }
        AuditLog audit = new AuditLog(db);
        return new Snapshot(new FindingStore(db).all(), new FindingStore(db).allSightings(), all, covered, locations,
                new ExceptionStore(db).all(), new VerificationStore(db).all(), audit.ofTypes(CITED), audit.head());
    }

    private static java.util.Optional<Location> location(DecisionStore.Decision d) {
        try {
            JsonNode r = Json.mapper().readTree(d.inputJson()).path("resource");
            String file = r.path("file").asText("");
            if (file.isEmpty()) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new Location(d.repo(), file, r.path("address").asText(""), d.id()));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    static List<Fingerprint> fingerprintsOf(String planJson) {
        try {
            List<Fingerprint> out = new ArrayList<>();
            for (JsonNode f : Json.mapper().readTree(planJson).path("findings")) {
                String fp = f.path("fingerprint").asText("");
                if (fp.matches("[0-9a-f]{64}")) {
                    out.add(new Fingerprint(fp));
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }
}
