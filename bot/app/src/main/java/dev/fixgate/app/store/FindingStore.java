package dev.fixgate.app.store;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingState;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.ResourceRef;
import dev.fixgate.spi.finding.Severity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Findings and their sightings, with the lifecycle rules: a fingerprint is one finding however many tools and
 * scans report it; each source record is a sighting. Only a record newer than what is stored moves the state,
 * so ingesting an old scan after a new one never reopens or resolves anything, and ingesting the same file
 * twice writes nothing the second time.
 */
public final class FindingStore {

    /** What recording one source record did. */
    public enum Outcome {
        /** First time this fingerprint is seen. */
        NEW,
        /** Seen again in a later scan; still open. */
        SEEN_AGAIN,
        /** Another record of the same finding in the same scan (another tool, or a duplicate record). */
        DUPLICATE,
        /** This exact record was recorded before: nothing changed. */
        UNCHANGED,
        /** The source reports it gone. */
        RESOLVED,
        /** It was resolved and is reported again. */
        REOPENED,
        /** Older than what is stored: kept as a sighting, the state is left alone. */
        STALE
    }

    public record StoredFinding(Fingerprint fingerprint, ControlId control, ResourceRef resource, Severity severity,
                                FindingState state, String title, Instant firstSeen, Instant lastSeen,
                                Instant stateChanged) {
        public StoredFinding {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(control, "control");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(title, "title");
        }
    }

    public record Sighting(String sourceTool, String sourceId, String sourceControlId, String sourceSeverity,
                           boolean active, SourceLocation raw, Instant firstSeen, Instant lastSeen) {
    }

    private final Database db;

    public FindingStore(Database db) {
        this.db = db;
    }

    /** Records a batch in one transaction; the outcomes are in input order. */
    public List<Outcome> recordAll(List<Finding> findings) {
        return db.inTransaction(c -> {
            List<Outcome> outcomes = new ArrayList<>(findings.size());
            for (Finding f : findings) {
                outcomes.add(record(c, f));
            }
            return outcomes;
        });
    }

    public Outcome record(Finding finding) {
        return db.inTransaction(c -> record(c, finding));
    }

    private Outcome record(Connection c, Finding f) throws SQLException {
        Fingerprint fp = f.fingerprint();
        Instant seen = Sql.truncate(f.lastSeen());
        Optional<StoredFinding> stored = Sql.queryOne(c, "SELECT * FROM findings WHERE fingerprint = ? FOR UPDATE",
                FindingStore::finding, fp.value());
        if (stored.isEmpty()) {
            insertFinding(c, f, fp);
            insertSighting(c, f, fp);
            return f.active() ? Outcome.NEW : Outcome.RESOLVED;
        }
        boolean sightingChanged = upsertSighting(c, f, fp);
        if (!sightingChanged) {
            return Outcome.UNCHANGED;
        }
        StoredFinding s = stored.get();
        int order = seen.compareTo(s.lastSeen());
        if (order < 0) {
            updateFinding(c, fp, s.state(), s.severity().max(f.severity()), s.lastSeen(), min(s.firstSeen(), f.firstSeen()),
                    s.stateChanged());
            return Outcome.STALE;
        }
        FindingState next;
        Outcome outcome;
        if (order > 0) {
            next = f.active() ? (s.state() == FindingState.RESOLVED ? FindingState.REOPENED : FindingState.OPEN)
                    : FindingState.RESOLVED;
            outcome = f.active() ? (next == FindingState.REOPENED ? Outcome.REOPENED : Outcome.SEEN_AGAIN) : Outcome.RESOLVED;
        } else if (f.active() && s.state() == FindingState.RESOLVED) {
            // Two records of the same scan disagree: keep the finding open, it is the careful reading.
            next = FindingState.REOPENED;
            outcome = Outcome.REOPENED;
        } else {
            next = s.state();
            outcome = Outcome.DUPLICATE;
        }
        updateFinding(c, fp, next, s.severity().max(f.severity()), order > 0 ? seen : s.lastSeen(),
                min(s.firstSeen(), f.firstSeen()), next == s.state() ? s.stateChanged() : seen);
        return outcome;
    }

