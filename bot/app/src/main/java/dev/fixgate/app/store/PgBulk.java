package dev.fixgate.app.store;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Set-based writes for PostgreSQL, where a JDBC batch still costs the server one statement per row: rows go in with
 * {@code COPY … FROM STDIN} (one stream per table and batch) and changes with one {@code UPDATE … FROM unnest(…)}
 * per table and batch. Both run inside the caller's transaction and are exactly as durable as the INSERTs and
 * UPDATEs they replace (logged tables, the server's commit settings).
 */
final class PgBulk {

    private PgBulk() {
    }

    /**
     * Appends {@code rows} to {@code table}'s {@code columns} with COPY (text format). Values are Strings, numbers,
     * booleans, enums and instants, none null (the columns written here are all NOT NULL).
     */
    static void copy(Connection c, String table, String columns, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(rows.size() * 256);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                appendCopyValue(text, row[i]);
            }
            text.append('\n');
        }
        try (Reader in = new StringReader(text.toString())) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + columns + ") FROM STDIN", in);
        } catch (IOException e) {
            throw new SQLException("COPY into " + table + " failed", e);
        }
    }

    private static void appendCopyValue(StringBuilder out, Object value) {
        String s = text(value);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
    }

    /**
     * Runs {@code sql} once with each column of {@code rows} bound as one text array parameter, in order: the
     * statement unnests them ({@code FROM unnest(?::text[], ?::text[]) AS v(a, b)}) and casts what is not text.
     */
    static int unnest(Connection c, String sql, List<Object[]> rows, int columns) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int col = 0; col < columns; col++) {
                String[] values = new String[rows.size()];
                for (int r = 0; r < rows.size(); r++) {
                    values[r] = text(rows.get(r)[col]);
                }
                Array array = c.createArrayOf("text", values);
                ps.setArray(col + 1, array);
            }
            return ps.executeUpdate();
        }
    }

    /** A value as PostgreSQL reads it from text (COPY, or a text array cast): booleans as true/false. */
    private static String text(Object value) {
        return switch (value) {
            case null -> throw new IllegalArgumentException("a bulk value is null");
            case Instant instant -> Sql.truncate(instant).toString();
            case Enum<?> e -> e.name();
            default -> value.toString();
        };
    }

    /**
     * Plans each execution for its own values, by key. A cached generic plan is made once, when the tables may still
     * be small, and kept: a lookup by a few hundred keys planned as a sequential scan of an empty table stays a scan
     * while an ingest grows it to a million rows. And a batch's statements all read by key (a batch's keys as one
     * array, or joined to one): planned from statistics that lag behind a table an ingest is growing, 5,000 keys in
     * an array looked like less work as a scan of the whole table (every sighting, every member, for each batch) than
     * as 5,000 index probes; it never is once the table outgrows the batch, so scans are not planned here.
     */
    static void customPlans(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute("SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_seqscan = off");
        }
    }
}
