package dev.fixgate.app.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks after merge that a remediation's findings are gone: the verify stage writes here (it is not built yet,
 * so today this table stays empty and the evidence report says verification is not recorded). A remediation can
 * be checked more than once; the first {@link Outcome#RESOLVED} is when it was verified.
 */
public final class VerificationStore {

    public enum Outcome {
        RESOLVED, STILL_FAILING, INCONCLUSIVE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param method how it was checked, e.g. {@code rescan:securityhub}, {@code api:aws} */
    public record Verification(long id, long remediationId, Instant verifiedAt, Outcome outcome, String method,
                               String detail) {
        public Verification {
            Objects.requireNonNull(verifiedAt, "verifiedAt");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(detail, "detail");
        }
    }

    private final Database db;

    public VerificationStore(Database db) {
        this.db = db;
    }

    public long record(long remediationId, Instant at, Outcome outcome, String method, String detail) {
        return db.withConnection(c -> Sql.insert(c, """
                INSERT INTO remediation_verifications (remediation_id, verified_at, outcome, method, detail)
                VALUES (?, ?, ?, ?, ?)""", "id", remediationId, at, outcome.id(), clip(method, 128), clip(detail, 2000)));
    }

    /** Every verification, oldest first. */
    public List<Verification> all() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM remediation_verifications ORDER BY verified_at, id",
                VerificationStore::row));
    }

    private static Verification row(ResultSet rs) throws SQLException {
        return new Verification(rs.getLong("id"), rs.getLong("remediation_id"), Sql.instant(rs, "verified_at"),
                Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)), rs.getString("method"),
                rs.getString("detail"));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