    private static void insertFinding(Connection c, Finding f, Fingerprint fp) throws SQLException {
        Columns r = Columns.of(f.resource());
        Sql.update(c, """
                INSERT INTO findings (fingerprint, control_id, resource_key, resource_kind, cloud, account, region,
                    resource_type, resource_id, code_address, code_line, severity, state, title, first_seen, last_seen,
                    state_changed)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                fp.value(), f.control().value(), clip(f.resource().key(), 2048), r.kind, r.cloud, clip(r.account, 128),
                clip(r.region, 64), clip(r.type, 256), clip(r.id, 2048), clip(r.address, 1024), r.line, f.severity(),
                f.active() ? FindingState.NEW : FindingState.RESOLVED, clip(f.title(), 1024), f.firstSeen(),
                f.lastSeen(), f.lastSeen());
    }

    private static void updateFinding(Connection c, Fingerprint fp, FindingState state, Severity severity,
                                      Instant lastSeen, Instant firstSeen, Instant stateChanged) throws SQLException {
        Sql.update(c, """
                UPDATE findings SET state = ?, severity = ?, last_seen = ?, first_seen = ?, state_changed = ?
                WHERE fingerprint = ?""", state, severity, lastSeen, firstSeen, stateChanged, fp.value());
    }

    private static void insertSighting(Connection c, Finding f, Fingerprint fp) throws SQLException {
        Sql.update(c, """
                INSERT INTO finding_sightings (fingerprint, source_tool, source_id, source_control_id, source_severity,
                    active, raw_source, raw_line, raw_pointer, first_seen, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                fp.value(), clip(f.sourceTool(), 64), clip(f.sourceId(), 1024), clip(f.sourceControlId(), 300),
                clip(f.sourceSeverity(), 64), f.active(), clip(f.raw().source(), 1024), f.raw().line(),
                clip(f.raw().pointer(), 1024), f.firstSeen(), f.lastSeen());
    }

    /** Inserts or refreshes the sighting; false when the stored sighting already says exactly this. */
    private static boolean upsertSighting(Connection c, Finding f, Fingerprint fp) throws SQLException {
        Optional<Sighting> existing = Sql.queryOne(c, """
                SELECT * FROM finding_sightings WHERE source_tool = ? AND source_id = ? AND fingerprint = ?""",
                FindingStore::sighting, clip(f.sourceTool(), 64), clip(f.sourceId(), 1024), fp.value());
        if (existing.isEmpty()) {
            insertSighting(c, f, fp);
            return true;
        }
        Sighting s = existing.get();
        Instant seen = Sql.truncate(f.lastSeen());
        if (!seen.isAfter(s.lastSeen()) && (s.active() == f.active() || seen.isBefore(s.lastSeen()))) {
            return false;
        }
        Sql.update(c, """
                UPDATE finding_sightings SET active = ?, last_seen = ?, raw_source = ?, raw_line = ?, raw_pointer = ?
                WHERE source_tool = ? AND source_id = ? AND fingerprint = ?""",
                f.active(), f.lastSeen(), clip(f.raw().source(), 1024), f.raw().line(), clip(f.raw().pointer(), 1024),
                clip(f.sourceTool(), 64), clip(f.sourceId(), 1024), fp.value());
        return true;
    }

    public Optional<StoredFinding> find(Fingerprint fingerprint) {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT * FROM findings WHERE fingerprint = ?",
                FindingStore::finding, fingerprint.value()));
    }

    public List<Sighting> sightings(Fingerprint fingerprint) {
        return db.withConnection(c -> Sql.query(c,
                "SELECT * FROM finding_sightings WHERE fingerprint = ? ORDER BY id", FindingStore::sighting,
                fingerprint.value()));
    }

    public long count() {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT COUNT(*) FROM findings", rs -> rs.getLong(1)).orElse(0L));
    }

    private static StoredFinding finding(ResultSet rs) throws SQLException {
        ResourceRef resource = "code".equals(rs.getString("resource_kind"))
                ? new CodeResource(rs.getString("account"), rs.getString("resource_id"), rs.getString("code_address"),
                        rs.getString("resource_type"), rs.getInt("code_line"))
                : new CloudResource(Cloud.valueOf(rs.getString("cloud")), rs.getString("account"),
                        rs.getString("region"), rs.getString("resource_type"), rs.getString("resource_id"));
        return new StoredFinding(new Fingerprint(rs.getString("fingerprint")), new ControlId(rs.getString("control_id")),
                resource, Severity.valueOf(rs.getString("severity")), FindingState.valueOf(rs.getString("state")),
                rs.getString("title"), Sql.instant(rs, "first_seen"), Sql.instant(rs, "last_seen"),
                Sql.instant(rs, "state_changed"));
    }

    private static Sighting sighting(ResultSet rs) throws SQLException {
        return new Sighting(rs.getString("source_tool"), rs.getString("source_id"), rs.getString("source_control_id"),
                rs.getString("source_severity"), rs.getBoolean("active"),
                new SourceLocation(rs.getString("raw_source"), rs.getLong("raw_line"), 0, rs.getString("raw_pointer")),
                Sql.instant(rs, "first_seen"), Sql.instant(rs, "last_seen"));
    }

    private static Instant min(Instant a, Instant b) {
        Instant tb = Sql.truncate(b);
        return a.isBefore(tb) ? a : tb;
    }

    /** Source values can be arbitrarily long; columns are not. Keys are clipped the same way on every path. */
    private static String clip(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }

    /** A resource reference spread over the findings table's columns. */
    private record Columns(String kind, String cloud, String account, String region, String type, String id,
                           String address, int line) {
        static Columns of(ResourceRef ref) {
            return switch (ref) {
                case CloudResource r -> new Columns("cloud", r.cloud().name(), r.account(), r.region(), r.type(), r.id(), "", 0);
                case CodeResource r -> new Columns("code", Cloud.UNKNOWN.name(), r.repo(), "", r.type(), r.path(),
                        r.address(), r.line());
            };
        }
    }
}
