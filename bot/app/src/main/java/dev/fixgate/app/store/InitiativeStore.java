package dev.fixgate.app.store;

import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.Initiative;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.Severity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Initiatives and their member findings. Saving is additive: members are never dropped by a later save. */
public final class InitiativeStore {

    public enum Status { OPEN, IN_PROGRESS, DONE, DISMISSED }

    /**
     * An initiative as stored, with its status, how many findings it holds, and how many of those are still open
     * (not resolved by their source).
     */
    public record StoredInitiative(InitiativeId id, ControlId control, String scope, Severity severity, Status status,
                                   int findings, int openFindings) {
    }

    private final Database db;

    public InitiativeStore(Database db) {
        this.db = db;
    }

    /**
     * Creates the initiative or adds members to it, raising its severity if a new member is more severe.
     *
     * @return how many of its findings were not members before
     */
    public int save(Initiative initiative, Instant now) {
        return db.inTransaction(c -> {
            if (db.dialect() == Dialect.POSTGRESQL) {
                PgBulk.customPlans(c);
            }
            return save(c, db.dialect(), initiative, now, Set.of());
        });
    }

    /**
     * {@link #save(Initiative, Instant)} inside the caller's transaction. {@code insertedNow} are fingerprints whose
     * findings rows this transaction inserted: no initiative can have them as members yet, so they are not looked up.
     */
    static int save(Connection c, Dialect dialect, Initiative initiative, Instant now, Set<String> insertedNow)
            throws SQLException {
        // The row only, not find(): its member counts aggregate the whole initiative, and ingest saves each
        // initiative once per batch.
        Optional<Severity> existing = Sql.queryOne(c, "SELECT severity FROM initiatives WHERE id = ? FOR UPDATE",
                rs -> Severity.valueOf(rs.getString(1)), initiative.id().value());
        if (existing.isEmpty()) {
            Sql.update(c, """
                    INSERT INTO initiatives (id, control_id, scope, severity, status, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""", initiative.id().value(), initiative.control().value(),
                    initiative.scope(), initiative.severity(), Status.OPEN, now, now);
        }
        int added = 0;
        List<Fingerprint> known = initiative.findings().stream().filter(fp -> !insertedNow.contains(fp.value())).toList();
        List<Object[]> fresh = new ArrayList<>();
        for (Fingerprint fp : initiative.findings()) {
            if (insertedNow.contains(fp.value())) {
                fresh.add(new Object[] {initiative.id().value(), fp.value()});
            }
        }
        if (dialect == Dialect.POSTGRESQL) {
            PgBulk.copy(c, "initiative_findings", "initiative_id, fingerprint", fresh);
        } else {
            Sql.batch(c, "INSERT INTO initiative_findings (initiative_id, fingerprint) VALUES (?, ?)", fresh);
        }
        added += fresh.size();
        boolean pg = dialect == Dialect.POSTGRESQL;
        for (List<Fingerprint> chunk : pg ? List.of(known) : FindingStore.chunks(known)) {
            if (chunk.isEmpty()) {
                continue;
            }
            // By fingerprint, then the initiative in Java: with "initiative_id = ? AND fingerprint IN (...)" H2
            // uses only the key's first column and scans every member of the initiative for each chunk.
            // PostgreSQL takes the keys as one array.
            Set<String> members = new HashSet<>();
            Object[] keys = chunk.stream().map(Fingerprint::value).toArray();
            Sql.query(c, "SELECT initiative_id, fingerprint FROM initiative_findings WHERE fingerprint"
                    + (pg ? " = ANY(CAST(? AS CHAR(64)[]))" : " IN (" + Sql.placeholders(chunk.size()) + ")"), rs -> {
                        if (rs.getString(1).equals(initiative.id().value())) {
                            members.add(rs.getString(2));
                        }
                        return null;
                    }, pg ? new Object[] {c.createArrayOf("text", keys)} : keys);
            List<Object[]> rows = new ArrayList<>();
            for (Fingerprint fp : chunk) {
                if (!members.contains(fp.value())) {
                    rows.add(new Object[] {initiative.id().value(), fp.value()});
                }
            }
            Sql.batch(c, "INSERT INTO initiative_findings (initiative_id, fingerprint) VALUES (?, ?)", rows);
            added += rows.size();
        }
        if (existing.isPresent()) {
            Severity severity = existing.get().max(initiative.severity());
            if (added > 0 || severity != existing.get()) {
                Sql.update(c, "UPDATE initiatives SET severity = ?, updated_at = ? WHERE id = ?",
                        severity, now, initiative.id().value());
            }
        }
        return added;
    }

