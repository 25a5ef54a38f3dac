package dev.fixgate.app.store;

import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.evidence.Provenance;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Evidence read through the collectors, with its provenance and an expiry ({@code evidence_observations}), and the
 * RCI history of remediations ({@code rci_history}). Values are kept as JSON text; the enrich stage turns them back
 * into typed values.
 */
public final class EvidenceStore {

    /**
     * One stored answer.
     *
     * @param valueJson   the value as JSON; empty when unavailable
     * @param unavailable why there is no value; empty when observed
     */
    public record Stored(String resourceKey, String kind, Optional<String> valueJson, String unavailable,
                         Provenance provenance, Instant expiresAt) {
        public Stored {
            Objects.requireNonNull(resourceKey, "resourceKey");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(valueJson, "valueJson");
            Objects.requireNonNull(unavailable, "unavailable");
            Objects.requireNonNull(provenance, "provenance");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** One line of a remediation's RCI history. */
    public record RciEntry(long remediationId, RciLevel level, double confidence, String blast, String evidence,
                           Instant at) {
        public RciEntry {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(blast, "blast");
            Objects.requireNonNull(evidence, "evidence");
            Objects.requireNonNull(at, "at");
        }
    }

    private final Database db;

    public EvidenceStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    public void put(List<Stored> answers) {
        if (answers.isEmpty()) {
            return;
        }
        db.inTransaction(c -> {
            Sql.batch(c, """
                    INSERT INTO evidence_observations (resource_key, kind, value_json, unavailable, api, account, role,
                        region, observed_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", answers.stream().map(a -> new Object[] {
                    cap(a.resourceKey(), 1024), a.kind(),
                    a.valueJson().<Object>map(v -> v).orElse(Sql.nullOf(java.sql.Types.VARCHAR)), a.unavailable(),
                    cap(a.provenance().api(), 512), cap(a.provenance().account(), 128), cap(a.provenance().role(), 512),
                    cap(a.provenance().region(), 64), a.provenance().observedAt(), a.expiresAt()}).toList());
            return null;
        });
    }

    /** Per kind, the newest answer about {@code resourceKey} that has not expired at {@code now}. */
    public List<Stored> fresh(String resourceKey, Instant now) {
        return db.withConnection(c -> Sql.query(c, """
                SELECT resource_key, kind, value_json, unavailable, api, account, role, region, observed_at, expires_at
                FROM evidence_observations WHERE resource_key = ? AND expires_at > ? ORDER BY observed_at DESC, id DESC""",
                rs -> new Stored(rs.getString("resource_key"), rs.getString("kind"),
                        Optional.ofNullable(rs.getString("value_json")), rs.getString("unavailable"),
                        new Provenance(rs.getString("api"), rs.getString("account"), rs.getString("role"),
                                rs.getString("region"), Sql.instant(rs, "observed_at")),
                        Sql.instant(rs, "expires_at")), cap(resourceKey, 1024), now))
                .stream().collect(java.util.stream.Collectors.toMap(Stored::kind, s -> s, (a, b) -> a,
                        java.util.LinkedHashMap::new)).values().stream().toList();
    }

    /** Deletes answers that expired before {@code before}; returns how many. */
    public int purge(Instant before) {
        return db.withConnection(c -> Sql.update(c, "DELETE FROM evidence_observations WHERE expires_at < ?", before));
    }

    public void record(RciEntry entry) {
        db.withConnection(c -> Sql.insert(c, """
                INSERT INTO rci_history (remediation_id, level, confidence, blast, evidence, assessed_at)
                VALUES (?, ?, ?, ?, ?, ?)""", "id", entry.remediationId(), entry.level(), entry.confidence(),
                entry.blast(), entry.evidence(), entry.at()));
    }

    /** The remediation's RCI history, oldest first. */
    public List<RciEntry> history(long remediationId) {
        return db.withConnection(c -> Sql.query(c, """
                SELECT remediation_id, level, confidence, blast, evidence, assessed_at FROM rci_history
                WHERE remediation_id = ? ORDER BY assessed_at, id""",
                rs -> new RciEntry(rs.getLong("remediation_id"), RciLevel.valueOf(rs.getString("level")),
                        rs.getDouble("confidence"), rs.getString("blast"), rs.getString("evidence"),
                        Sql.instant(rs, "assessed_at")), remediationId));
    }

    private static String cap(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
