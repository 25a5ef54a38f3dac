package dev.fixgate.app.store;

import dev.fixgate.spi.finding.InitiativeId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Gate decisions, one row per resource per decision, append-only: a later decision about the same resource is
 * a new row, so the history of what the gate said, and why, is kept. Layers and input are JSON written by the
 * gate stage (this package knows no stage types).
 */
public final class DecisionStore {

    /**
     * @param decision  allow | needs_approval | deny
     * @param action    automerge | await_approval | route_to_owner | record_only
     * @param layersJson every engine's verdict, as JSON
     * @param inputJson  the decision input, as JSON
     * @param decidedAt the instant decided for
     * @param repo      {@code owner/name} of the repository decided in; empty when unknown (an offline replay)
     */
    public record Decision(long id, InitiativeId initiative, String resourceKey, String playbookId, String rciLevel,
                           double rciConfidence, int blastResources, int blastInstances, String decision, String action,
                           String layersJson, String inputJson, Instant decidedAt, Instant recordedAt, String repo) {
        public Decision {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(initiative, "initiative");
            Objects.requireNonNull(resourceKey, "resourceKey");
            Objects.requireNonNull(playbookId, "playbookId");
            Objects.requireNonNull(rciLevel, "rciLevel");
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(layersJson, "layersJson");
            Objects.requireNonNull(inputJson, "inputJson");
            Objects.requireNonNull(decidedAt, "decidedAt");
        }
    }

    private final Database db;

    public DecisionStore(Database db) {
        this.db = db;
    }

    /** Stores {@code d} (its id and recordedAt are ignored) and returns its id. */
    public long record(Decision d, Instant now) {
        return db.withConnection(c -> Sql.insert(c, """
                INSERT INTO gate_decisions (initiative_id, resource_key, playbook_id, rci_level, rci_confidence,
                    blast_resources, blast_instances, decision, action, layers, input, decided_at, recorded_at, repo)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", "id",
                d.initiative().value(), clip(d.resourceKey(), 2048), clip(d.playbookId(), 200), d.rciLevel(),
                d.rciConfidence(), d.blastResources(), d.blastInstances(), d.decision(), d.action(), d.layersJson(),
                d.inputJson(), d.decidedAt(), now, clip(d.repo(), 256)));
    }

    public List<Decision> forInitiative(InitiativeId initiative) {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM gate_decisions WHERE initiative_id = ? ORDER BY id",
                DecisionStore::row, initiative.value()));
    }

    /** The newest decision about {@code resourceKey}. */
    public Optional<Decision> latest(String resourceKey) {
        return db.withConnection(c -> Sql.queryOne(c, """
                SELECT * FROM gate_decisions WHERE resource_key = ? ORDER BY id DESC FETCH FIRST 1 ROWS ONLY""",
                DecisionStore::row, resourceKey));
    }

    /** Every decision, oldest first (the evidence report reads them and filters). */
    public List<Decision> all() {
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM gate_decisions ORDER BY id", DecisionStore::row));
    }

    private static Decision row(ResultSet rs) throws SQLException {
        return new Decision(rs.getLong("id"), new InitiativeId(rs.getString("initiative_id")),
                rs.getString("resource_key"), rs.getString("playbook_id"), rs.getString("rci_level"),
                rs.getDouble("rci_confidence"), rs.getInt("blast_resources"), rs.getInt("blast_instances"),
                rs.getString("decision"), rs.getString("action"), rs.getString("layers"), rs.getString("input"),
                Sql.instant(rs, "decided_at"), Sql.instant(rs, "recorded_at"), rs.getString("repo"));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
