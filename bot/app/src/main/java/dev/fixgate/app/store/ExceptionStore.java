package dev.fixgate.app.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Risk acceptances: a finding deliberately left unfixed, with who accepted it, why and until when. Written by the
 * gate for repositories in detect mode and for configured exclusions; ChatOps {@code ignore} will write kind
 * {@link Kind#IGNORE} with the commenter and an expiry. Rows are never updated: a new acceptance is a new row.
 */
public final class ExceptionStore {

    /** Why nothing is being fixed. */
    public enum Kind {
        /** The repository's configuration says {@code mode: detect}: findings are reported, never fixed. */
        DETECT_MODE,
        /** The resource, its file, its control or a tag is excluded by configuration. */
        EXCLUSION,
        /** Someone with the right to decide said {@code /fixgate ignore} (with a reason, optionally until a date). */
        IGNORE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * @param acceptedBy a GitHub login, or the configuration that decided it ({@code owner/repo .github/fixgate.yml})
     * @param expiresAt  empty: no expiry was set
     * @param decisionId the {@code gate_decisions} row it came from, empty for ChatOps
     */
    public record RiskAcceptance(long id, Kind kind, String fingerprint, String initiativeId, String resourceKey, String controlId,
                                 String repo, String acceptedBy, String reason, Optional<Instant> expiresAt,
                                 Optional<Long> decisionId, Instant createdAt) {
        public RiskAcceptance {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(initiativeId, "initiativeId");
            Objects.requireNonNull(resourceKey, "resourceKey");
            Objects.requireNonNull(controlId, "controlId");
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(acceptedBy, "acceptedBy");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(decisionId, "decisionId");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        /** Whether it still holds at {@code at}: created by then and not expired. */
        public boolean activeAt(Instant at) {
            return !createdAt.isAfter(at) && expiresAt.map(at::isBefore).orElse(true);
        }
    }

    private final Database db;

    public ExceptionStore(Database db) {
        this.db = db;
    }

    /** Stores {@code a} (its id is ignored) and returns the new id. */
    public long record(RiskAcceptance a) {
        return db.withConnection(c -> Sql.insert(c, """
                INSERT INTO remediation_exceptions (kind, fingerprint, initiative_id, resource_key, control_id, repo,
                    accepted_by, reason, expires_at, decision_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", "id",
                a.kind().id(), a.fingerprint(), clip(a.initiativeId(), 40), clip(a.resourceKey(), 2048), clip(a.controlId(), 300),
                clip(a.repo(), 256), clip(a.acceptedBy(), 256), clip(a.reason(), 2000),
                a.expiresAt().<Object>map(t -> t).orElse(Sql.nullOf(Types.TIMESTAMP_WITH_TIMEZONE)),
                a.decisionId().<Object>map(d -> d).orElse(Sql.nullOf(Types.BIGINT)), a.createdAt()));
    }

    /** Every acceptance, oldest first. */
    public List<RiskAcceptance> all() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM remediation_exceptions ORDER BY id",
                ExceptionStore::row));
    }

    private static RiskAcceptance row(ResultSet rs) throws SQLException {
        long decision = rs.getLong("decision_id");
        Optional<Long> decisionId = rs.wasNull() ? Optional.empty() : Optional.of(decision);
        return new RiskAcceptance(rs.getLong("id"), Kind.of(rs.getString("kind")), rs.getString("fingerprint"),
                rs.getString("initiative_id"),
                rs.getString("resource_key"), rs.getString("control_id"), rs.getString("repo"),
                rs.getString("accepted_by"), rs.getString("reason"), Sql.optionalInstant(rs, "expires_at"), decisionId,
                Sql.instant(rs, "created_at"));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