    public void setStatus(InitiativeId id, Status status, Instant now) {
        db.withConnection(c -> Sql.update(c, "UPDATE initiatives SET status = ?, updated_at = ? WHERE id = ?",
                status, now, id.value()));
    }

    public Optional<StoredInitiative> find(InitiativeId id) {
        return db.withConnection(c -> find(c, id));
    }

    /**
     * How many findings each of {@code ids} holds (absent: none, or not stored), from the members alone: ingest's
     * summary asks this for every initiative it touched, and {@link #find}'s counts join every member's finding.
     */
    public Map<InitiativeId, Integer> memberCounts(Collection<InitiativeId> ids) {
        List<String> keys = ids.stream().map(InitiativeId::value).distinct().toList();
        return db.withConnection(c -> {
            Map<InitiativeId, Integer> counts = new HashMap<>();
            for (List<String> chunk : FindingStore.chunks(keys)) {
                Sql.query(c, "SELECT initiative_id, COUNT(*) FROM initiative_findings WHERE initiative_id IN ("
                        + Sql.placeholders(chunk.size()) + ") GROUP BY initiative_id",
                        rs -> counts.put(new InitiativeId(rs.getString(1)), rs.getInt(2)), chunk.toArray());
            }
            return counts;
        });
    }

    public List<Fingerprint> members(InitiativeId id) {
        return db.withConnection(c -> Sql.query(c,
                "SELECT fingerprint FROM initiative_findings WHERE initiative_id = ? ORDER BY fingerprint",
                rs -> new Fingerprint(rs.getString(1)), id.value()));
    }

    /** All initiatives, most severe first, then largest. */
    public List<StoredInitiative> list() {
        return db.withConnection(c -> Sql.query(c, SELECT + " GROUP BY i.id, i.control_id, i.scope, i.severity, i.status"
                + " ORDER BY CASE i.severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2"
                + " WHEN 'LOW' THEN 3 ELSE 4 END, COUNT(m.fingerprint) DESC, i.control_id, i.scope", InitiativeStore::row));
    }

    private static final String SELECT = """
            SELECT i.id, i.control_id, i.scope, i.severity, i.status, COUNT(m.fingerprint) AS members,
                   COUNT(CASE WHEN f.state <> 'RESOLVED' THEN 1 END) AS open_members
            FROM initiatives i
            LEFT JOIN initiative_findings m ON m.initiative_id = i.id
            LEFT JOIN findings f ON f.fingerprint = m.fingerprint""";

    private static Optional<StoredInitiative> find(Connection c, InitiativeId id) throws SQLException {
        return Sql.queryOne(c, SELECT + " WHERE i.id = ? GROUP BY i.id, i.control_id, i.scope, i.severity, i.status",
                InitiativeStore::row, id.value());
    }

    private static StoredInitiative row(ResultSet rs) throws SQLException {
        return new StoredInitiative(new InitiativeId(rs.getString("id")), new ControlId(rs.getString("control_id")),
                rs.getString("scope"), Severity.valueOf(rs.getString("severity")), Status.valueOf(rs.getString("status")),
                rs.getInt("members"), rs.getInt("open_members"));
    }
}
