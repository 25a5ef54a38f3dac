package dev.fixgate.app.store;

import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.InitiativeId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Remediation attempts: one per plan delivered for an initiative, tracked through merge and verification. */
public final class RemediationStore {

    public enum Status {
        PLANNED, GATED, DELIVERED, MERGED, VERIFIED, FAILED, ABANDONED;

        /** Not finished: planned, gated or delivered, not yet merged. */
        public boolean open() {
            return this == PLANNED || this == GATED || this == DELIVERED;
        }
    }

    /**
     * @param planJson the {@link dev.fixgate.spi.plan.RemediationPlan} as JSON, as it was when delivered
     */
    public record Remediation(long id, InitiativeId initiative, Status status, String playbookId, RciLevel rciLevel,
                              double rciConfidence, String repo, String branch, OptionalInt pullNumber,
                              OptionalInt issueNumber, Optional<String> mergedSha, String planJson,
                              Instant createdAt, Instant updatedAt, Optional<Instant> deliveredAt,
                              Optional<Instant> mergedAt) {
        public Remediation {
            Objects.requireNonNull(initiative, "initiative");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(playbookId, "playbookId");
            Objects.requireNonNull(rciLevel, "rciLevel");
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(pullNumber, "pullNumber");
            Objects.requireNonNull(issueNumber, "issueNumber");
            Objects.requireNonNull(mergedSha, "mergedSha");
            Objects.requireNonNull(planJson, "planJson");
            Objects.requireNonNull(deliveredAt, "deliveredAt");
            Objects.requireNonNull(mergedAt, "mergedAt");
        }
    }

    private final Database db;

    public RemediationStore(Database db) {
        this.db = db;
    }

    /** The statuses of a remediation still in progress: at most one per initiative, repository and branch. */
    static final List<Status> OPEN = List.of(Status.PLANNED, Status.GATED, Status.DELIVERED);

    /**
     * Records a new remediation.
     *
     * @throws dev.fixgate.spi.error.FixgateException {@code store.rejected} when one is open already for the same
     *         initiative, repository and branch (the database's unique key; see {@link #createOrReplan})
     */
    public long create(InitiativeId initiative, String playbookId, RciLevel level, double confidence, String repo,
                       String branch, String planJson, Instant now) {
        return db.withConnection(c -> Sql.insert(c, INSERT, "id", values(initiative, playbookId, level, confidence,
                repo, branch, planJson, now)));
    }

    /** Records that remediation {@code id} fixes these findings (additive: a replan may add some, never drops any). */
    public void covers(long id, Collection<Fingerprint> findings) {
        db.inTransaction(c -> {
            Set<String> known = new HashSet<>(Sql.query(c,
                    "SELECT fingerprint FROM remediation_findings WHERE remediation_id = ?", rs -> rs.getString(1), id));
            List<Object[]> rows = new ArrayList<>();
            for (Fingerprint f : findings) {
                if (known.add(f.value())) {
                    rows.add(new Object[] {id, f.value()});
                }
            }
            Sql.batch(c, "INSERT INTO remediation_findings (remediation_id, fingerprint) VALUES (?, ?)", rows);
            return rows.size();
        });
    }

