package dev.fixgate.app.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks after merge that a remediation's findings are gone, one row per outcome a check reached: the verify stage's
 * steps (methods {@code code:detect}, {@code cloud:<kind>}, {@code source:<tool>}), each recorded when its outcome
 * changes, and the stage's verdict (method {@value #VERDICT}): resolved when every applicable step resolved,
 * still_failing when the deadline passed without. A remediation can be checked more than once; the first
 * {@link Outcome#RESOLVED} verdict is when it was verified. Rows of another method (an import, a rescan recorded
 * before the stage existed) are verdicts too.
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

    /** The method of the verify stage's verdict over its steps. */
    public static final String VERDICT = "verify";

    /** Whether {@code method} names one step of the verify stage (its outcome alone does not verify a fix). */
    public static boolean isStep(String method) {
        return method.startsWith("code:") || method.startsWith("cloud:") || method.startsWith("source:");
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

    /** The checks of one remediation, oldest first. */
    public List<Verification> of(long remediationId) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM remediation_verifications WHERE remediation_id = ?"
                + " ORDER BY verified_at, id", VerificationStore::row, remediationId));
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
