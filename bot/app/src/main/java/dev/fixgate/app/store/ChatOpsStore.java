package dev.fixgate.app.store;

import dev.fixgate.spi.finding.InitiativeId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What people told fixgate through slash commands, check-run buttons and the dashboard: the commands run (once
 * each), approvals granted by command, holds (snoozed or ignored initiatives and resources, rejected plans),
 * permissions to rebuild a branch a human pushed to, the notes of the last remediation run, and each repository's
 * dashboard issue.
 */
public final class ChatOpsStore {

    public enum Outcome { DONE, REFUSED, FAILED }

    public enum HoldKind { SNOOZE, IGNORE, REJECT }

    /** One approval given with {@code /fixgate approve} (or the check run's Approve button) on one commit. */
    public record Grant(long id, String repo, int number, String grantor, String commitSha, Instant grantedAt,
                        Instant expiresAt) {
    }

    /**
     * A hold: nothing is proposed for {@code target} of the initiative ({@code ''} the whole initiative, a resource
     * {@code file:address}, or for REJECT a plan's hash) while it is in force.
     */
    public record Hold(long id, String repo, InitiativeId initiative, HoldKind kind, String target, String reason,
                       String createdBy, Instant createdAt, Optional<Instant> until, Optional<Instant> liftedAt) {
        public Hold {
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(liftedAt, "liftedAt");
        }

        public boolean inForce(Instant now) {
            return liftedAt.isEmpty() && until.map(now::isBefore).orElse(true);
        }
    }

    public enum NoteKind { BLOCKED, PROBLEM }

    public record Note(String repo, InitiativeId initiative, NoteKind kind, String text, Instant createdAt) {
    }

    public record Dashboard(String repo, long installationId, int issueNumber, Instant updatedAt) {
    }

    private final Database db;

    public ChatOpsStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    // ---- commands

    /**
     * Claims the command identified by {@code sourceKey} (a comment id and its body's hash, a check-run action, a
     * dashboard edit): true when this is its first run, false when it has been run (or is running) already.
     */
    public boolean claim(String repo, int number, String sourceKey, String sender, String command, String headSha,
                         Instant now) {
        return db.withConnection(c -> {
            try {
                Sql.insert(c, """
                        INSERT INTO chatops_commands (repo, number, source_key, sender, command, head_sha, outcome, message,
                            created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", "id",
                        repo, number, sourceKey, sender, command, headSha, Outcome.FAILED, "started", now);
                return true;
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Records how the claimed command ended. */
    public void finish(String sourceKey, Outcome outcome, String message) {
        db.withConnection(c -> Sql.update(c, "UPDATE chatops_commands SET outcome = ?, message = ? WHERE source_key = ?",
                outcome, message, sourceKey));
    }

    /** Releases a claim whose run failed before it did anything, so a retry may run it. */
    public void release(String sourceKey) {
        db.withConnection(c -> Sql.update(c, "DELETE FROM chatops_commands WHERE source_key = ?", sourceKey));
    }

    // ---- approvals

    public long grant(String repo, int number, String grantor, String commitSha, Instant grantedAt, Instant expiresAt) {
        return db.withConnection(c -> Sql.insert(c, """
                INSERT INTO approval_grants (repo, number, grantor, commit_sha, granted_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)""", "id", repo, number, grantor, commitSha, grantedAt, expiresAt));
    }

    public List<Grant> grants(String repo, int number) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM approval_grants WHERE repo = ? AND number = ? ORDER BY id",
                rs -> new Grant(rs.getLong("id"), rs.getString("repo"), rs.getInt("number"), rs.getString("grantor"),
                        rs.getString("commit_sha"), Sql.instant(rs, "granted_at"), Sql.instant(rs, "expires_at")),
                repo, number));
    }

    // ---- holds

    public long hold(String repo, InitiativeId initiative, HoldKind kind, String target, String reason, String by,
                     Instant now, Optional<Instant> until) {
        return db.withConnection(c -> Sql.insert(c, """
                INSERT INTO remediation_holds (repo, initiative_id, kind, target, reason, created_by, created_at, until_at,
                    lifted_at, lifted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", "id",
                repo, initiative.value(), kind, target, reason, by, now,
                until.<Object>map(u -> u).orElse(Sql.nullOf(Types.TIMESTAMP_WITH_TIMEZONE)),
                Sql.nullOf(Types.TIMESTAMP_WITH_TIMEZONE), Sql.nullOf(Types.VARCHAR)));
    }

    /** Lifts a hold; false when there is no such hold in {@code repo} or it was lifted already. */
    public boolean lift(String repo, long id, String by, Instant now) {
        return db.withConnection(c -> Sql.update(c, """
                UPDATE remediation_holds SET lifted_at = ?, lifted_by = ? WHERE id = ? AND repo = ? AND lifted_at IS NULL""",
                now, by, id, repo)) == 1;
    }

    /** The holds of {@code repo} in force at {@code now}, oldest first. */
    public List<Hold> holdsInForce(String repo, Instant now) {
        return db.withConnection(c -> Sql.query(c, """
                SELECT * FROM remediation_holds WHERE repo = ? AND lifted_at IS NULL AND (until_at IS NULL OR until_at > ?)
                ORDER BY id""", ChatOpsStore::hold, repo, now));
    }

    /** Every hold of {@code repo}'s initiative, in force or not, oldest first. */
    public List<Hold> holds(String repo, InitiativeId initiative) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM remediation_holds WHERE repo = ? AND initiative_id = ? "
                + "ORDER BY id", ChatOpsStore::hold, repo, initiative.value()));
    }

