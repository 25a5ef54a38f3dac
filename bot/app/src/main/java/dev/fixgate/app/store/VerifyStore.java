package dev.fixgate.app.store;

import dev.fixgate.spi.finding.Fingerprint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What verification after merge waits for and has said ({@code verify_tracks}), and the recurrences of verified
 * fixes ({@code recurrences}). Each step's outcome is in {@link VerificationStore}; this store makes the one-time
 * things happen once across retries and replicas: a conditional update claims an escalation, a drift notice or the
 * verdict, and a unique key claims a recurrence.
 */
public final class VerifyStore {

    public enum State {
        /** Merged; the steps are not all resolved yet and the deadline has not passed. */
        VERIFYING,
        /** Every applicable step resolved. */
        VERIFIED,
        /** Not verified by the deadline: escalated (it can still be verified later). */
        ESCALATED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One merged remediation under verification.
     *
     * @param deploySignal what said the change is deployed (empty until then)
     * @param summary      the last run's verdict, one line per step
     * @param driftDetail  what the cloud says although the code is fixed (empty: no drift seen)
     */
    public record Track(long remediationId, String repo, long installationId, int pullNumber, String mergeSha,
                        Instant mergedAt, Instant deadline, State state, Optional<Instant> deployedAt,
                        String deploySignal, OptionalLong checkRunId, String summary, Optional<Instant> verifiedAt,
                        Optional<Instant> escalatedAt, OptionalInt escalationIssue, Optional<Instant> driftAt,
                        String driftDetail, Instant createdAt, Instant updatedAt) {
        public Track {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(mergeSha, "mergeSha");
            Objects.requireNonNull(mergedAt, "mergedAt");
            Objects.requireNonNull(deadline, "deadline");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(deployedAt, "deployedAt");
            Objects.requireNonNull(deploySignal, "deploySignal");
            Objects.requireNonNull(checkRunId, "checkRunId");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(verifiedAt, "verifiedAt");
            Objects.requireNonNull(escalatedAt, "escalatedAt");
            Objects.requireNonNull(escalationIssue, "escalationIssue");
            Objects.requireNonNull(driftAt, "driftAt");
            Objects.requireNonNull(driftDetail, "driftDetail");
        }
    }

    public enum RecurrenceKind {
        /** A finding the verified fix covered is reported again. */
        REOPENED,
        /** Another resource of the same repository fails the control the verified fix fixed. */
        NEW_RESOURCE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param resource {@code file:address} in the repository */
    public record Recurrence(long id, long remediationId, Fingerprint fingerprint, RecurrenceKind kind, String repo,
                             String control, String playbookId, String resource, String detail, Instant detectedAt) {
        public Recurrence {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(playbookId, "playbookId");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(detectedAt, "detectedAt");
        }
    }

    private final Database db;

    public VerifyStore(Database db) {
        this.db = db;
    }

