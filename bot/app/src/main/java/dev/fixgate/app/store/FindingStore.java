package dev.fixgate.app.store;

import dev.fixgate.app.json.Json;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingState;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.Initiative;
import dev.fixgate.spi.finding.InitiativeId;
import dev.fixgate.spi.finding.ResourceRef;
import dev.fixgate.spi.finding.Severity;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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

        /** The same finding with a newer sighting's reference to its resource (the same key; tags may differ). */
        StoredFinding withResource(ResourceRef newer) {
            return new StoredFinding(fingerprint, control, newer, severity, state, title, firstSeen, lastSeen, stateChanged);
        }
    }

    public record Sighting(String sourceTool, String sourceId, String sourceControlId, String sourceSeverity,
                           boolean active, SourceLocation raw, Instant firstSeen, Instant lastSeen) {
    }

    private final Database db;

    public FindingStore(Database db) {
        this.db = db;
    }

    /** Rows fetched or written per statement. */
    static final int CHUNK = 500;

    /**
     * Records a batch in one transaction; the outcomes are in input order and the same as recording the findings
     * one by one. The batch costs a few statements, not a few per finding: the stored rows are fetched (and
     * locked) up front, every record is decided in memory in order, and the changes go out as JDBC batches.
     */
    public List<Outcome> recordAll(List<Finding> findings) {
        if (findings.isEmpty()) {
            return List.of();
        }
        return db.inTransaction(c -> new Batch(findings, db.dialect()).run(c));
    }

    /** What {@link #recordAll(List, List, Instant)} did. */
    public record Recorded(List<Outcome> outcomes, Map<InitiativeId, Integer> added) {
    }

    /**
     * Records a batch and saves the initiatives its findings join ({@link InitiativeStore#save}) in one transaction:
     * one commit per batch, and a batch is never stored without its grouping.
     *
     * @return the outcomes in input order, and per initiative how many of its findings were not members before
     */
    public Recorded recordAll(List<Finding> findings, List<Initiative> initiatives, Instant now) {
        return db.inTransaction(c -> {
            Batch batch = new Batch(findings, db.dialect());
            List<Outcome> outcomes = findings.isEmpty() ? List.of() : batch.run(c);
            Map<InitiativeId, Integer> added = new LinkedHashMap<>();
            for (Initiative initiative : initiatives) {
                added.merge(initiative.id(), InitiativeStore.save(c, db.dialect(), initiative, now, batch.inserted()),
                        Integer::sum);
            }
            return new Recorded(outcomes, added);
        });
    }

    public Outcome record(Finding finding) {
        return recordAll(List.of(finding)).getFirst();
    }

    private record SightingKey(String tool, String sourceId, String fingerprint) {
        static SightingKey of(Finding f, Fingerprint fp) {
            return new SightingKey(clip(f.sourceTool(), 64), clip(f.sourceId(), 1024), fp.value());
        }
    }

    /** One recordAll: the stored state of the batch's findings and sightings, and what changed. */
    private static final class Batch {
        private final List<Finding> input;
        private final Map<String, StoredFinding> findings = new HashMap<>();
        private final Set<String> inserted = new LinkedHashSet<>();
        private final Set<String> updated = new LinkedHashSet<>();
        private final Map<SightingKey, Sighting> sightings = new HashMap<>();
        private final Set<SightingKey> sightingsInserted = new LinkedHashSet<>();
        private final Set<SightingKey> sightingsUpdated = new LinkedHashSet<>();
        private final Dialect dialect;

        Batch(List<Finding> input, Dialect dialect) {
            this.input = input;
            this.dialect = dialect;
        }

        /** The fingerprints this batch inserted: no other row can refer to them before it commits. */
        Set<String> inserted() {
            return inserted;
        }

        List<Outcome> run(Connection c) throws SQLException {
            if (dialect == Dialect.POSTGRESQL) {
                PgBulk.customPlans(c);
            }
            List<Fingerprint> fps = input.stream().map(Finding::fingerprint).toList();
            List<String> distinct = fps.stream().map(Fingerprint::value).distinct().toList();
            // PostgreSQL: the whole batch's keys as one array, one round trip per table; elsewhere IN lists
            List<List<String>> lookups = dialect == Dialect.POSTGRESQL ? List.of(distinct) : chunks(distinct);
            for (List<String> chunk : lookups) {
                String in = dialect == Dialect.POSTGRESQL ? " = ANY(CAST(? AS CHAR(64)[]))"
                        : " IN (" + Sql.placeholders(chunk.size()) + ")";
                Object[] keys = dialect == Dialect.POSTGRESQL
                        ? new Object[] {c.createArrayOf("text", chunk.toArray())} : chunk.toArray();
                for (StoredFinding f : Sql.query(c, "SELECT * FROM findings WHERE fingerprint" + in + " FOR UPDATE",
                        FindingStore::finding, keys)) {
                    findings.put(f.fingerprint().value(), f);
                }
                Sql.query(c, "SELECT * FROM finding_sightings WHERE fingerprint" + in, rs -> {
                    Sighting s = FindingStore.sighting(rs);
                    sightings.put(new SightingKey(s.sourceTool(), s.sourceId(), rs.getString("fingerprint")), s);
                    return s;
                }, keys);
            }
            List<Outcome> outcomes = new ArrayList<>(input.size());
            for (int i = 0; i < input.size(); i++) {
                outcomes.add(decide(input.get(i), fps.get(i)));
            }
            write(c);
            return outcomes;
        }

        /** The lifecycle rules, applied to the in-memory state exactly as they would be to the rows. */
        private Outcome decide(Finding f, Fingerprint fp) {
            Instant seen = Sql.truncate(f.lastSeen());
            StoredFinding s = findings.get(fp.value());
            if (s == null) {
                findings.put(fp.value(), new StoredFinding(fp, f.control(), f.resource(), f.severity(),
                        f.active() ? FindingState.NEW : FindingState.RESOLVED, clip(f.title(), 1024),
                        Sql.truncate(f.firstSeen()), seen, seen));
                inserted.add(fp.value());
                putSighting(SightingKey.of(f, fp), newSighting(f), true);
                return f.active() ? Outcome.NEW : Outcome.RESOLVED;
            }
            if (!recordSighting(f, fp)) {
                return Outcome.UNCHANGED;
            }
            int order = seen.compareTo(s.lastSeen());
            Instant firstSeen = min(s.firstSeen(), f.firstSeen());
            Severity severity = s.severity().max(f.severity());
            if (order < 0) {
                change(s, s.state(), severity, s.lastSeen(), firstSeen, s.stateChanged());
                return Outcome.STALE;
            }
            FindingState next;
            Outcome outcome;
            if (order > 0) {
                next = f.active() ? (s.state() == FindingState.RESOLVED ? FindingState.REOPENED : FindingState.OPEN)
                        : FindingState.RESOLVED;
                outcome = f.active() ? (next == FindingState.REOPENED ? Outcome.REOPENED : Outcome.SEEN_AGAIN)
                        : Outcome.RESOLVED;
            } else if (f.active() && s.state() == FindingState.RESOLVED) {
                // Two records of the same scan disagree: keep the finding open, it is the careful reading.
                next = FindingState.REOPENED;
                outcome = Outcome.REOPENED;
            } else {
                next = s.state();
                outcome = Outcome.DUPLICATE;
            }
            // the newest sighting's resource: same identity, but its tags may have changed since
            change(order > 0 ? s.withResource(f.resource()) : s, next, severity, order > 0 ? seen : s.lastSeen(), firstSeen,
                    next == s.state() ? s.stateChanged() : seen);
            return outcome;
        }

        private void change(StoredFinding s, FindingState state, Severity severity, Instant lastSeen, Instant firstSeen,
                            Instant stateChanged) {
            String fp = s.fingerprint().value();
            findings.put(fp, new StoredFinding(s.fingerprint(), s.control(), s.resource(), severity, state, s.title(),
                    firstSeen, lastSeen, stateChanged));
            if (!inserted.contains(fp)) {
                updated.add(fp);
            }
        }

        /** Inserts or refreshes the sighting; false when the stored sighting already says exactly this. */
        private boolean recordSighting(Finding f, Fingerprint fp) {
            SightingKey key = SightingKey.of(f, fp);
            Sighting existing = sightings.get(key);
            if (existing == null) {
                putSighting(key, newSighting(f), true);
                return true;
            }
            Instant seen = Sql.truncate(f.lastSeen());
            if (!seen.isAfter(existing.lastSeen()) && (existing.active() == f.active() || seen.isBefore(existing.lastSeen()))) {
                return false;
            }
            putSighting(key, new Sighting(existing.sourceTool(), existing.sourceId(), existing.sourceControlId(),
                    existing.sourceSeverity(), f.active(), clipped(f.raw()), existing.firstSeen(), seen), false);
            return true;
        }

        private void putSighting(SightingKey key, Sighting s, boolean isNew) {
            sightings.put(key, s);
            if (isNew) {
                sightingsInserted.add(key);
            } else if (!sightingsInserted.contains(key)) {
                sightingsUpdated.add(key);
            }
        }

        private static Sighting newSighting(Finding f) {
            return new Sighting(clip(f.sourceTool(), 64), clip(f.sourceId(), 1024), clip(f.sourceControlId(), 300),
                    clip(f.sourceSeverity(), 64), f.active(), clipped(f.raw()), Sql.truncate(f.firstSeen()),
                    Sql.truncate(f.lastSeen()));
        }

        /** Findings before sightings (foreign key), inserts before updates. */
        private void write(Connection c) throws SQLException {
            List<Object[]> rows = new ArrayList<>();
            for (String fp : inserted) {
                StoredFinding f = findings.get(fp);
                Columns r = Columns.of(f.resource());
                rows.add(new Object[] {fp, f.control().value(), clip(f.resource().key(), 2048), r.kind, r.cloud,
                        clip(r.account, 128), clip(r.region, 64), clip(r.type, 256), clip(r.id, 2048),
                        clip(r.address, 1024), r.line, f.severity(), f.state(), f.title(), f.firstSeen(), f.lastSeen(),
                        f.stateChanged(), r.tags});
            }
            insert(c, "findings", """
                    fingerprint, control_id, resource_key, resource_kind, cloud, account, region, resource_type,
                    resource_id, code_address, code_line, severity, state, title, first_seen, last_seen, state_changed,
                    resource_tags""", rows);
            rows = new ArrayList<>();
            for (SightingKey k : sightingsInserted) {
                Sighting s = sightings.get(k);
                rows.add(new Object[] {k.fingerprint(), s.sourceTool(), s.sourceId(), s.sourceControlId(),
                        s.sourceSeverity(), s.active(), s.raw().source(), s.raw().line(), s.raw().pointer(),
                        s.firstSeen(), s.lastSeen()});
            }
            insert(c, "finding_sightings", """
                    fingerprint, source_tool, source_id, source_control_id, source_severity, active, raw_source,
                    raw_line, raw_pointer, first_seen, last_seen""", rows);
            rows = new ArrayList<>();
            for (String fp : updated) {
                StoredFinding f = findings.get(fp);
                rows.add(new Object[] {f.state(), f.severity(), f.lastSeen(), f.firstSeen(), f.stateChanged(),
                        Columns.of(f.resource()).tags, fp});
            }
            if (dialect == Dialect.POSTGRESQL) {
                // the key cast to the column's type, so that the join uses the primary key
                PgBulk.unnest(c, """
                        UPDATE findings f SET state = v.state, severity = v.severity,
                            last_seen = CAST(v.last_seen AS TIMESTAMP WITH TIME ZONE),
                            first_seen = CAST(v.first_seen AS TIMESTAMP WITH TIME ZONE),
                            state_changed = CAST(v.state_changed AS TIMESTAMP WITH TIME ZONE), resource_tags = v.tags
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                            AS v(state, severity, last_seen, first_seen, state_changed, tags, fp)
                        WHERE f.fingerprint = CAST(v.fp AS CHAR(64))""", rows, 7);
            } else {
                Sql.batch(c, """
                        UPDATE findings SET state = ?, severity = ?, last_seen = ?, first_seen = ?, state_changed = ?,
                            resource_tags = ?
                        WHERE fingerprint = ?""", rows);
            }
            rows = new ArrayList<>();
            for (SightingKey k : sightingsUpdated) {
                Sighting s = sightings.get(k);
                rows.add(new Object[] {s.active(), s.lastSeen(), s.raw().source(), s.raw().line(), s.raw().pointer(),
                        k.tool(), k.sourceId(), k.fingerprint()});
            }
            if (dialect == Dialect.POSTGRESQL) {
                PgBulk.unnest(c, """
                        UPDATE finding_sightings s SET active = CAST(v.active AS BOOLEAN),
                            last_seen = CAST(v.last_seen AS TIMESTAMP WITH TIME ZONE), raw_source = v.raw_source,
                            raw_line = CAST(v.raw_line AS BIGINT), raw_pointer = v.raw_pointer
                        FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                            AS v(active, last_seen, raw_source, raw_line, raw_pointer, tool, source_id, fp)
                        WHERE s.source_tool = v.tool AND s.source_id = v.source_id
                            AND s.fingerprint = CAST(v.fp AS CHAR(64))""", rows, 8);
            } else {
                Sql.batch(c, """
                        UPDATE finding_sightings SET active = ?, last_seen = ?, raw_source = ?, raw_line = ?, raw_pointer = ?
                        WHERE source_tool = ? AND source_id = ? AND fingerprint = ?""", rows);
            }
        }

        /** New rows: COPY on PostgreSQL, a JDBC batch elsewhere. */
        private void insert(Connection c, String table, String columns, List<Object[]> rows) throws SQLException {
            String cols = columns.replaceAll("\\s+", " ").strip();
            if (dialect == Dialect.POSTGRESQL) {
                PgBulk.copy(c, table, cols, rows);
            } else {
                Sql.batch(c, "INSERT INTO " + table + " (" + cols + ") VALUES ("
                        + Sql.placeholders(rows.isEmpty() ? 0 : rows.getFirst().length) + ")", rows);
            }
        }
    }

    static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return out;
    }

    private static SourceLocation clipped(SourceLocation raw) {
        return new SourceLocation(clip(raw.source(), 1024), raw.line(), raw.column(), clip(raw.pointer(), 1024));
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

    /**
     * The finding as the pipeline's later stages take it: the stored row with the tool fields of its latest
     * sighting (which tool, its id and control id, where the record was). Empty when the fingerprint is unknown.
     */
    public Optional<Finding> latest(Fingerprint fingerprint) {
        Optional<StoredFinding> stored = find(fingerprint);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        StoredFinding f = stored.get();
        List<Sighting> seen = sightings(fingerprint);
        if (seen.isEmpty()) {
            return Optional.empty();
        }
        Sighting s = seen.getLast();
        return Optional.of(new Finding(s.sourceTool(), s.sourceId(), f.control(), s.sourceControlId(), f.severity(),
                s.sourceSeverity(), f.resource(), f.title(), f.state() != FindingState.RESOLVED, f.firstSeen(),
                f.lastSeen().isBefore(f.firstSeen()) ? f.firstSeen() : f.lastSeen(), s.raw()));
    }

    /** Every finding (the evidence report reads them all and filters). */
    public List<StoredFinding> all() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM findings ORDER BY first_seen, fingerprint",
                FindingStore::finding));
    }

    /** A sighting with the finding it reports. */
    public record FingerprintSighting(Fingerprint fingerprint, Sighting sighting) {
    }

    /** Every sighting, in the order they were first recorded. */
    public List<FingerprintSighting> allSightings() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM finding_sightings ORDER BY id",
                rs -> new FingerprintSighting(new Fingerprint(rs.getString("fingerprint")), sighting(rs))));
    }

    public long count() {
        return db.withConnection(c -> Sql.queryOne(c, "SELECT COUNT(*) FROM findings", rs -> rs.getLong(1)).orElse(0L));
    }

    private static StoredFinding finding(ResultSet rs) throws SQLException {
        ResourceRef resource = "code".equals(rs.getString("resource_kind"))
                ? new CodeResource(rs.getString("account"), rs.getString("resource_id"), rs.getString("code_address"),
                        rs.getString("resource_type"), rs.getInt("code_line"))
                : new CloudResource(Cloud.valueOf(rs.getString("cloud")), rs.getString("account"),
                        rs.getString("region"), rs.getString("resource_type"), rs.getString("resource_id"),
                        tags(rs.getString("resource_tags")));
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

    /** A resource reference spread over the findings table's columns; {@code tags} is a JSON object. */
    private record Columns(String kind, String cloud, String account, String region, String type, String id,
                           String address, int line, String tags) {
        static Columns of(ResourceRef ref) {
            return switch (ref) {
                case CloudResource r -> new Columns("cloud", r.cloud().name(), r.account(), r.region(), r.type(), r.id(),
                        "", 0, tagsJson(r.tags()));
                case CodeResource r -> new Columns("code", Cloud.UNKNOWN.name(), r.repo(), "", r.type(), r.path(),
                        r.address(), r.line(), "{}");
            };
        }
    }

    static final int MAX_TAGS_JSON = 65536;

    /**
     * The tags as the column holds them. Should the JSON not fit (64 tags of the longest keys and values, escaped),
     * only the tags locate reads are kept — Yor's and CloudFormation's — and failing that none.
     */
    static String tagsJson(Map<String, String> tags) {
        String json = Json.write(tags);
        if (json.length() <= MAX_TAGS_JSON) {
            return json;
        }
        Map<String, String> codeToCloud = new java.util.TreeMap<>();
        tags.forEach((k, v) -> {
            if (k.startsWith("yor_") || k.startsWith("git_") || k.startsWith("aws:cloudformation:")) {
                codeToCloud.put(k, v);
            }
        });
        json = Json.write(codeToCloud);
        return json.length() <= MAX_TAGS_JSON ? json : "{}";
    }

    /** The stored tags; a value that is not a JSON object of strings (never written by fixgate) reads as none. */
    private static Map<String, String> tags(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, String> out = new java.util.TreeMap<>();
            Json.mapper().readTree(json).properties().forEach(e -> {
                if (e.getValue().isTextual() && out.size() < CloudResource.MAX_TAGS) {
                    out.put(e.getKey(), e.getValue().asText());
                }
            });
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Map.of();
        }
    }
}