    private static Hold hold(ResultSet rs) throws SQLException {
        return new Hold(rs.getLong("id"), rs.getString("repo"), new InitiativeId(rs.getString("initiative_id")),
                HoldKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("target"),
                rs.getString("reason"), rs.getString("created_by"), Sql.instant(rs, "created_at"),
                Sql.optionalInstant(rs, "until_at"), Sql.optionalInstant(rs, "lifted_at"));
    }

    // ---- branch overrides

    /** Allows fixgate to move {@code branch} over the human commit {@code humanSha} (recreate). */
    public void allowOverwrite(String repo, String branch, String humanSha, String by, Instant now) {
        db.withConnection(c -> {
            try {
                Sql.insert(c, """
                        INSERT INTO branch_overrides (repo, branch, human_sha, created_by, created_at) VALUES (?, ?, ?, ?, ?)""",
                        "id", repo, branch, humanSha, by, now);
            } catch (SQLException e) {
                if (!Sql.isUniqueViolation(e)) {
                    throw e;
                }
            }
            return null;
        });
    }

    /** Whether someone allowed fixgate to move {@code branch} over exactly {@code humanSha}. */
    public boolean mayOverwrite(String repo, String branch, String humanSha) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT id FROM branch_overrides WHERE repo = ? AND branch = ? "
                + "AND human_sha = ?", rs -> rs.getLong(1), repo, branch, humanSha)).isPresent();
    }

    // ---- notes

    /** Replaces the notes of the initiative's last run in {@code repo}. */
    public void replaceNotes(String repo, InitiativeId initiative, List<Note> notes) {
        db.inTransaction(c -> {
            Sql.update(c, "DELETE FROM remediation_notes WHERE repo = ? AND initiative_id = ?", repo, initiative.value());
            for (Note n : notes) {
                Sql.insert(c, "INSERT INTO remediation_notes (repo, initiative_id, kind, text, created_at) VALUES (?, ?, ?, ?, ?)",
                        "id", repo, initiative.value(), n.kind(), n.text(), n.createdAt());
            }
            return null;
        });
    }

    public List<Note> notes(String repo) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM remediation_notes WHERE repo = ? ORDER BY id",
                rs -> new Note(rs.getString("repo"), new InitiativeId(rs.getString("initiative_id")),
                        NoteKind.valueOf(rs.getString("kind")), rs.getString("text"), Sql.instant(rs, "created_at")), repo));
    }

    // ---- dashboards

    public Optional<Dashboard> dashboard(String repo) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT * FROM dashboards WHERE repo = ?",
                rs -> new Dashboard(rs.getString("repo"), rs.getLong("installation_id"), rs.getInt("issue_number"),
                        Sql.instant(rs, "updated_at")), repo));
    }

    public void saveDashboard(String repo, long installationId, int issueNumber, Instant now) {
        db.inTransaction(c -> {
            int n = Sql.update(c, "UPDATE dashboards SET installation_id = ?, issue_number = ?, updated_at = ? WHERE repo = ?",
                    installationId, issueNumber, now, repo);
            if (n == 0) {
                Sql.update(c, "INSERT INTO dashboards (repo, installation_id, issue_number, updated_at) VALUES (?, ?, ?, ?)",
                        repo, installationId, issueNumber, now);
            }
            return null;
        });
    }
}
