package dev.fixgate.app.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Store internals for tests in other packages. */
public final class SqlAccess {

    private SqlAccess() {
    }

    /** How many rows {@code from} has: a table, or a table and its WHERE clause. */
    public static long count(Connection c, String from) throws SQLException {
        return Sql.queryOne(c, "SELECT COUNT(*) FROM " + from, rs -> rs.getLong(1)).orElse(0L);
    }

    /** The first column of every row {@code sql} selects, as text. */
    public static List<String> strings(Connection c, String sql) throws SQLException {
        return Sql.query(c, sql, rs -> rs.getString(1));
    }
}