    /**
     * Starts tracking a merged remediation (nothing changes when it is tracked already: a redelivered merge keeps the
     * first deadline); returns the stored track.
     */
    public Track start(long remediationId, String repo, long installationId, int pullNumber, String mergeSha,
                       Instant mergedAt, Instant deadline, Instant now) {
        db.withConnection(c -> {
            try {
                Sql.update(c, """
                        INSERT INTO verify_tracks (remediation_id, repo, installation_id, pull_number, merge_sha, merged_at,
                            deadline_at, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        remediationId, repo, installationId, pullNumber, mergeSha, mergedAt, deadline, State.VERIFYING,
                        now, now);
            } catch (SQLException e) {
                if (!Sql.isUniqueViolation(e)) {
                    throw e;
                }
            }
            return null;
        });
        return find(remediationId).orElseThrow();
    }

    public Optional<Track> find(long remediationId) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT * FROM verify_tracks WHERE remediation_id = ?",
                VerifyStore::track, remediationId));
    }

    /** Every track of {@code repo}, oldest merge first. */
    public List<Track> inRepo(String repo) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM verify_tracks WHERE repo = ? ORDER BY merged_at,"
                + " remediation_id", VerifyStore::track, repo));
    }

    /** Every track, oldest merge first. */
    public List<Track> all() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM verify_tracks ORDER BY merged_at, remediation_id",
                VerifyStore::track));
    }

    /** Tracks not verified yet (verifying or escalated) in {@code repo}: what a deploy signal may concern. */
    public List<Track> unverifiedIn(String repo) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM verify_tracks WHERE repo = ? AND state <> ?"
                + " ORDER BY merged_at, remediation_id", VerifyStore::track, repo, State.VERIFIED));
    }

    /** Records the deploy signal; false when one was recorded already (the first deployment after the merge counts). */
    public boolean deployed(long remediationId, Instant at, String signal, Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE verify_tracks SET deployed_at = ?, deploy_signal = ?, updated_at = ?
                WHERE remediation_id = ? AND deployed_at IS NULL""", at, clip(signal, 512), now, remediationId)) == 1;
    }

    public void checkRun(long remediationId, long checkRunId, Instant now) {
        db.withConnection(c -> Sql.update(c, "UPDATE verify_tracks SET check_run_id = ?, updated_at = ? WHERE remediation_id = ?",
                checkRunId, now, remediationId));
    }

    public void summary(long remediationId, String summary, Instant now) {
        db.withConnection(c -> Sql.update(c, "UPDATE verify_tracks SET summary = ?, updated_at = ? WHERE remediation_id = ?",
                clip(summary, 4000), now, remediationId));
    }

    /** Claims the verdict: true for the one caller that marks the track verified. */
    public boolean verified(long remediationId, Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE verify_tracks SET state = ?, verified_at = ?, updated_at = ? WHERE remediation_id = ? AND state <> ?""",
                State.VERIFIED, now, now, remediationId, State.VERIFIED)) == 1;
    }

    /** Claims the escalation: true for the one caller that marks the track escalated (never after it is verified). */
    public boolean escalated(long remediationId, OptionalInt issue, Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE verify_tracks SET state = ?, escalated_at = ?, escalation_issue = ?, updated_at = ?
                WHERE remediation_id = ? AND escalated_at IS NULL AND state = ?""", State.ESCALATED, now,
                issue.isPresent() ? (Object) issue.getAsInt() : Sql.nullOf(java.sql.Types.INTEGER), now, remediationId,
                State.VERIFYING)) == 1;
    }

    /** Claims the drift notice: true for the one caller that records it. */
    public boolean drift(long remediationId, String detail, Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE verify_tracks SET drift_at = ?, drift_detail = ?, updated_at = ?
                WHERE remediation_id = ? AND drift_at IS NULL""", now, clip(detail, 2000), now, remediationId)) == 1;
    }

    /** Records a recurrence; false when this fix and finding recurred before (it was escalated then). */
    public boolean recur(long remediationId, Fingerprint fingerprint, RecurrenceKind kind, String repo, String control,
                         String playbookId, String resource, String detail, Instant now) {
        return db.withConnection(c -> {
            try {
                Sql.insert(c, """
                        INSERT INTO recurrences (remediation_id, fingerprint, kind, repo, control_id, playbook_id, resource,
                            detail, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", "id", remediationId,
                        fingerprint.value(), kind.id(), repo, clip(control, 300), clip(playbookId, 128),
                        clip(resource, 2048), clip(detail, 2000), now);
                return true;
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** The recurrences in {@code repo}, oldest first. */
    public List<Recurrence> recurrences(String repo) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM recurrences WHERE repo = ? ORDER BY detected_at, id",
                VerifyStore::recurrence, repo));
    }

    /** Every recurrence, oldest first. */
    public List<Recurrence> recurrences() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM recurrences ORDER BY detected_at, id",
                VerifyStore::recurrence));
    }

    private static Track track(ResultSet rs) throws SQLException {
        long run = rs.getLong("check_run_id");
        OptionalLong checkRun = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(run);
        int issue = rs.getInt("escalation_issue");
        OptionalInt escalationIssue = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(issue);
        return new Track(rs.getLong("remediation_id"), rs.getString("repo"), rs.getLong("installation_id"),
                rs.getInt("pull_number"), rs.getString("merge_sha"), Sql.instant(rs, "merged_at"),
                Sql.instant(rs, "deadline_at"), State.valueOf(rs.getString("state")),
                Sql.optionalInstant(rs, "deployed_at"), rs.getString("deploy_signal"), checkRun, rs.getString("summary"),
                Sql.optionalInstant(rs, "verified_at"), Sql.optionalInstant(rs, "escalated_at"), escalationIssue,
                Sql.optionalInstant(rs, "drift_at"), rs.getString("drift_detail"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"));
    }

    private static Recurrence recurrence(ResultSet rs) throws SQLException {
        return new Recurrence(rs.getLong("id"), rs.getLong("remediation_id"), new Fingerprint(rs.getString("fingerprint")),
                RecurrenceKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("repo"),
                rs.getString("control_id"), rs.getString("playbook_id"), rs.getString("resource"), rs.getString("detail"),
                Sql.instant(rs, "detected_at"));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