    /** Remediation id → the findings recorded by {@link #covers} (remediations recorded before have none). */
    public java.util.Map<Long, List<Fingerprint>> coverage() {
        java.util.Map<Long, List<Fingerprint>> out = new java.util.HashMap<>();
        db.withConnection(c -> Sql.query(c, "SELECT remediation_id, fingerprint FROM remediation_findings ORDER BY 1, 2",
                rs -> out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Fingerprint(rs.getString(2)))));
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    private static final String INSERT = """
            INSERT INTO remediations (initiative_id, status, playbook_id, rci_level, rci_confidence, repo, branch,
                pull_number, issue_number, merged_sha, plan, created_at, updated_at, open_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static Object[] values(InitiativeId initiative, String playbookId, RciLevel level, double confidence,
                                   String repo, String branch, String planJson, Instant now) {
        return new Object[] {initiative.value(), Status.PLANNED, playbookId, level, confidence, repo, branch,
                Sql.nullOf(Types.INTEGER), Sql.nullOf(Types.INTEGER), Sql.nullOf(Types.CHAR), planJson, now, now,
                openKey(initiative.value(), repo, branch)};
    }

    static String openKey(String initiative, String repo, String branch) {
        return initiative + "|" + repo + "|" + branch;
    }

    /**
     * The open remediation of this initiative on {@code repo} and {@code branch} with this plan: a new one when none
     * is open, else the open one re-planned. Race-free across processes: the insert yields to the unique key of open
     * remediations, and whoever lost re-plans the winner's row.
     *
     * @return the remediation's id
     */
    public long createOrReplan(InitiativeId initiative, String playbookId, RciLevel level, double confidence, String repo,
                               String branch, String planJson, Instant now) {
        return db.withConnection(c -> {
            Optional<Long> created = Sql.insertIfAbsent(c, INSERT + " ON CONFLICT DO NOTHING", "id",
                    values(initiative, playbookId, level, confidence, repo, branch, planJson, now));
            if (created.isPresent()) {
                return created.get();
            }
            String key = openKey(initiative.value(), repo, branch);
            Sql.update(c, "UPDATE remediations SET rci_level = ?, rci_confidence = ?, plan = ?, updated_at = ? WHERE open_key = ?",
                    level, confidence, planJson, now, key);
            return Sql.queryOne(c, "SELECT id FROM remediations WHERE open_key = ?", rs -> rs.getLong(1), key)
                    .orElseThrow(() -> new java.sql.SQLException("the open remediation " + key + " closed meanwhile"));
        });
    }

    /** Sets the status; a closing status (anything not {@link #OPEN}) frees the initiative × repository × branch. */
    public void setStatus(long id, Status status, Instant now) {
        if (OPEN.contains(status)) {
            update(id, "status = ?", now, status);
        } else {
            update(id, "status = ?, open_key = NULL", now, status);
        }
    }

    /** Delivered as a pull request; {@code delivered_at} keeps the first delivery's instant. */
    /** Delivered as {@code pullNumber}; a remediation already merged or verified keeps that status (a job run again). */
    public void delivered(long id, int pullNumber, Instant now) {
        update(id, "status = CASE WHEN status IN (?, ?) THEN status ELSE ? END, pull_number = ?,"
                + " delivered_at = COALESCE(delivered_at, ?)", now, Status.MERGED, Status.VERIFIED, Status.DELIVERED,
                pullNumber, now);
    }

    public void deliveredAsIssue(long id, int issueNumber, Instant now) {
        update(id, "status = ?, issue_number = ?, delivered_at = COALESCE(delivered_at, ?)", now, Status.DELIVERED,
                issueNumber, now);
    }

    /** A new plan for a remediation not yet merged: the evidence or the patch changed. */
    public void replan(long id, RciLevel level, double confidence, String planJson, Instant now) {
        update(id, "rci_level = ?, rci_confidence = ?, plan = ?", now, level, confidence, planJson);
    }

    /** Marks whichever remediation is delivered on {@code branch} of {@code repo}; false when none is. */
    public boolean deliveredOn(String repo, String branch, OptionalInt pullNumber, OptionalInt issueNumber, Instant now) {
        Optional<Remediation> r = db.withConnection(c -> Sql.queryOne(c,
                "SELECT * FROM remediations WHERE repo = ? AND branch = ? ORDER BY id DESC", RemediationStore::row,
                repo, branch));
        if (r.isEmpty()) {
            return false;
        }
        if (pullNumber.isPresent()) {
            delivered(r.get().id(), pullNumber.getAsInt(), now);
        } else if (issueNumber.isPresent()) {
            deliveredAsIssue(r.get().id(), issueNumber.getAsInt(), now);
        }
        return true;
    }

    /** Remediations in {@code repo} that are not finished: planned, gated or delivered, not yet merged. */
    public List<Remediation> openIn(String repo) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM remediations WHERE repo = ? AND status IN (?, ?, ?)"
                + " ORDER BY id", RemediationStore::row, repo, Status.PLANNED, Status.GATED, Status.DELIVERED));
    }

    /** Remediations not finished in any repository, oldest first: what the re-assessment reads evidence for. */
    public List<Remediation> open() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM remediations WHERE status IN (?, ?, ?) ORDER BY id",
                RemediationStore::row, Status.PLANNED, Status.GATED, Status.DELIVERED));
    }

    /** Every remediation in {@code repo}, newest last. */
    public List<Remediation> inRepo(String repo) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM remediations WHERE repo = ? ORDER BY id",
                RemediationStore::row, repo));
    }

    /**
     * Merged: the instant is what MTTR measures to ({@code fixgate report}); a repeated event keeps the first, and a
     * remediation verified since stays verified.
     */
    public void merged(long id, String sha, Instant now) {
        update(id, "status = CASE WHEN status = ? THEN status ELSE ? END, merged_sha = COALESCE(merged_sha, ?),"
                + " merged_at = COALESCE(merged_at, ?), open_key = NULL", now, Status.VERIFIED, Status.MERGED, sha, now);
    }

    /** Verified after merge (the verify stage): only a merged remediation becomes verified; true when this call did. */
    public boolean verified(long id, Instant now) {
        return db.withConnection(c -> Sql.update(c, "UPDATE remediations SET status = ?, updated_at = ? WHERE id = ?"
                + " AND status = ?", Status.VERIFIED, now, id, Status.MERGED)) == 1;
    }

    /** The findings remediation {@code id} fixes ({@link #covers}). */
    public List<Fingerprint> covered(long id) {
        return db.withConnection(c -> Sql.query(c, "SELECT fingerprint FROM remediation_findings WHERE remediation_id = ?"
                + " ORDER BY fingerprint", rs -> new Fingerprint(rs.getString(1)), id));
    }

    /** The remediations that fix {@code finding}, oldest first. */
    public List<Remediation> covering(Fingerprint finding) {
        return db.withConnection(c -> Sql.query(c, "SELECT r.* FROM remediations r JOIN remediation_findings f"
                + " ON f.remediation_id = r.id WHERE f.fingerprint = ? ORDER BY r.id", RemediationStore::row,
                finding.value()));
    }

    /** Every remediation, oldest first (the evidence report reads them all and filters). */
    public List<Remediation> all() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM remediations ORDER BY id", RemediationStore::row));
    }

    private void update(long id, String set, Instant now, Object... values) {
        Object[] params = new Object[values.length + 2];
        System.arraycopy(values, 0, params, 0, values.length);
        params[values.length] = now;
        params[values.length + 1] = id;
        int n = db.withConnection(c -> Sql.update(c, "UPDATE remediations SET " + set + ", updated_at = ? WHERE id = ?",
                params));
        if (n != 1) {
            throw new IllegalArgumentException("no remediation " + id);
        }
    }

    public Optional<Remediation> find(long id) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT * FROM remediations WHERE id = ?", RemediationStore::row, id));
    }

    public Optional<Remediation> findByPull(String repo, int pullNumber) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT * FROM remediations WHERE repo = ? AND pull_number = ?",
                RemediationStore::row, repo, pullNumber));
    }

    public List<Remediation> forInitiative(InitiativeId initiative) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM remediations WHERE initiative_id = ? ORDER BY id",
                RemediationStore::row, initiative.value()));
    }

    private static Remediation row(ResultSet rs) throws SQLException {
        int pull = rs.getInt("pull_number");
        OptionalInt pullNumber = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(pull);
        int issue = rs.getInt("issue_number");
        OptionalInt issueNumber = rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(issue);
        return new Remediation(rs.getLong("id"), new InitiativeId(rs.getString("initiative_id")),
                Status.valueOf(rs.getString("status")), rs.getString("playbook_id"),
                RciLevel.valueOf(rs.getString("rci_level")), rs.getDouble("rci_confidence"), rs.getString("repo"),
                rs.getString("branch"), pullNumber, issueNumber, Optional.ofNullable(rs.getString("merged_sha")),
                rs.getString("plan"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"),
                Sql.optionalInstant(rs, "delivered_at"), Sql.optionalInstant(rs, "merged_at"));
    }
}
