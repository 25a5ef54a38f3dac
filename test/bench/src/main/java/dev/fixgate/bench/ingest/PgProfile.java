package dev.fixgate.bench.ingest;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What the PostgreSQL server did during one child run: the WAL it wrote (bytes, full-page images) and the
 * checkpoints it took, always; with {@code BENCH_PG_PROFILE=1} also each statement's time, rows, buffers and WAL
 * ({@code pg_stat_statements}, loaded by {@link StoreIngestBench}'s server), to find where the server's CPU goes.
 */
final class PgProfile {

    /** The server-wide counters at one moment. */
    record Snapshot(long walBytes, long walRecords, long walFpi, long checkpoints, long buffersCheckpoint,
                    long buffersBackend) {
    }

    private PgProfile() {
    }

    static boolean enabled() {
        return "1".equals(System.getenv("BENCH_PG_PROFILE"));
    }

    static Snapshot take(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
            try (ResultSet rs = s.executeQuery("""
                    SELECT w.wal_bytes, w.wal_records, w.wal_fpi, b.checkpoints_timed + b.checkpoints_req,
                           b.buffers_checkpoint, b.buffers_backend
                    FROM pg_stat_wal w, pg_stat_bgwriter b""")) {
                rs.next();
                return new Snapshot(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6));
            }
        }
    }

    /** The WAL and checkpoints between two snapshots, as one line. */
    static String between(Snapshot a, Snapshot b) {
        return String.format(Locale.ROOT, "WAL %.0f MB (%,d records, %,d full-page images), %d checkpoint(s),"
                        + " %,d buffers written by checkpoints, %,d by backends", (b.walBytes() - a.walBytes()) / 1e6,
                b.walRecords() - a.walRecords(), b.walFpi() - a.walFpi(), b.checkpoints() - a.checkpoints(),
                b.buffersCheckpoint() - a.buffersCheckpoint(), b.buffersBackend() - a.buffersBackend());
    }

    static void reset(EmbeddedPostgres pg) throws SQLException {
        if (!enabled()) {
            return;
        }
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            s.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** The statements run in {@code database} since {@link #reset}, most time first, as a Markdown table. */
    static String statements(EmbeddedPostgres pg, String database) throws SQLException {
        if (!enabled()) {
            return "";
        }
        StringBuilder out = new StringBuilder("| statement | calls | rows | total ms | blocks hit / read / dirtied"
                + " | WAL MB | full-page images |\n|---|---|---|---|---|---|---|\n");
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT regexp_replace(left(query, 110), '\\s+', ' ', 'g'), calls, rows, total_exec_time,
                            shared_blks_hit, shared_blks_read, shared_blks_dirtied, wal_bytes, wal_fpi
                     FROM pg_stat_statements p JOIN pg_database d ON d.oid = p.dbid
                     WHERE d.datname = '%s' ORDER BY total_exec_time DESC LIMIT 15""".formatted(database))) {
            while (rs.next()) {
                out.append(String.format(Locale.ROOT, "| `%s` | %,d | %,d | %,.0f | %,d / %,d / %,d | %.1f | %,d |%n",
                        rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getLong(5), rs.getLong(6),
                        rs.getLong(7), rs.getDouble(8) / 1e6, rs.getLong(9)));
            }
        }
        return out.toString();
    }
}
