package dev.fixgate.app.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How far each scheduled pull of findings has read, per source and account ({@code pull_cursors}): the newest change
 * time of what it has ingested. Shared by every replica and kept across restarts; it only moves forward.
 */
public final class PullCursors {

    private final Database db;

    public PullCursors(Database db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** The newest change read by {@code source} in {@code account}; empty before its first successful pull. */
    public Optional<Instant> position(String source, String account) {
        return db.withConnection(c -> Sql.queryOne(c,
                "SELECT position FROM pull_cursors WHERE source = ? AND account = ?",
                rs -> Sql.instant(rs, "position"), source, account));
    }

    /** Moves the cursor to {@code position} unless it is there or further already; returns where it is now. */
    public Instant advance(String source, String account, Instant position, Instant now) {
        Instant at = Sql.truncate(position);
        return db.inTransaction(c -> {
            Sql.update(c, """
                    INSERT INTO pull_cursors (source, account, position, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""", source, account, at, now);
            Sql.update(c, "UPDATE pull_cursors SET position = ?, updated_at = ? WHERE source = ? AND account = ?"
                    + " AND position < ?", at, now, source, account, at);
            return Sql.queryOne(c, "SELECT position FROM pull_cursors WHERE source = ? AND account = ?",
                    rs -> Sql.instant(rs, "position"), source, account).orElseThrow();
        });
    }
}
